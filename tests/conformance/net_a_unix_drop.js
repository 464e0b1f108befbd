// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
// 'drop' on a Unix socket server: the refused connection has no addresses
// to report, so Node emits 'drop' with no argument (on TCP it carries the
// remote* and local* fields). The refused client sees its connection
// simply closed ('connect', 'end', 'close' false); its events are printed
// at its close, since its 'connect' and the server's 'drop' race.
'use strict';
const net = require('net');
const { t } = require(__dirname + '/lib/trace');

const server = net.createServer(() => t('connection'));
server.maxConnections = -1;
server.on('drop', (d) => {
  t('drop', d === undefined ? 'no data' : 'data');
  t('drop remote', d?.remoteAddress, d?.remotePort, d?.remoteFamily);
  t('drop local', d?.localAddress, d?.localPort, d?.localFamily);
});
server.listen('drop.sock', () => {
  const events = [];
  const c = net.connect('drop.sock');
  c.on('connect', () => events.push('connect'));
  c.on('end', () => events.push('end'));
  c.on('error', (e) => events.push('error ' + e.code));
  c.on('close', (h) => {
    events.push('close ' + h);
    t('C', events.join(','));
    server.close(() => t('server closed'));
  });
  c.resume();
});
