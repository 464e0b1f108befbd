// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
// A client's life when the server ends first: readyState, pending,
// connecting, readable and writable at connect(), 'connect', 'ready',
// 'data', 'end', 'finish' and 'close'.
'use strict';
const net = require('net');
const { t } = require(__dirname + '/lib/trace');

const server = net.createServer((s) => {
  s.end('bye');
  s.on('close', () => server.close());
});
server.listen(0, '127.0.0.1', () => {
  const c = new net.Socket();
  const st = (ev) => t('C', ev, c.readyState, c.pending, c.connecting, c.readable, c.writable, c.destroyed);
  st('new');
  c.connect(server.address().port, '127.0.0.1');
  st('after connect()');
  c.on('connect', () => st('connect'));
  c.on('ready', () => st('ready'));
  c.on('data', (d) => st('data ' + d));
  c.on('end', () => st('end'));
  c.on('finish', () => st('finish'));
  c.on('close', (h) => st('close ' + h));
});
