// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
// net.connect({timeout}) arms the idle timeout from the start: 'timeout'
// fires on a connected, idle socket, which stays open until it is ended.
//
// The client is made in a timer callback: the turn's next phase is then the
// poll that completes the connection (done by the kernel within connect()
// on loopback), before any timer pass, however long the process stalls.
// Made in the 'listening' tick, before the loop's first timer pass, a
// stall of 60 ms would let 'timeout' come first, on an 'opening' socket.
'use strict';
const net = require('net');
const { t } = require(__dirname + '/lib/trace');

const server = net.createServer((s) => {
  s.on('end', () => t('S end'));
  s.on('close', () => server.close());
});
server.listen(0, '127.0.0.1', () => setTimeout(() => {
  const c = net.connect({ port: server.address().port, host: '127.0.0.1', timeout: 60 });
  t('C timeout', c.timeout);
  c.on('connect', () => t('C connect', c.timeout));
  c.on('timeout', () => {
    t('C timeout event', c.readyState, c.destroyed);
    c.end();
  });
  c.on('close', (h) => t('C close', h));
}, 0));
