// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
// resetAndDestroy(): the socket closes with RST ('close' had_error false);
// the peer's read fails with ECONNRESET ("read ECONNRESET"), then its
// 'close' has had_error true.
'use strict';
const net = require('net');
const { t } = require(__dirname + '/lib/trace');

const server = net.createServer((s) => {
  s.on('data', () => {});
  s.write('hi');
  s.on('end', () => t('S end'));
  s.on('error', (err) => t('S error', err.code, err.errno, err.syscall, err.message, s.readyState));
  s.on('close', (h) => { t('S close', h, s.readyState); server.close(); });
});
server.listen(0, '127.0.0.1', () => {
  const c = net.connect(server.address().port, '127.0.0.1');
  c.on('data', (d) => {
    t('C data', JSON.stringify(d.toString()));
    c.resetAndDestroy();
    t('C after reset', c.destroyed, c.readyState);
  });
  c.on('end', () => t('C end'));
  c.on('error', (err) => t('C error', err.code));
  c.on('close', (h) => t('C close', h));
});
