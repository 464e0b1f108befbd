// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
// Both ends of a TCP connection over 127.0.0.1: address(), localAddress,
// localPort, localFamily, remoteAddress, remotePort, remoteFamily; the
// client's local port is the accepted socket's remote port and the other
// way round. Before the client connects they are {} / undefined.
'use strict';
const net = require('net');
const { t } = require(__dirname + '/lib/trace');

const show = (tag, s) => {
  const a = s.address();
  t(tag, 'address()', a.address, a.family, a.port);
  t(tag, 'local', s.localAddress, s.localPort, s.localFamily);
  t(tag, 'remote', s.remoteAddress, s.remotePort, s.remoteFamily);
};
let accepted;
const server = net.createServer((s) => {
  accepted = s;
  show('S', s);
  s.resume();
  s.on('end', () => s.end());
  s.on('close', () => server.close(() => t('server closed')));
});
server.listen(0, '127.0.0.1', () => {
  const port = server.address().port;
  const c = net.connect(port, '127.0.0.1', () => {
    show('C', c);
    t('C remotePort is the server port', c.remotePort === port);
    t('S localPort is the server port', accepted.localPort === port);
    t('C localPort is S remotePort', c.localPort === accepted.remotePort);
    c.end();
  });
  t('C connecting', JSON.stringify(c.address()), c.localAddress, c.localPort,
    c.remoteAddress, c.remotePort, c.remoteFamily);
  c.resume();
});
