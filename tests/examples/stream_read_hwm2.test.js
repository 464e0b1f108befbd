// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
'use strict';
// stream_read_hwm2: the file arrives 2 bytes at a time, each write printed
// with its result, bufferSize and bytesWritten; the client's text is
// printed back.
const fs = require('fs');
const path = require('path');
const { run, connectWhenListening } = require('./lib/harness');
const { tempDir } = require('./lib/files');

run(async ({ start }) => {
  const dir = tempDir();
  const file = path.join(dir, 'a.txt');
  fs.writeFileSync(file, 'hello!');
  const server = start([0, file], { cwd: dir });
  const port = await server.listeningPort();
  const c = await connectWhenListening({ port, host: '127.0.0.1' });
  await server.expect('客户端已经连接');
  for (const sent of [2, 4, 6]) {
    await server.expect('flag: true');
    await server.expect('缓存字节:0');
    await server.expect(`已发送字节:${sent}`);
  }
  await c.received('hello!');
  c.socket.write('你好');
  await server.expect('data 你好');
  // Half-open: the server never ends its side, even after the client's end.
  c.socket.end();
  c.socket.destroy();
  server.noMoreLines();
  await server.kill();
});
