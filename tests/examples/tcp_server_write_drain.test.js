// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
'use strict';
// tcp_server_write_drain: an idle client gets 'Socket Timed out' after
// 500 ms (the socket stays open); a message is answered with the byte
// counts; on the client's end the count of connections left follows.
const { run, Client } = require('./lib/harness');

run(async ({ start }) => {
  const server = start([0]);
  const port = await server.listeningPort();
  await server.expect(`Server listening: {"address":"::","family":"IPv6","port":${port}}`);
  // Measured from before the connection, which starts the idle timeout:
  // never shorter than the server's wait, however slow this process is.
  const t0 = Date.now();
  const c = new Client({ port, host: '127.0.0.1' });
  await c.event('connect');
  const local = c.socket.localPort;
  await server.expect('Client connection: ');
  await server.expect(`\tlocal = ::ffff:127.0.0.1:${port}`);
  await server.expect(`\tremote = undefined:${local}`);
  await server.expect('Socket Timed out');
  if (Date.now() - t0 < 400) throw new Error(`timed out after ${Date.now() - t0} ms`);
  c.socket.write('hello');
  await server.expect(`Received data from client on port ${local}: hello`);
  await server.expect(' Bytes received: 5');
  await server.expect(' Bytes sent: 14');
  await c.received('Sending: hello');
  c.socket.write('€uro');
  await server.expect(`Received data from client on port ${local}: €uro`);
  await server.expect(' Bytes received: 11');
  await server.expect(' Bytes sent: 29');
  c.socket.end();
  await server.expect('Client disconnected');
  await server.expect(/^Remaining Connections: [01]$/);
  await c.event('close');
  server.noMoreLines();
  await server.kill();
});
