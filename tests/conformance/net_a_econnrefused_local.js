// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
// A refused connection made from a chosen local address and port: the
// message ends with ' - Local (<localAddress>:<localPort>)'.
'use strict';
const net = require('net');
const { t } = require(__dirname + '/lib/trace');

// Two ports nobody uses: one to connect to, one to bind the client to.
const a = net.createServer();
const b = net.createServer();
a.listen(0, '127.0.0.1', () => b.listen(0, '127.0.0.1', () => {
  const target = a.address().port;
  const local = b.address().port;
  a.close(() => b.close(() => {
    const c = net.connect({ port: target, host: '127.0.0.1',
                            localAddress: '127.0.0.1', localPort: local });
    c.on('error', (e) => {
      t('error', e.code, e.syscall, e.address, e.port === target);
      t('message', e.message);
      t('message has both ports',
        e.message === `connect ECONNREFUSED 127.0.0.1:${target} - Local (127.0.0.1:${local})`);
    });
    c.on('close', (h) => t('close', h));
  }));
}));
