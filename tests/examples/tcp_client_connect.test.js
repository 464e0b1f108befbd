// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
'use strict';
// tcp_client_connect with its server of the same seed, tcp_server_hello:
// the client prints the greeting and leaves; the server shows the line it
// sent (console.log of "Some data\r\n": the CR stays, an empty line
// follows).
const { run, inOrder } = require('./lib/harness');

run(async ({ start, startPartner }) => {
  const server = startPartner([0]);
  const port = await server.listeningPort();
  await server.expect('Server listening for connections');
  const client = start([port]);
  await client.expect('Client connected');
  await client.expect('Hello');
  await client.expect('Client disconnected');
  await client.exit();
  client.noMoreLines();
  const want = ['Client connected', 'Client sent Some data\r', '', 'Client disconnected'];
  await server.printed(want);
  inOrder(server.lines, want);
  if (server.lines.length !== want.length + 1)
    throw new Error(`server printed:\n${server.lines.join('\n')}`);
  await server.kill();
});
