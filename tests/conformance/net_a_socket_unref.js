// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
// A connection whose two sockets are unref'd, with the server closed (its
// 'close' waits for the connection), lets the program end by itself: no
// 'close' event of any of them comes before the end.
'use strict';
const net = require('net');
const { t } = require(__dirname + '/lib/trace');

let c;
const server = net.createServer((s) => {
  t('connection');
  s.on('close', () => t('S close'));
  s.unref();
  server.close(() => t('server closed'));
  t('server listening', server.listening);
});
server.listen(0, '127.0.0.1', () => {
  c = net.connect(server.address().port, '127.0.0.1', () => {
    t('connect');
    c.unref();
  });
  c.on('close', () => t('C close'));
});
process.on('exit', () => t('exit', c.readyState, c.destroyed));
