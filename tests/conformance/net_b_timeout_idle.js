// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
// setTimeout: 'timeout' fires once per idle period (not again while the
// socket stays idle), the socket stays open after it, and activity arms it
// again. The callback given to setTimeout is a once listener.
//
// The activity that arms it again is data the client reads: the period
// starts at that read, so 'data' comes before the second 'timeout' however
// the process stalls. (Were it the client's write of a ping, the period
// would start at the write, and a stall of 40 ms before the echo was read
// would let 'timeout' come first.)
'use strict';
const net = require('net');
const { t } = require(__dirname + '/lib/trace');

let timeouts = 0;
let ssock;
const server = net.createServer((s) => {
  ssock = s;
  s.on('close', () => server.close());
});
server.listen(0, '127.0.0.1', () => {
  const c = net.connect(server.address().port, '127.0.0.1', () => {
    c.setTimeout(40, () => t('C setTimeout cb'));
    t('C timeout set', c.timeout);
  });
  c.on('timeout', () => {
    timeouts++;
    t('C timeout', timeouts, c.readyState, c.destroyed);
    if (timeouts === 1) {
      // Three idle periods: no second 'timeout' without activity.
      setTimeout(() => {
        t('C still', timeouts, c.readyState);
        ssock.write('ping');
      }, 150);
    } else {
      c.end();
    }
  });
  c.on('data', (d) => t('C data', JSON.stringify(d.toString()), timeouts));
  c.on('close', (h) => t('C close', h, timeouts));
});
