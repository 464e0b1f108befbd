// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
'use strict';
// cnet-logger's memory under 3 rounds of 1 000 clients at once, each
// reset in the middle of what it writes (4 of its 8 chunks of 16 KiB
// handed to the kernel): peak RSS stays under 32 MiB and does not climb
// from round to round. Run as: node logger_rss.test.js <cnet-logger> <case>.
//
// The binary is a build without sanitizers (tests/apps/CMakeLists.txt):
// what matters is what glibc's malloc, the one users run, keeps; ASan's
// allocator keeps memory its own way (quarantine, size classes, shadow).
const assert = require('assert');
const fs = require('fs');
const net = require('net');
const os = require('os');
const path = require('path');
const { Tool, cases, deadline } = require('./lib/tool');

const { test, main } = cases();
const ROUNDS = 3, CLIENTS = 1000, CHUNK = 16384, CHUNKS = 8, RESET_AFTER = 4;
const RSS_LIMIT_KB = 32 << 10;

function status(pid) {
  const s = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return { rss: Number(s.match(/VmRSS:\s+(\d+)/)[1]), peak: Number(s.match(/VmHWM:\s+(\d+)/)[1]) };
}

// One client: writes CHUNKS chunks and resets the connection once the
// RESET_AFTER-th is handed to the kernel. Resolves when it has closed.
function resetter(port) {
  return new Promise((resolve) => {
    const s = net.connect({ host: '127.0.0.1', port });
    s.on('error', () => {});
    s.on('close', resolve);
    s.on('connect', () => {
      const chunk = Buffer.alloc(CHUNK, 120);
      for (let i = 1; i <= CHUNKS; i++)
        s.write(chunk, i === RESET_AFTER ? () => s.resetAndDestroy() : undefined);
    });
  });
}

async function rounds(args) {
  const tool = new Tool(process.argv[2], ['--port', '0', ...args]);
  const m = await tool.out(/^cnet-logger listening on 127\.0\.0\.1:(\d+)/);
  const port = Number(m[1]);
  const pid = tool.proc.pid;
  const figures = [`start ${status(pid).rss} KiB`];
  let closed = 0;
  for (let r = 1; r <= ROUNDS; r++) {
    await deadline(Promise.all(Array.from({ length: CLIENTS }, () => resetter(port))),
                   `round ${r}'s clients`, 60000);
    // Every connection of the round is over for the logger too.
    closed += CLIENTS;
    await tool.errCount(/^cnet-logger: connection \d+ closed, \d+ bytes$/gm, closed);
    const st = status(pid);
    figures.push(`round ${r} ${st.rss} KiB (peak ${st.peak} KiB)`);
  }
  console.log(`cnet-logger ${args[0]}: ${figures.join(', ')}`);
  const { peak } = status(pid);
  assert(peak < RSS_LIMIT_KB, `peak RSS ${peak} KiB`);
  // Still serving, every byte of a last client written.
  await deadline(new Promise((resolve, reject) => {
    const s = net.connect({ host: '127.0.0.1', port }, () => s.end('the last client\n'));
    s.on('error', reject);
    s.on('close', resolve);
    s.resume();
  }), 'the last client');
  await tool.err(/^cnet-logger: connection 3001 closed, 16 bytes$/m);
  await tool.stop();
  return tool;
}

function tmpdir() { return fs.mkdtempSync(path.join(os.tmpdir(), 'cnet-logger-rss-')); }

test('shared_file', async () => {
  const dir = tmpdir();
  try {
    const out = path.join(dir, 'msg.txt');
    await rounds(['--out', out]);
    assert(fs.readFileSync(out, 'utf8').endsWith('the last client\n'));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('per_connection', async () => {
  const dir = tmpdir();
  try {
    const tool = await rounds(['--per-connection', dir]);
    const m = tool.stderr.match(/^cnet-logger: connection 3001: wrote 16 bytes to (.*)$/m);
    assert(m, 'the last client\'s file');
    assert.strictEqual(fs.readFileSync(m[1], 'utf8'), 'the last client\n');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

main();
