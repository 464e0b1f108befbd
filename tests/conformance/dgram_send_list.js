// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
// send([buffers]) is one datagram made of all of them, in order.
'use strict';
const dgram = require('dgram');
const { t } = require(__dirname + '/lib/trace');

const r = dgram.createSocket('udp4', (msg, ri) => {
  t('message', JSON.stringify(msg.toString()), ri.size);
  if (msg.toString() === 'end') { r.close(); s.close(); }
});
const s = dgram.createSocket('udp4');
r.bind(0, '127.0.0.1', () => {
  const port = r.address().port;
  s.send([Buffer.from('Hello '), Buffer.from(''), Buffer.from('dgram '), Buffer.from('world')],
         port, '127.0.0.1', (e, n) => t('list cb', e, n));
  s.send([Buffer.from('one')], port, (e, n) => t('one-element list cb', e, n));
  s.send(['end'], port, '127.0.0.1');
});
