// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
// A client connects to a Unix socket by path and both sides exchange data:
// ping, pong, the server ends, the client ends in turn; byte counts at close.
'use strict';
const net = require('net');
const { t } = require(__dirname + '/lib/trace');

const server = net.createServer((s) => {
  t('S connection', s.readyState);
  s.on('data', (d) => {
    t('S data', d.toString());
    s.end('pong');
  });
  s.on('end', () => t('S end'));
  s.on('close', (h) => {
    t('S close', h, s.bytesRead, s.bytesWritten);
    server.close(() => t('server closed'));
  });
});
server.listen('x.sock', () => {
  const c = net.connect('x.sock', () => {
    t('C connect', c.readyState);
    c.write('ping');
  });
  c.on('data', (d) => t('C data', d.toString()));
  c.on('end', () => t('C end'));
  c.on('close', (h) => t('C close', h, c.bytesRead, c.bytesWritten));
});
