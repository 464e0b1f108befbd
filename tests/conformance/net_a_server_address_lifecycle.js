// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
// server.address() and server.listening before listen, once listening, right
// after close() and in the close callback: null/false, the bound address/true,
// then null/false again.
'use strict';
const net = require('net');
const { t } = require(__dirname + '/lib/trace');

const server = net.createServer();
t('before', JSON.stringify(server.address()), server.listening);
server.on('listening', () => {
  const a = server.address();
  t('listening', a.address, a.family, a.port > 0, server.listening);
  server.close(() => t('close cb', JSON.stringify(server.address()), server.listening));
  t('after close()', JSON.stringify(server.address()), server.listening);
});
server.on('close', () => t('close', JSON.stringify(server.address()), server.listening));
server.listen(0, '127.0.0.1');
