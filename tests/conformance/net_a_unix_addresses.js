// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
// Addresses of both ends of a Unix socket connection: address() is {} and
// remoteAddress/remotePort/remoteFamily/localAddress/localPort are undefined
// on the client and on the accepted socket.
'use strict';
const net = require('net');
const { t } = require(__dirname + '/lib/trace');

const show = (tag, s) => {
  t(tag, 'address()', JSON.stringify(s.address()));
  t(tag, 'remote', s.remoteAddress, s.remotePort, s.remoteFamily);
  t(tag, 'local', s.localAddress, s.localPort);
};
const server = net.createServer((s) => {
  show('S', s);
  s.end();
  s.resume();
  s.on('close', () => server.close(() => t('server closed')));
});
server.listen('addr.sock', () => {
  const c = net.connect('addr.sock', () => show('C', c));
  c.resume();
  c.on('close', () => t('C close'));
});
