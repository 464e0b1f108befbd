// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
// write() after destroy(): returns false, the callback gets
// ERR_STREAM_DESTROYED on the next tick, and no 'error' is emitted;
// 'close' has had_error false. end(cb) after destroy (without an error)
// takes the normal path and its callback, waiting for a 'finish' that
// never comes, is never called.
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
    c.destroy();
    const r = c.write('more', (err) => t('C write cb', err.code, err.message));
    t('C write returned', r, c.writableLength);
    c.end((err) => t('C end cb', err && err.code, err && err.message));
    process.nextTick(() => t('C tick'));
  });
  c.on('finish', () => t('C finish'));
  c.on('error', (err) => t('C error', err.code));
  c.on('close', (h) => t('C close', h));
});
