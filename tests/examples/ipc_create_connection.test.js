// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
'use strict';
// ipc_create_connection with ipc_server_address: seed 003's client over a
// Unix domain socket.
const fs = require('fs');
const os = require('os');
const path = require('path');
const { run } = require('./lib/harness');

run(async ({ start, startPartner }) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cnet-ipc-'));
  try {
    const sock = path.join(dir, 'echo.sock');
    const server = startPartner([sock]);
    await server.expect(`opened server ${sock}`);
    const client = start([sock]);
    await client.expect('connected to server');
    await client.expect('goodbye');
    await client.expect('');
    await client.expect('disconnected from server');
    await client.exit();
    client.noMoreLines();
    await server.kill();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
