// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
// getConnections() as connections come and go: 0 before any, +1 per
// accepted socket, -1 as each accepted socket is destroyed (counted down
// when destroyed, before its 'close'), 0 again at the end.
'use strict';
const net = require('net');
const { t } = require(__dirname + '/lib/trace');

const N = 3;
const clients = [];
const accepted = [];
const count = (tag, then) => server.getConnections((err, n) => {
  t(tag, err, n);
  if (then) then();
});

const server = net.createServer((s) => {
  accepted.push(s);
  s.resume();
  s.on('end', () => count('S end ' + accepted.indexOf(s)));
  s.on('close', () => {
    count('S close ' + accepted.indexOf(s), () => {
      if (accepted.every((x) => x.destroyed)) server.close(() => t('server closed'));
    });
  });
  count('connection ' + accepted.length, () => {
    if (clients.length < N) connectOne();
    else clients[0].end();
  });
});

function connectOne() {
  const c = net.connect(server.address().port, '127.0.0.1');
  c.resume();
  c.on('close', () => {
    const i = clients.indexOf(c);
    if (i + 1 < N) clients[i + 1].end();
  });
  clients.push(c);
}

server.listen(0, '127.0.0.1', () => count('listening', connectOne));
