// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
// destroy() while a large write is in flight (the reader has paused) and
// more is buffered behind it: after the ticks queued by then, the write in
// flight completes with no error (the handle cancels it), then the
// buffered write and the end() callback get ERR_STREAM_DESTROYED; then
// 'close'. The server resumes once the client has closed.
'use strict';
const net = require('net');
const { t } = require(__dirname + '/lib/trace');

let ssock;
const server = net.createServer((s) => {
  ssock = s;
  s.pause();
  s.on('data', () => {});
  s.on('end', () => t('S end'));
  s.on('error', (err) => t('S error', err.code));
  s.on('close', (h) => { t('S close', h); server.close(); });
});
server.listen(0, '127.0.0.1', () => {
  const c = net.connect(server.address().port, '127.0.0.1', () => {
    c.write(Buffer.alloc(16 * 1024 * 1024, 'x'), (err) => t('C write cb big', err, c.writableLength));
    c.write('tail', (err) => t('C write cb tail', err && err.code));
    c.end((err) => t('C end cb', err && err.code));
    t('C before destroy', c.writableLength);
    c.destroy();
    process.nextTick(() => t('C tick'));
  });
  c.on('error', (err) => t('C error', err.code));
  c.on('close', (h) => {
    t('C close', h);
    ssock.resume();
  });
});
