// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
// Connecting to a Unix socket path that does not exist: 'error' ENOENT with
// errno, syscall 'connect', the path as address, no port, and the message
// 'connect ENOENT <path>'; then 'close' with had_error.
'use strict';
const net = require('net');
const { t } = require(__dirname + '/lib/trace');

const c = net.connect('missing.sock');
t('after connect()', c.readyState, c.connecting);
c.on('connect', () => t('unexpected connect'));
c.on('error', (e) => {
  t('error code', e.code);
  t('error errno', e.errno);
  t('error syscall', e.syscall);
  t('error address', e.address);
  t('error port', e.port === undefined ? 'none' : e.port);
  t('error message', e.message);
  t('state', c.readyState, c.connecting, c.destroyed);
});
c.on('close', (h) => t('close', h));
