// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
'use strict';
// tcp_server_listen: prints when it listens, then once per client.
const { run, Client } = require('./lib/harness');

run(async ({ start }) => {
  const server = start([0]);
  const port = await server.listeningPort();
  await server.expect('Server started listening');
  for (let i = 0; i < 2; i++) {
    const c = new Client({ port, host: '127.0.0.1' });
    await c.event('connect');
    await server.expect('Client connected');
    c.socket.destroy();
  }
  server.noMoreLines();
  await server.kill();
});
