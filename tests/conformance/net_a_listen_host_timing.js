// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
// listen(port, host) resolves the host first (dns.lookup, a tick even for an
// IP literal): right after the call the server is not listening yet and
// address() is null; it is on the next tick, and 'listening' comes after.
'use strict';
const net = require('net');
const { t } = require(__dirname + '/lib/trace');

const server = net.createServer();
server.on('listening', () => {
  t('listening', server.listening);
  server.close(() => t('closed'));
});
server.listen(0, '127.0.0.1');
t('after listen()', server.listening, JSON.stringify(server.address()));
process.nextTick(() => t('next tick', server.listening, server.address() !== null));
