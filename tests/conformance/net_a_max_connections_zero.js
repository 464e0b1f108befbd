// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
// maxConnections = 0 sets no limit in Node 20 (the check is
// `maxConnections && connections >= maxConnections`): the connection is
// accepted, nothing is dropped.
'use strict';
const net = require('net');
const { t } = require(__dirname + '/lib/trace');

const server = net.createServer((s) => {
  t('connection');
  s.destroy();
  server.close(() => t('server closed'));
});
server.maxConnections = 0;
server.on('drop', () => {
  t('drop');
  server.close(() => t('server closed'));
});
server.listen(0, '127.0.0.1', () => {
  const c = net.connect(server.address().port, '127.0.0.1');
  c.on('error', (e) => t('client error', e.code));
  c.on('close', () => t('client close'));
});
