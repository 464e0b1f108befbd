// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
// Connecting to a port nobody listens on: 'error' ECONNREFUSED with every
// field Node sets (code, errno, syscall, address, port, message), then
// 'close' with had_error true. The port is one a server has just released.
'use strict';
const net = require('net');
const { t } = require(__dirname + '/lib/trace');

const probe = net.createServer();
probe.listen(0, '127.0.0.1', () => {
  const port = probe.address().port;
  probe.close(() => {
    const c = net.connect(port, '127.0.0.1');
    c.on('connect', () => t('unexpected connect'));
    c.on('error', (e) => {
      t('error code', e.code);
      t('error errno', e.errno);
      t('error syscall', e.syscall);
      t('error address', e.address);
      t('error port', e.port, e.port === port);
      t('error message', e.message);
    });
    c.on('close', (h) => t('close', h));
  });
});
