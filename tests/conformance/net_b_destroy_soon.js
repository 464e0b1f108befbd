// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
// destroySoon() with 16 MiB still being written to a reader that has
// paused: it ends the socket at once, waits for 'finish' (every byte handed
// to the kernel, after the reader resumed), then destroys it; the client
// never sees the server's 'end'. The server gets every byte.
'use strict';
const net = require('net');
const { t } = require(__dirname + '/lib/trace');

const SIZE = 16 * 1024 * 1024;
let ssock;
let ready = 0;
let client;
function both() {
  if (++ready < 2) return;
  const c = client;
  const r = c.write(Buffer.alloc(SIZE, 'q'), (err) => t('C write cb', err, c.destroyed));
  t('C write', r);
  c.destroySoon();
  t('C after destroySoon', c.writable, c.destroyed, c.readyState, c.writableLength);
  setTimeout(() => ssock.resume(), 50);
}
const server = net.createServer((s) => {
  ssock = s;
  s.pause();
  let total = 0;
  s.on('data', (d) => { total += d.length; });
  s.on('end', () => t('S end', total));
  s.on('finish', () => t('S finish'));
  s.on('close', (h) => { t('S close', h); server.close(); });
  both();
});
server.listen(0, '127.0.0.1', () => {
  const c = client = net.connect(server.address().port, '127.0.0.1', both);
  c.on('finish', () => t('C finish', c.destroyed, c.readyState));
  c.on('end', () => t('C end'));
  c.on('error', (err) => t('C error', err.code));
  c.on('close', (h) => t('C close', h, c.readyState));
});
