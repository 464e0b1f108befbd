// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
'use strict';
// cnet-chat out of descriptors (EMFILE): a newcomer who connects while the
// server has none waits in the backlog, one line is logged, the server
// backs off using next to no CPU, the room goes on (alice still talks),
// and the newcomer joins once descriptors are back. SIGTERM still stops
// it cleanly. Run as: node chat_emfile.test.js <cnet-chat binary>.
const assert = require('assert');
const { Server, Client, run } = require('./lib/chat');
const { nofile, setNofile, cpuShare } = require('./lib/fds');

const [bin] = process.argv.slice(2);

run(async () => {
  const server = new Server(bin);
  const port = await server.listening();
  const pid = server.proc.pid;
  const limit = nofile(pid);
  const alice = new Client(port, { name: 'alice' });
  try {
    await alice.join('alice', 1);
    setNofile(pid, 3);
    const carol = new Client(port, { name: 'carol' });
    await server.log(/^cnet-chat: accept EMFILE: too many open files; still listening$/m);
    const share = await cpuShare(pid, 1500);
    console.log(`CPU while a client waits for a descriptor: ${(share * 100).toFixed(1)} %`);
    assert(share < 0.05, `CPU ${(share * 100).toFixed(1)} % while out of descriptors`);
    await alice.sync();
    setNofile(pid, limit);
    await carol.join('carol', 2);
    carol.destroy();
    const lines = server.stderr.match(/^cnet-chat: accept EMFILE.*$/gm);
    assert.deepStrictEqual(lines, ['cnet-chat: accept EMFILE: too many open files; still listening']);
  } finally {
    alice.destroy();
  }
  await server.stop();
});
