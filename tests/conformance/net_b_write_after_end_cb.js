// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
// write() after end(): returns false, the callback gets
// ERR_STREAM_WRITE_AFTER_END on the next tick, then 'error' with the same
// code, then 'close' with had_error true; no 'finish'. The callback given
// to end() is called with the error too (Writable.prototype.destroy's
// errorBuffer tick), between the write callback and 'error'.
'use strict';
const net = require('net');
const { t } = require(__dirname + '/lib/trace');

const server = net.createServer((s) => {
  s.on('data', (d) => t('S data', JSON.stringify(d.toString())));
  s.on('end', () => t('S end'));
  s.on('error', (err) => t('S error', err.code));
  s.on('close', (h) => { t('S close', h); server.close(); });
});
server.listen(0, '127.0.0.1', () => {
  const c = net.connect(server.address().port, '127.0.0.1', () => {
    c.end('last', (err) => t('C end cb', err && err.code));
    const r = c.write('more', (err) => t('C write cb', err.code, err.message, c.destroyed));
    t('C write returned', r, c.destroyed, c.readyState);
    process.nextTick(() => t('C tick'));
  });
  c.on('finish', () => t('C finish'));
  c.on('error', (err) => t('C error', err.code, err.message, c.destroyed));
  c.on('close', (h) => t('C close', h, c.readyState));
});
