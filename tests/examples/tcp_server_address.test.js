// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
'use strict';
// tcp_server_address: listens on a free port and prints address(); each
// client gets goodbye and the end. With a port given, that port; with a
// port in use, the 'error' listener throws: exit code 1.
const net = require('net');
const { run, freePort, Client } = require('./lib/harness');

const ADDRESS = /^opened server \{ address: '::', family: 'IPv6', port: (\d+) \}$/;

run(async ({ start }) => {
  const free = start([]);
  const port = Number((await free.expect(ADDRESS))[1]);
  for (let i = 0; i < 2; i++) {
    const c = new Client({ port, host: '127.0.0.1' });
    await c.event('end');
    await c.event('close');
    if (c.data !== 'goodbye\n') throw new Error(`received ${JSON.stringify(c.data)}`);
  }
  free.noMoreLines();
  await free.kill();

  const chosen = await freePort();
  const given = start([chosen]);
  await given.expect(`opened server { address: '::', family: 'IPv6', port: ${chosen} }`);
  await given.kill();

  const blocker = net.createServer();
  await new Promise((r) => blocker.listen(0, r));
  const taken = start([blocker.address().port]);
  await taken.exit(1);
  taken.noMoreLines();
  if (!/EADDRINUSE/.test(taken.stderr)) throw new Error(`stderr: ${taken.stderr}`);
  blocker.close();
});
