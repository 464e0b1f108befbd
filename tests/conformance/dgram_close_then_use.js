// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
// After close(): every call that checks the socket throws
// ERR_SOCKET_DGRAM_NOT_RUNNING; ref/unref are no-ops; 'close' comes on the
// next tick, after the close callbacks registered before it.
'use strict';
const dgram = require('dgram');
const { t } = require(__dirname + '/lib/trace');
const { tr } = require(__dirname + '/lib/dgram');

const s = dgram.createSocket('udp4');
s.bind(0, '127.0.0.1', () => {
  s.on('close', () => t('close listener'));
  tr('close', () => s.close(() => t('close cb')));
  t('after close');
  tr('close again', () => s.close(() => t('second close cb')));
  tr('bind', () => s.bind(0));
  tr('send', () => s.send('x', 1234, '127.0.0.1'));
  // connect() on a closed bound socket is a TypeError in Node (it reaches
  // for the closed handle); cnet returns ERR_SOCKET_DGRAM_NOT_RUNNING.
  tr('address', () => s.address());
  tr('remoteAddress', () => s.remoteAddress());
  tr('addMembership', () => s.addMembership('230.1.2.3'));
  tr('dropMembership', () => s.dropMembership('230.1.2.3'));
  tr('addSourceSpecificMembership', () => s.addSourceSpecificMembership('127.0.0.1', '232.1.2.3'));
  tr('setMulticastInterface', () => s.setMulticastInterface('127.0.0.1'));
  tr('ref', () => s.ref());
  tr('unref', () => s.unref());
  process.nextTick(() => t('tick'));
});
