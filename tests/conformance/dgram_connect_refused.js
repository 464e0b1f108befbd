// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
// A connected socket whose peer has no socket: the first send succeeds,
// the ICMP error that follows is an 'error' from recvmsg, and the socket
// keeps working.
'use strict';
const dgram = require('dgram');
const { t } = require(__dirname + '/lib/trace');
const { err } = require(__dirname + '/lib/dgram');

const gone = dgram.createSocket('udp4');
gone.bind(0, '127.0.0.1', () => {
  const port = gone.address().port;
  gone.close(() => {
    const c = dgram.createSocket('udp4');
    c.connect(port, '127.0.0.1', () => {
      t('connected');
      c.send('anyone?', (e, n) => t('send cb', e, n));
    });
    c.on('error', (e) => {
      err('error', e);
      t('fields', e.syscall, e.errno);
      c.send('again', (e2, n) => { t('send again cb', e2, n); c.close(() => t('closed')); });
    });
  });
});
