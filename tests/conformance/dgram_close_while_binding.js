// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
// close() while the implicit bind of a send runs: the close waits behind
// the queued sends, 'listening' still comes, the sends are dropped (their
// callbacks never run) and 'close' follows. A close() during an explicit
// bind's lookup closes at once and 'listening' never comes.
'use strict';
const dgram = require('dgram');
const { t } = require(__dirname + '/lib/trace');
const { tr } = require(__dirname + '/lib/dgram');

const s = dgram.createSocket('udp4');
s.on('listening', () => t('s listening'));
s.send('one', 9, '127.0.0.1', () => t('one cb never'));
s.send('two', 9, '127.0.0.1', () => t('two cb never'));
tr('close', () => s.close(() => t('s close cb')));
s.on('close', () => {
  t('s close');
  const b = dgram.createSocket('udp4');
  b.on('listening', () => t('b listening never'));
  b.bind(0, '127.0.0.1', () => t('b bind cb never'));
  tr('b close', () => b.close(() => t('b close cb')));
  tr('b address', () => b.address());
});
process.nextTick(() => t('tick'));
