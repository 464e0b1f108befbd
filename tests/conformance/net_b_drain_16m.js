// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
// A 16 MiB write to a reader that has paused: write() returns false, the
// whole write is counted in bufferSize, 'drain' comes once the reader has
// resumed and taken enough, then the write callback; the reader gets every
// byte. (Node's paused reader still reads up to its buffer's high-water
// mark; cnet's leaves the data in the kernel. Neither is printed.)
'use strict';
const net = require('net');
const { t } = require(__dirname + '/lib/trace');

const SIZE = 16 * 1024 * 1024;
let ssock, client;
let ready = 0;
let total = 0;
function both() {
  if (++ready < 2) return;
  const r = client.write(Buffer.alloc(SIZE, 'x'), (err) => t('C write cb', err, client.writableLength));
  t('C write', r, client.bufferSize, client.writableLength);
  setTimeout(() => {
    t('S resume', ssock.isPaused());
    ssock.resume();
  }, 50);
}
const server = net.createServer((s) => {
  ssock = s;
  s.on('pause', () => t('S pause event'));
  s.pause();
  t('S paused', s.isPaused());
  s.on('data', (d) => { total += d.length; });
  s.on('end', () => t('S end', total, total === SIZE));
  s.on('close', (h) => { t('S close', h); server.close(); });
  both();
});
server.listen(0, '127.0.0.1', () => {
  client = net.connect(server.address().port, '127.0.0.1', both);
  client.on('drain', () => {
    t('C drain', client.writableLength, client.bytesWritten);
    client.end();
  });
  client.on('close', (h) => t('C close', h));
});
