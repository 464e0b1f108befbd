// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
// One socket connected 50 times: connect, end, and on 'close' connect
// again. Every round has exactly one 'connect', 'ready', 'end', 'finish' and
// 'close' (had_error false), the server one connection; counts at the end.
'use strict';
const net = require('net');
const { t } = require(__dirname + '/lib/trace');

const ROUNDS = 50;
const n = { connection: 0, connect: 0, ready: 0, data: 0, end: 0, finish: 0,
            close: 0, had_error: 0, error: 0 };
const server = net.createServer((s) => {
  n.connection++;
  s.end('x');
  s.resume();
});
server.listen(0, '127.0.0.1', () => {
  const port = server.address().port;
  const c = new net.Socket();
  let round = 0;
  c.on('connect', () => {
    n.connect++;
    if (c.readyState !== 'open' || c.connecting || c.pending) t('bad state', round, c.readyState);
  });
  c.on('ready', () => n.ready++);
  c.on('data', () => n.data++);
  c.on('end', () => n.end++);
  c.on('finish', () => n.finish++);
  c.on('error', (e) => {
    n.error++;
    t('error', round, e.code);
  });
  c.on('close', (h) => {
    n.close++;
    if (h) n.had_error++;
    if (++round < ROUNDS) {
      c.connect(port, '127.0.0.1');
      return;
    }
    t('rounds', round, 'destroyed', c.destroyed, c.readyState);
    for (const k of Object.keys(n)) t(k, n[k]);
    server.close(() => t('server closed'));
  });
  c.connect(port, '127.0.0.1');
});
