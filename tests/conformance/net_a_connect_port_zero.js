// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
// Port 0 is a valid port to connect to and is always refused: the error has
// no port (err.port undefined, none in the message).
'use strict';
const net = require('net');
const { t } = require(__dirname + '/lib/trace');

const c = net.connect(0, '127.0.0.1');
c.on('error', (e) => {
  t('error', e.code, e.syscall, e.address, e.port === undefined ? 'no port' : e.port);
  t('message', e.message);
});
c.on('close', (h) => t('close', h));
