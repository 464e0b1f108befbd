// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
'use strict';
// stream_pipe_to_file: a client's data lands in the file; its end ends the
// file (the file then holds exactly what was sent).
const path = require('path');
const { run, Client } = require('./lib/harness');
const { tempDir, fileHolds } = require('./lib/files');

run(async ({ start }) => {
  const dir = tempDir();
  const file = path.join(dir, 'bk.note');
  const server = start([0, file], { cwd: dir });
  const port = await server.listeningPort();
  await server.expect(new RegExp(`^服务器正在监听 (127\\.0\\.0\\.1|::1):${port}\\.\\.\\.\\.\\.\\.$`));
  const c = new Client({ port, host: 'localhost' });
  await c.event('connect');
  await server.expect('连接成功!');
  c.socket.write('第一行\n');
  await fileHolds(file, '第一行\n');
  c.socket.end('line 2\n');
  await fileHolds(file, '第一行\nline 2\n');
  await c.event('close');
  server.noMoreLines();
  await server.kill();
});
