// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
// bind(0, '127.0.0.1', cb): address() before, while and after binding, the
// order of the bind callback, 'listening', ticks and 'close'.
'use strict';
const dgram = require('dgram');
const { t } = require(__dirname + '/lib/trace');
const { tr, addr } = require(__dirname + '/lib/dgram');

const s = dgram.createSocket('udp4');
t('type', s.type);
tr('address before bind', () => s.address());
tr('bind', () => s.bind(0, '127.0.0.1', () => {
  t('bind cb');
  addr('address', s.address());
  tr('close', () => s.close(() => t('close cb')));
  t('after close');
}));
s.on('listening', () => t('listening'));
s.on('close', () => t('close'));
tr('address while binding', () => s.address());
process.nextTick(() => t('tick'));
t('end of script');
