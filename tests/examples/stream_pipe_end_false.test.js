// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
'use strict';
// stream_pipe_end_false: data printed as Buffers and written to the file;
// the client's end does not end the file: the server ends it with "over".
const path = require('path');
const { run, connectWhenListening } = require('./lib/harness');
const { tempDir, fileHolds } = require('./lib/files');

run(async ({ start }) => {
  const dir = tempDir();
  const file = path.join(dir, 'msg.txt');
  const server = start([0, file], { cwd: dir });
  const port = await server.listeningPort();
  const c = await connectWhenListening({ port, host: '127.0.0.1' });
  c.socket.write('hello');
  await server.expect('<Buffer 68 65 6c 6c 6f>');
  await fileHolds(file, 'hello');
  const big = 'x'.repeat(60);
  c.socket.write(big);
  await server.expect(`<Buffer ${Array(50).fill('78').join(' ')} ... 10 more bytes>`);
  c.socket.end();
  await fileHolds(file, `hello${big}over`);
  await c.event('close');
  server.noMoreLines();
  await server.kill();
});
