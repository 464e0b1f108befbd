// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
// Activity postpones 'timeout': a write and a read each start the idle
// period again, from the moment they are made. Each comes when the period
// before it has run out by the clock (busy waits) but before the timer
// pass that would see it: without them 'timeout' would come at that pass,
// before the data. 'timeout' comes only after a whole idle period since
// the read, which is printed as a lower bound: no stall of the machine can
// make it false, where a trace of steps at a fixed pace would shift.
'use strict';
const net = require('net');
const { t } = require(__dirname + '/lib/trace');

function busy(ms) {
  const end = Date.now() + ms;
  while (Date.now() < end);
}

let ssock, mark;
const server = net.createServer((s) => {
  ssock = s;
  s.resume();
  s.on('close', () => server.close());
});
server.listen(0, '127.0.0.1', () => {
  const c = net.connect(server.address().port, '127.0.0.1', () => {
    // Started before the idle timeout with a shorter delay: the pass after
    // the wait runs it before it looks at the timeout.
    setTimeout(() => {
      mark = Date.now();
      t('C write');
      c.write('c');
      t('S write');
      ssock.write('s');
      busy(70); // the client reads once the period from its write ran out
    }, 1);
    c.setTimeout(50);
    t('C timeout set', c.timeout);
    busy(70); // the write comes once the first period ran out
  });
  c.on('data', (d) => t('C data', JSON.stringify(d.toString())));
  c.on('timeout', () => {
    // The read came at least 70 ms after mark, the timeout 50 ms after it.
    t('C timeout, a whole period after the read:', Date.now() - mark >= 115);
    c.end();
  });
  c.on('close', (h) => t('C close', h));
});
