// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
'use strict';
// tcp_server_bytes_read: each chunk as UTF-8 text with the running
// bytesRead; a character split across two writes comes out whole.
const { run, connectWhenListening } = require('./lib/harness');

run(async ({ start }) => {
  const server = start([0]);
  const port = await server.listeningPort();
  const c = await connectWhenListening({ port, host: '127.0.0.1' });
  c.socket.write('hello');
  await server.expect('received this time: hello, bytes received so far: 5');
  c.socket.write('你好');
  await server.expect('received this time: 你好, bytes received so far: 11');
  const ni = Buffer.from('你');
  c.socket.write(ni.subarray(0, 2), () => c.socket.write(ni.subarray(2)));
  await server.expect('received this time: 你, bytes received so far: 14');
  c.socket.end();
  await c.event('close');
  server.noMoreLines();
  await server.kill();
});
