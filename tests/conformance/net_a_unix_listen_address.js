// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
// listen(path) on a relative path in the working directory: address() is the
// path, the file is a socket while listening, and close() removes it (at
// once, as libuv unlinks it when the handle closes).
'use strict';
const net = require('net');
const fs = require('fs');
const { t } = require(__dirname + '/lib/trace');

const isSock = (p) => fs.existsSync(p) && fs.statSync(p).isSocket();
const server = net.createServer();
t('before', JSON.stringify(server.address()), isSock('srv.sock'));
server.listen('srv.sock', () => {
  t('listening', JSON.stringify(server.address()), server.listening, isSock('srv.sock'));
  server.close(() => t('close cb', server.listening, fs.existsSync('srv.sock')));
  t('after close()', server.listening, fs.existsSync('srv.sock'));
});
