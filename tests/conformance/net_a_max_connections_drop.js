// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
// maxConnections = 1: a second client while the first is connected is
// dropped. The server emits 'drop' with the peer's address (it equals the
// dropped client's local address/port), the dropped client sees its
// connection simply closed ('connect', 'end', 'close' false), and
// getConnections still counts 1.
'use strict';
const net = require('net');
const { t } = require(__dirname + '/lib/trace');

let first;
const server = net.createServer((s) => {
  t('connection');
  s.resume();
  s.on('end', () => s.end());
  s.on('close', () => {
    t('S close');
    server.close(() => t('server closed'));
  });
  connectSecond();
});
server.maxConnections = 1;
let drop;
server.on('drop', (d) => {
  drop = d;
  t('drop', d.remoteAddress, d.remoteFamily);
  t('drop local', d.localAddress, d.localFamily,
    d.localPort === server.address().port);
});

function connectSecond() {
  const events = [];
  const c2 = net.connect(server.address().port, '127.0.0.1');
  let localPort;
  c2.on('connect', () => {
    events.push('connect');
    localPort = c2.localPort;
  });
  c2.on('data', (d) => events.push('data ' + d.length));
  c2.on('end', () => events.push('end'));
  c2.on('error', (e) => events.push('error ' + e.code));
  c2.on('close', (h) => {
    events.push('close ' + h);
    t('C2', events.join(','));
    t('drop port is C2 local port', drop.remotePort === localPort);
    server.getConnections((err, n) => {
      t('getConnections', err, n);
      first.end();
    });
  });
}

server.listen(0, '127.0.0.1', () => {
  first = net.connect(server.address().port, '127.0.0.1');
  first.resume();
  first.on('close', (h) => t('C1 close', h));
});
