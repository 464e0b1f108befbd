// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
// end(data, cb) after a write: the write callback, then the end callback,
// then 'finish'; a second end(cb) before 'finish' is queued with the first;
// end(cb) after 'finish' gets ERR_STREAM_ALREADY_FINISHED on the next tick.
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
    c.write('a', (err) => t('C write cb', err));
    c.end('b', (err) => t('C end cb 1', err, c.readyState));
    t('C after end', c.writable, c.writableLength, c.readyState);
    c.end((err) => t('C end cb 2', err));
    t('C after second end', c.writable, c.destroyed);
  });
  c.on('finish', () => {
    t('C finish', c.readyState);
    c.end((err) => t('C end cb 3', err && err.code, err && err.message));
    process.nextTick(() => t('C tick after finish'));
  });
  c.on('error', (err) => t('C error', err.code));
  c.on('end', () => t('C end'));
  c.on('close', (h) => t('C close', h));
});
