// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
// Datagrams read in one wake-up are each their own callback: the ticks a
// 'message' listener queues run before the next 'message'. The first five
// datagrams reach an idle receiver; the three sent after them reach one
// that has just read a burst (cnet reads those with one recvmmsg).
'use strict';
const dgram = require('dgram');
const { t } = require(__dirname + '/lib/trace');

const r = dgram.createSocket('udp4');
const s = dgram.createSocket('udp4');
let got = 0;

function burst(list) {
  t('send', list.join(' '));
  for (const m of list) s.send(m, r.address().port, '127.0.0.1');
}

r.on('message', (msg) => {
  const m = msg.toString();
  t('message', m);
  process.nextTick(() => {
    t('tick', m);
    process.nextTick(() => t('tick', m, 'nested'));
  });
  if (++got === 5) setImmediate(() => burst(['f', 'g', 'h']));
  if (got === 8) {
    s.close();
    r.close(() => t('closed'));
  }
});
r.bind(0, '127.0.0.1', () => {
  s.bind(0, '127.0.0.1', () => burst(['a', 'b', 'c', 'd', 'e']));
});
