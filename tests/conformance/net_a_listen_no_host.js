// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
// listen(0) with no host: the server is listening as soon as listen()
// returns, on the unspecified address ('::', IPv6, where IPv6 exists), and
// takes IPv4 clients too (dual stack); 'listening' comes on the next tick.
'use strict';
const net = require('net');
const { t } = require(__dirname + '/lib/trace');

const server = net.createServer((s) => {
  t('connection', s.remoteAddress, s.remoteFamily, s.localAddress);
  s.end();
  s.resume();
  s.on('close', () => server.close(() => t('closed')));
});
server.on('listening', () => {
  const a = server.address();
  t('listening', a.address, a.family);
  const c = net.connect(a.port, '127.0.0.1');
  c.resume();
  c.on('close', (h) => t('client close', h));
});
server.listen(0);
const a = server.address();
t('after listen()', server.listening, a.address, a.family, a.port > 0);
