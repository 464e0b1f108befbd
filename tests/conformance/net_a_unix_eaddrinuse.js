// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
// A second server on a Unix path that a listening server holds: 'error'
// EADDRINUSE (errno, syscall 'listen', the path as address, a message
// without a port); the first server's file stays until it closes.
'use strict';
const net = require('net');
const fs = require('fs');
const { t } = require(__dirname + '/lib/trace');

const first = net.createServer();
first.listen('busy.sock', () => {
  const second = net.createServer();
  second.on('listening', () => t('unexpected listening'));
  second.on('error', (e) => {
    t('error code', e.code);
    t('error errno', e.errno);
    t('error syscall', e.syscall);
    t('error address', e.address);
    t('error message', e.message);
    t('second listening', second.listening, 'file', fs.existsSync('busy.sock'));
    first.close(() => t('first closed', fs.existsSync('busy.sock')));
  });
  second.listen('busy.sock');
});
