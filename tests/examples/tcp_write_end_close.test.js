// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
'use strict';
// tcp_write_end_close: the server's and the client's lines, each side in
// its order, with the client's end() 300 ms after it connected.
const { run, freePort, inOrder } = require('./lib/harness');

run(async ({ start }) => {
  const port = await freePort();
  const prog = start([port, 300]);
  const server = [
    'client has connected',
    'received data from the client:hello',
    'received data from the client:byebye',
    'the client closed the connection',
    'closed normally',
  ];
  const client = [
    'client connected',
    'received data from the server:server:hello',
    'received data from the server:server:byebye',
  ];
  const lines = await prog.printed([...server, ...client]);
  inOrder(lines, server, client);
  if (lines.length !== server.length + client.length)
    throw new Error(`unexpected lines:\n${lines.join('\n')}`);
  await prog.kill();
});
