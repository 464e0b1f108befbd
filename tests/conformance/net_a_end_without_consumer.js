// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
// An accepted socket nobody reads from (no 'data' listener, not resumed)
// still sees the peer's FIN when no data came before it: 'end', then (with
// allowHalfOpen false) 'finish' and 'close', and the server's 'close'.
'use strict';
const net = require('net');
const { t } = require(__dirname + '/lib/trace');

const server = net.createServer((s) => {
  t('S connection');
  s.on('end', () => t('S end', s.readyState));
  s.on('finish', () => t('S finish'));
  s.on('close', (h) => {
    t('S close', h);
    server.close(() => t('server closed'));
  });
});
server.listen(0, '127.0.0.1', () => {
  const c = net.connect(server.address().port, '127.0.0.1', () => {
    t('C connect');
    c.end();
  });
  c.on('data', (d) => t('C data', d.length));
  c.on('end', () => t('C end'));
  c.on('close', (h) => t('C close', h));
});
