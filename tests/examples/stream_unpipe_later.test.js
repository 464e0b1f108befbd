// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
'use strict';
// stream_unpipe_later, with a 600 ms delay: what the client sends before
// lands in the file; then the file ends with "bye bye" and the socket is
// unpiped, so what it sends after never reaches the file.
const fs = require('fs');
const path = require('path');
const { run, connectWhenListening } = require('./lib/harness');
const { tempDir, fileHolds } = require('./lib/files');

run(async ({ start }) => {
  const dir = tempDir();
  const file = path.join(dir, 'msg.txt');
  const server = start([0, 600, file], { cwd: dir });
  const port = await server.listeningPort();
  const c = await connectWhenListening({ port, host: '127.0.0.1' });
  const t0 = c.startedAt; // before the server's timer started
  c.socket.write('before ');
  await fileHolds(file, 'before ');
  await fileHolds(file, 'before bye bye');
  if (Date.now() - t0 < 400) throw new Error(`file ended after ${Date.now() - t0} ms`);
  // The socket is paused now: this waits in the kernel, and the file was
  // ended before anyway.
  c.socket.write('after');
  c.socket.end();
  server.noMoreLines();
  await server.kill();
  c.socket.destroy();
  const text = fs.readFileSync(file, 'utf8');
  if (text !== 'before bye bye') throw new Error(`file holds ${JSON.stringify(text)}`);
});
