// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
'use strict';
// tcp_server_end: 'end' for a client that ends without sending; a client
// that sent data first is never read (no 'data' listener), so it sees no
// 'end' and the server does not end its side.
const { run, Client, connectWhenListening } = require('./lib/harness');

run(async ({ start }) => {
  const server = start([0]);
  const port = await server.listeningPort();
  const quiet = await connectWhenListening({ port, host: '127.0.0.1' });
  quiet.socket.end();
  await server.expect('client closed');
  await quiet.event('end');
  await quiet.event('close');

  const talker = new Client({ port, host: '127.0.0.1' });
  await talker.event('connect');
  talker.socket.end('hello');
  // A second quiet client afterwards: its line is the next one.
  const quiet2 = new Client({ port, host: '127.0.0.1' });
  await quiet2.event('connect');
  quiet2.socket.end();
  await server.expect('client closed');
  await quiet2.event('close');
  server.noMoreLines();
  if (talker.events.includes('end'))
    throw new Error('the server ended a connection it never read');
  talker.socket.destroy();
  await server.kill();
});
