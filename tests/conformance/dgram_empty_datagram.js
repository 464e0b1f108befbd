// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
// Empty datagrams are datagrams: '' , an empty Buffer and an empty list
// each arrive as a 'message' of size 0, in order with the others.
'use strict';
const dgram = require('dgram');
const { t } = require(__dirname + '/lib/trace');
const { rinfo } = require(__dirname + '/lib/dgram');

let n = 0;
const r = dgram.createSocket('udp4', (msg, ri) => {
  rinfo('message', msg, { ...ri, port: 0 });
  if (++n === 4) { r.close(); s.close(() => t('closed')); }
});
const s = dgram.createSocket('udp4');
r.bind(0, '127.0.0.1', () => {
  const port = r.address().port;
  s.send('', port, '127.0.0.1', (e, b) => t('empty string cb', e, b));
  s.send(Buffer.alloc(0), port, '127.0.0.1', (e, b) => t('empty buffer cb', e, b));
  s.send('x', port, '127.0.0.1', (e, b) => t('x cb', e, b));
  s.send([], port, '127.0.0.1', (e, b) => t('empty list cb', e, b));
});
