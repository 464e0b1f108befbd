// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
// An accepted socket's life when the client ends first: readyState,
// pending, connecting, readable, writable at 'connection', 'data', 'end',
// 'finish' and 'close'; an accepted socket emits no 'connect' or 'ready'.
'use strict';
const net = require('net');
const { t } = require(__dirname + '/lib/trace');

const server = net.createServer((s) => {
  const st = (ev) => t('S', ev, s.readyState, s.pending, s.connecting, s.readable, s.writable, s.destroyed);
  st('connection');
  s.on('connect', () => st('connect'));
  s.on('ready', () => st('ready'));
  s.on('data', (d) => st('data ' + d));
  s.on('end', () => st('end'));
  s.on('finish', () => st('finish'));
  s.on('close', (h) => { st('close ' + h); server.close(); });
});
server.listen(0, '127.0.0.1', () => {
  const c = net.connect(server.address().port, '127.0.0.1', () => c.end('hi'));
  c.on('close', (h) => t('C close', h));
});
