// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
'use strict';
// tcp_keepalive: the accepted socket has SO_KEEPALIVE with a 1 s idle
// time, as ss shows it (a keepalive timer under a second).
const { execFileSync } = require('child_process');
const { run, Client } = require('./lib/harness');

run(async ({ start }) => {
  const server = start([0]);
  const port = Number((await server.expect(/^listening on (\d+)$/))[1]);
  const c = new Client({ port, host: '127.0.0.1' });
  await c.event('connect');
  const local = c.socket.localPort;
  await server.expect(`keep-alive on for ::ffff:127.0.0.1:${local}`);
  const out = execFileSync('ss', ['-tnoH', 'state', 'established',
                                  `( sport = :${port} and dport = :${local} )`]).toString();
  const m = out.match(/timer:\(keepalive,(\d+)ms,/);
  if (!m || Number(m[1]) > 1000) throw new Error(`ss shows no keepalive timer of 1 s:\n${out}`);
  c.socket.end();
  await server.expect('client closed');
  await c.event('close');
  server.noMoreLines();
  await server.kill();
});
