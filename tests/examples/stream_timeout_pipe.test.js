// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
'use strict';
// stream_timeout_pipe with a 600 ms timeout: the paused socket's data
// waits for 'timeout', then lands in the file with the rest; the client's
// end ends the file.
const path = require('path');
const { run, connectWhenListening } = require('./lib/harness');
const { tempDir, fileHolds } = require('./lib/files');

run(async ({ start }) => {
  const dir = tempDir();
  const file = path.join(dir, 'msg.txt');
  const server = start([0, 600, file], { cwd: dir });
  const port = await server.listeningPort();
  const c = await connectWhenListening({ port, host: '127.0.0.1' });
  const t0 = c.startedAt; // before the server's timeout started
  c.socket.write('before timeout, ');
  await fileHolds(file, 'before timeout, ');
  const waited = Date.now() - t0;
  if (waited < 400) throw new Error(`data in the file after ${waited} ms, before the timeout`);
  c.socket.end('after');
  await fileHolds(file, 'before timeout, after');
  await c.event('close');
  server.noMoreLines();
  await server.kill();
});
