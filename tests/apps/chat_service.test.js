// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
'use strict';
// cnet-chat as a service: socket activation (the listening socket handed
// over as descriptor 3 with LISTEN_PID and LISTEN_FDS, as systemd's
// .socket units do) and the clear error for LISTEN_* values that cannot
// work. Run as: node chat_service.test.js <cnet-chat binary> <case>;
// CTest runs each case in its own process.
const assert = require('assert');
const fs = require('fs');
const net = require('net');
const os = require('os');
const path = require('path');
const { spawn } = require('child_process');
const { Server, Client, run, deadline } = require('./lib/chat');

const cases = new Map();
function test(name, body) { cases.set(name, body); }

// A listening socket made here, as a service manager makes it; its
// descriptor is what the server inherits. The Node server is closed once
// the child has its copy, so that only the child accepts.
async function listeningSocket(listenArgs) {
  const srv = net.createServer();
  await deadline(new Promise((resolve, reject) => {
    srv.once('error', reject);
    srv.listen(...listenArgs, resolve);
  }), 'the test\'s own listen');
  return srv;
}

// ---- Socket activation ----------------------------------------------------

test('socket_activation', async (bin) => {
  const lsock = await listeningSocket([0, '127.0.0.1']);
  const port = lsock.address().port;
  // --port 0 is ignored: the server serves the socket it was given.
  const server = new Server(bin, [], { fds: [lsock._handle.fd] });
  lsock.close();
  assert.strictEqual(await server.listening(), port);
  const alice = new Client(port, { name: 'alice' });
  const bob = new Client(port, { name: 'bob' });
  try {
    await alice.join('alice', 1);
    await bob.join('bob', 2);
    await alice.expect('* bob joined (2 users online)');
    alice.say('through the inherited socket');
    await bob.expect('alice: through the inherited socket');
  } finally {
    alice.destroy();
    bob.destroy();
  }
  await server.stop();
});

test('socket_activation_unix', async (bin) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cnet-chat-'));
  const sockPath = path.join(dir, 'chat.sock');
  const lsock = await listeningSocket([sockPath]);
  const server = new Server(bin, [], { fds: [lsock._handle.fd] });
  // Closing Node's server unlinks its path: moved away meanwhile, it
  // stays for the child's socket.
  fs.renameSync(sockPath, `${sockPath}.kept`);
  await deadline(new Promise((resolve) => lsock.close(resolve)), 'the test\'s own close');
  fs.renameSync(`${sockPath}.kept`, sockPath);
  await server.until(() => server.stdout.startsWith(
    `cnet-chat listening on ${sockPath} — connect with: nc -U ${sockPath}\n`), 'the listening line');
  const carol = new Client(sockPath, { name: 'carol' });
  try {
    await carol.join('carol', 1);
    await carol.sync();
  } finally {
    carol.destroy();
  }
  await server.stop();
  fs.rmSync(dir, { recursive: true });
});

// LISTEN_PID naming another process: the variables were meant for a
// parent that let them through; the server listens on its own.
test('socket_activation_other_pid', async (bin) => {
  const server = new Server(bin, [], { env: { LISTEN_PID: '1', LISTEN_FDS: '1' } });
  await server.listening();
  assert.strictEqual(server.host, '127.0.0.1');
  await server.stop();
});

// Runs the server with an environment script (sh, $$ is the server's
// pid) and extra descriptors from 3 on; resolves with its status and
// output once it has exited.
function runActivated(bin, script, fds = []) {
  const proc = spawn('/bin/sh', ['-c', `${script}; exec "$0" --port 0`, bin],
                     { stdio: ['ignore', 'pipe', 'pipe', ...fds] });
  let stdout = '', stderr = '';
  proc.stdout.setEncoding('utf8');
  proc.stderr.setEncoding('utf8');
  proc.stdout.on('data', (d) => { stdout += d; });
  proc.stderr.on('data', (d) => { stderr += d; });
  // 'close': the status and every byte of output.
  return deadline(new Promise((resolve) => proc.on('close', (code, signal) =>
    resolve({ code, signal, stdout, stderr }))), `cnet-chat with ${script} to exit`);
}

test('socket_activation_errors', async (bin) => {
  const lsock = await listeningSocket([0, '127.0.0.1']);
  const listening = lsock._handle.fd;
  const devnull = fs.openSync('/dev/null', 'r');
  const peer = net.connect(lsock.address().port, '127.0.0.1');
  await deadline(new Promise((resolve) => peer.once('connect', resolve)), 'a connection');
  const connected = peer._handle.fd;
  const self = 'export LISTEN_PID=$$';
  const table = [
    ['export LISTEN_FDS=1', [listening], 'LISTEN_FDS=1 is set without LISTEN_PID'],
    ['export LISTEN_PID=x LISTEN_FDS=1', [listening], 'LISTEN_PID=x is not a process id'],
    [self, [listening], 'LISTEN_PID names this process but LISTEN_FDS is not set'],
    [`${self} LISTEN_FDS=0`, [], 'LISTEN_FDS=0 is not a number of sockets from 1 to 16'],
    [`${self} LISTEN_FDS=one`, [listening], 'LISTEN_FDS=one is not a number of sockets from 1 to 16'],
    [`${self} LISTEN_FDS=-1`, [listening], 'LISTEN_FDS=-1 is not a number of sockets from 1 to 16'],
    [`${self} LISTEN_FDS=17`, [listening], 'LISTEN_FDS=17 is not a number of sockets from 1 to 16'],
    [`${self} LISTEN_FDS=2`, [listening], 'descriptor 4 (LISTEN_FDS) is not open'],
    [`${self} LISTEN_FDS=1`, [devnull], 'descriptor 3 (LISTEN_FDS) is not a socket'],
    [`${self} LISTEN_FDS=1`, [connected],
     'descriptor 3 (LISTEN_FDS) is not a listening socket (a socket unit for it needs Accept=no)'],
  ];
  try {
    for (const [script, fds, why] of table) {
      const r = await runActivated(bin, script, fds);
      const want = { code: 2, signal: null, stdout: '', stderr: `cnet-chat: socket activation: ${why}\n` };
      assert.deepStrictEqual(r, want, script);
    }
  } finally {
    peer.destroy();
    lsock.close();
    fs.closeSync(devnull);
  }
});

if (require.main === module) {
  const [bin, name] = process.argv.slice(2);
  const body = cases.get(name);
  if (!bin || !body) {
    console.error(`usage: node chat_service.test.js <cnet-chat> <case>; cases: ${[...cases.keys()].join(' ')}`);
    process.exit(2);
  }
  run(() => body(bin));
}
