// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
// bind() while binding and once bound: ERR_SOCKET_ALREADY_BOUND; bind()
// after close(): ERR_SOCKET_DGRAM_NOT_RUNNING. Only the first callback runs.
'use strict';
const dgram = require('dgram');
const { t } = require(__dirname + '/lib/trace');
const { tr } = require(__dirname + '/lib/dgram');

const s = dgram.createSocket('udp4');
s.on('listening', () => {
  t('listening');
  tr('bind when bound', () => s.bind(0, () => t('third cb')));
  tr('close', () => s.close());
  tr('bind after close', () => s.bind(0));
  tr('close again', () => s.close());
});
s.on('close', () => t('close'));
tr('bind', () => s.bind(0, '127.0.0.1', () => t('first cb')));
tr('bind while binding', () => s.bind(0, '127.0.0.1', () => t('second cb')));
