// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
// end(data, cb) right after connect(): the data waits for the connection,
// 'connect' and 'ready' come first, then the end callback and 'finish';
// readyState is "opening" until then, and bytesWritten counts the pending
// data at once.
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
  const c = net.connect(server.address().port, '127.0.0.1');
  c.end('early', (err) => t('C end cb', err, c.readyState));
  t('C after end', c.readyState, c.writable, c.writableLength, c.bytesWritten);
  c.on('connect', () => t('C connect', c.readyState, c.writableLength));
  c.on('ready', () => t('C ready', c.readyState));
  c.on('finish', () => t('C finish', c.readyState, c.bytesWritten));
  c.on('end', () => t('C end', c.readyState));
  c.on('close', (h) => t('C close', h));
});
