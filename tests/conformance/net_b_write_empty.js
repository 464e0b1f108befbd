// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
// Zero-length writes (a string and a buffer) succeed: write() returns true,
// writableLength stays 0, the callbacks run in order with no error, and
// the peer gets no 'data' for them.
'use strict';
const net = require('net');
const { t } = require(__dirname + '/lib/trace');

const server = net.createServer((s) => {
  s.on('data', (d) => t('S data', d.length));
  s.on('end', () => t('S end'));
  s.on('close', () => server.close());
});
server.listen(0, '127.0.0.1', () => {
  const c = net.connect(server.address().port, '127.0.0.1', () => {
    t('C write', c.write('', (err) => t('C write cb 1', err)), c.writableLength);
    t('C write', c.write(Buffer.alloc(0), (err) => t('C write cb 2', err)), c.writableLength);
    t('C write', c.write('z', (err) => t('C write cb 3', err)), c.writableLength);
    c.end((err) => t('C end cb', err, c.bytesWritten));
  });
  c.on('finish', () => t('C finish'));
  c.on('close', (h) => t('C close', h));
});
