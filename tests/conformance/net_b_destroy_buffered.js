// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
// destroy() with corked writes still buffered: on the next tick (before
// 'close') every buffered write's callback gets ERR_STREAM_DESTROYED, in
// order; nothing reaches the server.
'use strict';
const net = require('net');
const { t } = require(__dirname + '/lib/trace');

const server = net.createServer((s) => {
  s.on('data', (d) => t('S data', JSON.stringify(d.toString())));
  s.on('end', () => t('S end'));
  s.on('close', (h) => { t('S close', h); server.close(); });
});
server.listen(0, '127.0.0.1', () => {
  const c = net.connect(server.address().port, '127.0.0.1', () => {
    c.cork();
    for (const chunk of ['a', 'b', 'c'])
      c.write(chunk, (err) => t('C write cb', chunk, err && err.code, err && err.message, c.writableLength));
    t('C before destroy', c.writableLength);
    c.destroy();
    t('C after destroy', c.writableLength);
    process.nextTick(() => t('C tick'));
  });
  c.on('error', (err) => t('C error', err.code));
  c.on('close', (h) => t('C close', h, c.writableLength));
});
