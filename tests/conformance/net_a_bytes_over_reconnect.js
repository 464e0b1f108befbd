// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
// bytesRead and bytesWritten of one socket connected three times: a write
// made while connecting counts at once, 'data' and 'end' see the bytes read
// so far, 'close' the totals, and connecting again starts both from 0.
'use strict';
const net = require('net');
const { t } = require(__dirname + '/lib/trace');

const server = net.createServer((s) => {
  s.write('hi');
  s.resume();
  s.on('end', () => s.end());
});
server.listen(0, '127.0.0.1', () => {
  const port = server.address().port;
  const c = new net.Socket();
  let round = 0;
  const bytes = (tag) => t(tag, round, c.bytesRead, c.bytesWritten);
  bytes('new');
  c.on('connect', () => {
    bytes('connect');
    c.end('abc');
    bytes('after end');
  });
  c.on('data', (d) => bytes('data ' + d.toString()));
  c.on('end', () => bytes('end'));
  c.on('close', () => {
    bytes('close');
    if (++round < 3) {
      c.connect(port, '127.0.0.1');
      bytes('reconnecting');
    } else {
      server.close(() => t('server closed'));
    }
  });
  c.connect(port, '127.0.0.1');
  c.write('w');
  bytes('connecting');
});
