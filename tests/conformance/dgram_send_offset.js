// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
// send(buf, offset, length, ...): the slice goes; out-of-bounds offset or
// length throw ERR_BUFFER_OUT_OF_BOUNDS before anything else is checked.
'use strict';
const dgram = require('dgram');
const { t } = require(__dirname + '/lib/trace');
const { tr } = require(__dirname + '/lib/dgram');

const buf = Buffer.from('0123456789');
const r = dgram.createSocket('udp4', (msg, ri) => {
  t('message', JSON.stringify(msg.toString()), ri.size);
  if (msg.toString() === '9') { r.close(); s.close(); }
});
const s = dgram.createSocket('udp4');
r.bind(0, '127.0.0.1', () => {
  const port = r.address().port;
  tr('2,3', () => s.send(buf, 2, 3, port, '127.0.0.1', (e, n) => t('2,3 cb', e, n)));
  tr('0,10', () => s.send(buf, 0, 10, port, '127.0.0.1'));
  tr('10,0', () => s.send(buf, 10, 0, port, '127.0.0.1', (e, n) => t('10,0 cb', e, n)));
  tr('offset 11', () => s.send(buf, 11, 0, port, '127.0.0.1'));
  tr('length 9 from 2', () => s.send(buf, 2, 9, port, '127.0.0.1'));
  tr('offset 11 bad port', () => s.send(buf, 11, 1, 0, '127.0.0.1'));
  tr('length 11 bad port', () => s.send(buf, 0, 11, 0, '127.0.0.1'));
  tr('9,1', () => s.send(buf, 9, 1, port, '127.0.0.1'));
});
