// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
// unref() then ref() on a server: it keeps the program alive again, until a
// timer closes it; 'close' comes and the program ends.
'use strict';
const net = require('net');
const { t } = require(__dirname + '/lib/trace');

const server = net.createServer();
server.listen(0, '127.0.0.1', () => {
  t('listening');
  const timer = setTimeout(() => {
    t('timer');
    server.close(() => t('closed'));
  }, 20);
  timer.unref();
});
server.unref();
server.ref();
process.on('exit', () => t('exit', server.listening));
