// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
'use strict';
// ipc_server_address: listens on a Unix socket path, prints it as its
// address, tells each client goodbye; a path already bound is EADDRINUSE
// (the 'error' listener throws: exit code 1).
const fs = require('fs');
const os = require('os');
const path = require('path');
const { run, Client } = require('./lib/harness');

run(async ({ start }) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cnet-ipc-'));
  try {
    const sock = path.join(dir, 'echo.sock');
    const server = start([sock]);
    await server.expect(`opened server ${sock}`);
    for (let i = 0; i < 2; i++) {
      const c = new Client({ path: sock });
      await c.event('end');
      await c.event('close');
      if (c.data !== 'goodbye\n') throw new Error(`received ${JSON.stringify(c.data)}`);
    }
    const second = start([sock]);
    await second.exit(1);
    second.noMoreLines();
    if (!/EADDRINUSE/.test(second.stderr)) throw new Error(`stderr: ${second.stderr}`);
    server.noMoreLines();
    await server.kill();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
