// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
// A second server on a port in use: 'error' EADDRINUSE with every field as
// Node sets it (code, errno, syscall, address, port, message); the server is
// not listening and emits no 'close' of its own.
'use strict';
const net = require('net');
const { t } = require(__dirname + '/lib/trace');

const first = net.createServer();
first.listen(0, '127.0.0.1', () => {
  const port = first.address().port;
  const second = net.createServer();
  second.on('listening', () => t('unexpected listening'));
  second.on('close', () => t('second close'));
  second.on('error', (e) => {
    t('error code', e.code);
    t('error errno', e.errno);
    t('error syscall', e.syscall);
    t('error address', e.address);
    t('error port', e.port, e.port === port);
    t('error message', e.message);
    t('second', second.listening, JSON.stringify(second.address()));
    setImmediate(() => {
      t('immediate');
      first.close(() => t('first closed'));
    });
  });
  second.listen(port, '127.0.0.1');
  t('after listen()', second.listening);
});
