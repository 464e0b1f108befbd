// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
// Addresses of a closed socket: address()/localAddress/localPort are gone
// ({} / undefined), but remoteAddress/remotePort/remoteFamily, once read
// while connected, are still there in 'close' (Node keeps the peer name).
'use strict';
const net = require('net');
const { t } = require(__dirname + '/lib/trace');

const server = net.createServer((s) => {
  s.resume();
  s.on('end', () => s.end());
  s.on('close', () => server.close(() => t('server closed')));
});
server.listen(0, '127.0.0.1', () => {
  const port = server.address().port;
  const c = net.connect(port, '127.0.0.1', () => {
    t('connect', c.remoteAddress, c.remotePort === port, c.remoteFamily);
    c.end();
  });
  c.resume();
  c.on('close', () => {
    t('close address()', JSON.stringify(c.address()), c.localAddress, c.localPort);
    t('close remote', c.remoteAddress, c.remotePort === port, c.remoteFamily);
  });
});
