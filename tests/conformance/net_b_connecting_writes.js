// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
// Writes made while connecting: write() returns true below the high-water
// mark, bufferSize/writableLength grow with each, and after 'connect' the
// callbacks run in order; 'connect' listeners added before and after.
'use strict';
const net = require('net');
const { t } = require(__dirname + '/lib/trace');

const server = net.createServer((s) => {
  let got = '';
  s.on('data', (d) => { got += d; });
  s.on('end', () => t('S end', JSON.stringify(got)));
  s.on('close', () => server.close());
});
server.listen(0, '127.0.0.1', () => {
  const c = net.connect(server.address().port, '127.0.0.1', () => {
    t('C connect cb', c.bufferSize, c.writableLength, c.bytesWritten);
  });
  t('C connecting', c.connecting, c.bufferSize, c.writableLength);
  for (const [i, chunk] of ['aa', 'bbb', 'cccc'].entries()) {
    const r = c.write(chunk, (err) => t('C write cb', i, err, c.writableLength));
    t('C write', i, r, c.bufferSize, c.writableLength, c.bytesWritten);
  }
  c.on('connect', () => t('C connect', c.bufferSize, c.writableLength));
  c.on('ready', () => t('C ready', c.bufferSize, c.writableLength));
  c.on('drain', () => t('C drain'));
  c.end(() => t('C end cb', c.bytesWritten));
  t('C after end', c.writableLength);
  c.on('close', (h) => t('C close', h));
});
