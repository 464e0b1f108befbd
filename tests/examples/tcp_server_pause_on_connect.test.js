// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
'use strict';
// tcp_server_pause_on_connect, resuming after 1 s: what the client sent at
// once is printed only then; later data at once. A client that ends at
// once is read (its data, then its end) after the resume.
const { run, Client } = require('./lib/harness');

run(async ({ start }) => {
  const server = start([0, 1000]);
  const port = await server.listeningPort();
  await server.expect('Connected on 0!'); // the port it was given
  // Waits are measured from before the connection, which starts the
  // server's timer: never shorter than the server's, however slow this
  // process is to see the connection.
  const t0 = Date.now();
  const c = new Client({ port, host: '127.0.0.1' });
  await c.event('connect');
  c.socket.write('abc');
  await server.expect('data : abc');
  const waited = Date.now() - t0;
  if (waited < 800) throw new Error(`data printed after ${waited} ms, before the resume`);
  c.socket.write('你好');
  await server.expect('data : 你好');
  c.socket.end();
  await c.event('close');

  // A client that ends at once: its data and its FIN wait in the kernel
  // until the resume; then the server reads both and ends its side.
  const t1 = Date.now();
  const quick = new Client({ port, host: '127.0.0.1' });
  await quick.event('connect');
  quick.socket.end('xyz');
  await server.expect('data : xyz');
  if (Date.now() - t1 < 800) throw new Error(`data printed after ${Date.now() - t1} ms`);
  await quick.event('end');
  await quick.event('close');
  server.noMoreLines();
  await server.kill();
});
