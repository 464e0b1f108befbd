// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
// A 'message' listener that closes the socket ends the reads of that
// wake-up: the datagram still unread is never emitted, and what an earlier
// listener queued (a tick, a send's callback) has run before the close.
// Twice: a receiver that is idle, then one that has just read a burst
// (cnet reads the three with one recvmmsg).
'use strict';
const dgram = require('dgram');
const { t } = require(__dirname + '/lib/trace');

const s = dgram.createSocket('udp4');

function receiver(name, warm, next) {
  const r = dgram.createSocket('udp4');
  const send = (list) => {
    for (const m of list) s.send(m, r.address().port, '127.0.0.1');
  };
  let got = 0;
  r.on('message', (msg, ri) => {
    const m = msg.toString();
    t(name, 'message', m);
    process.nextTick(() => t(name, 'tick', m));
    if (++got === warm) setImmediate(() => send(['a', 'b', 'c']));
    if (m === 'a')
      r.send('reply', ri.port, ri.address, (e, n) => t(name, 'send cb', e, n));
    if (m === 'b') r.close(() => { t(name, 'closed'); next(); });
  });
  r.bind(0, '127.0.0.1', () => send(warm ? ['w', 'w', 'w', 'w'] : ['a', 'b', 'c']));
}

s.bind(0, '127.0.0.1', () => {
  receiver('idle', 0, () => receiver('busy', 4, () => s.close()));
});
