// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
// Buffer sizes: Linux doubles what is set (10000 reads back 20000), the
// createSocket options apply once bound, and Node's size checks.
'use strict';
const dgram = require('dgram');
const { t } = require(__dirname + '/lib/trace');
const { tr } = require(__dirname + '/lib/dgram');

const s = dgram.createSocket({ type: 'udp4', recvBufferSize: 10000, sendBufferSize: 12000 });
s.bind(0, '127.0.0.1', () => {
  t('from options', s.getRecvBufferSize(), s.getSendBufferSize());
  tr('setRecvBufferSize 10000', () => s.setRecvBufferSize(10000));
  tr('setSendBufferSize 10000', () => s.setSendBufferSize(10000));
  t('after set', s.getRecvBufferSize(), s.getSendBufferSize());
  tr('setRecvBufferSize 0', () => s.setRecvBufferSize(0));
  t('after 0', s.getRecvBufferSize());
  tr('setRecvBufferSize -1', () => s.setRecvBufferSize(-1));
  tr('setSendBufferSize 2^32', () => s.setSendBufferSize(2 ** 32));
  tr('setRecvBufferSize 2^32-1', () => s.setRecvBufferSize(2 ** 32 - 1));
  tr('setSendBufferSize 2^31', () => s.setSendBufferSize(2 ** 31));
  t('unchanged', s.getRecvBufferSize(), s.getSendBufferSize());
  tr('setRecvBufferSize 65536', () => s.setRecvBufferSize(65536));
  t('after 65536', s.getRecvBufferSize());
  s.close();
});
