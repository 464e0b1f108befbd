// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
'use strict';
// tcp_create_connection with tcp_server_address (seed 003's server): the
// client prints the server's goodbye (console.log adds a line after its
// newline) and leaves when the server has ended.
const { run } = require('./lib/harness');

run(async ({ start, startPartner }) => {
  const server = startPartner([0]);
  const port = (await server.expect(/^opened server \{ address: '::', family: 'IPv6', port: (\d+) \}$/))[1];
  const client = start([port]);
  await client.expect('connected to server');
  await client.expect('goodbye');
  await client.expect('');
  await client.expect('disconnected from server');
  await client.exit();
  client.noMoreLines();
  await server.kill();
});
