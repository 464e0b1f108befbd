// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
// The first send binds the socket (0.0.0.0, a random port): address()
// fails until then, 'listening' comes, and the queued sends go out in
// order after the listeners that were there before the first send.
'use strict';
const dgram = require('dgram');
const { t } = require(__dirname + '/lib/trace');
const { tr, addr } = require(__dirname + '/lib/dgram');

let got = 0;
const r = dgram.createSocket('udp4', (msg, ri) => {
  t('r message', JSON.stringify(msg.toString()), ri.port === s.address().port);
  if (++got === 2) { r.close(); s.close(() => t('s close')); }
});
let s;
r.bind(0, '127.0.0.1', () => {
  const port = r.address().port;
  s = dgram.createSocket('udp4');
  s.on('listening', () => { t('listening 1'); addr('address', { ...s.address(), port: 0 }); });
  tr('send one', () => s.send('one', port, '127.0.0.1', (e, n) => t('one cb', e, n)));
  tr('address after send', () => s.address());
  s.on('listening', () => t('listening 2'));
  tr('send two', () => s.send('two', port, '127.0.0.1', (e, n) => t('two cb', e, n)));
  tr('bind', () => s.bind(0));
  process.nextTick(() => t('tick'));
});
