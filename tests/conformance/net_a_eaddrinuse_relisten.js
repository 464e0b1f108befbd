// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
// After EADDRINUSE the same server object can listen again, on a free port:
// 'listening' follows, it accepts a connection, and close() then works.
'use strict';
const net = require('net');
const { t } = require(__dirname + '/lib/trace');

const first = net.createServer();
first.listen(0, '127.0.0.1', () => {
  const busy = first.address().port;
  const server = net.createServer((s) => {
    t('connection');
    s.resume();
    s.end('x');
  });
  server.on('listening', () => {
    const a = server.address();
    t('listening', server.listening, a.address, a.port !== busy);
    const c = net.connect(a.port, '127.0.0.1');
    c.on('data', (d) => t('client data', d.toString()));
    c.on('close', () => {
      t('client close');
      server.close(() => {
        t('server closed');
        first.close(() => t('first closed'));
      });
    });
  });
  server.once('error', (e) => {
    t('error', e.code, server.listening);
    server.listen(0, '127.0.0.1');
  });
  server.listen(busy, '127.0.0.1');
});
