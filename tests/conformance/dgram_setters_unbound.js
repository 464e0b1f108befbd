// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
// Before bind there is no file descriptor: the setters and getters fail
// with EBADF in Node's words; the send queue is empty.
'use strict';
const dgram = require('dgram');
const { t } = require(__dirname + '/lib/trace');
const { tr } = require(__dirname + '/lib/dgram');

for (const type of ['udp4', 'udp6']) {
  t(type);
  const s = dgram.createSocket(type);
  tr('address', () => s.address());
  tr('setTTL', () => s.setTTL(64));
  tr('setTTL 0', () => s.setTTL(0));
  tr('setBroadcast', () => s.setBroadcast(true));
  tr('setMulticastTTL', () => s.setMulticastTTL(3));
  tr('setMulticastTTL 256', () => s.setMulticastTTL(256));
  tr('setMulticastLoopback', () => s.setMulticastLoopback(true));
  tr('setMulticastInterface', () => s.setMulticastInterface('127.0.0.1'));
  tr('setMulticastInterface bad', () => s.setMulticastInterface('nope'));
  tr('getRecvBufferSize', () => s.getRecvBufferSize());
  tr('getSendBufferSize', () => s.getSendBufferSize());
  tr('setRecvBufferSize', () => s.setRecvBufferSize(1000));
  tr('setSendBufferSize', () => s.setSendBufferSize(1000));
  tr('setSendBufferSize -1', () => s.setSendBufferSize(-1));
  tr('remoteAddress', () => s.remoteAddress());
  tr('disconnect', () => s.disconnect());
  t('getSendQueueSize', s.getSendQueueSize());
  t('getSendQueueCount', s.getSendQueueCount());
  s.close(() => t(type, 'closed'));
}
