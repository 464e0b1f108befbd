// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
'use strict';
// stream_pause_then_pipe, resuming after 800 ms: what the client sent at
// once reaches the file only then; the rest follows; the client's end
// ends the file.
const path = require('path');
const { run, connectWhenListening } = require('./lib/harness');
const { tempDir, fileHolds } = require('./lib/files');

run(async ({ start }) => {
  const dir = tempDir();
  const file = path.join(dir, 'msg.txt');
  const server = start([0, 800, file], { cwd: dir });
  const port = await server.listeningPort();
  const c = await connectWhenListening({ port, host: '127.0.0.1' });
  const t0 = c.startedAt; // before the server's timer started
  c.socket.write('early ');
  await fileHolds(file, 'early ');
  const waited = Date.now() - t0;
  if (waited < 600) throw new Error(`data in the file after ${waited} ms, before the resume`);
  c.socket.end('late');
  await fileHolds(file, 'early late');
  await c.event('close');
  server.noMoreLines();
  await server.kill();
});
