// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
'use strict';
// tcp_server_hello: greets a client with Hello, prints what it sends and
// when it leaves.
const { run, Client } = require('./lib/harness');

run(async ({ start }) => {
  const server = start([0]);
  const port = await server.listeningPort();
  await server.expect('Server listening for connections');
  for (const msg of ['ping', '你好']) {
    const c = new Client({ port, host: '127.0.0.1' });
    await server.expect('Client connected');
    await c.received('Hello');
    c.socket.write(msg);
    await server.expect(`Client sent ${msg}`);
    c.socket.end();
    await server.expect('Client disconnected');
    await c.event('end');
    await c.event('close');
  }
  server.noMoreLines();
  await server.kill();
});
