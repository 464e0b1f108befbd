// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
'use strict';
// The randomized differential stream test: for each seed, gen.js writes a
// script, Node (stream_diff.js) and cnet (stream_diff.c) play it, and what
// they observed must be the same: the ordered events of both ends, the
// byte counts and the SHA-256 of what the reader received.
//
//   node run.js CNET_PLAYER FIRST COUNT [JOBS]
//
// Seeds FIRST .. FIRST+COUNT-1, JOBS at a time (default 1). Exits 1 after
// printing, for each seed that differed, the script's path (kept) and the
// first lines that differ; a player that hangs is killed after a deadline.
const { execFile, execFileSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { generate } = require('./gen');

const [player, first, count, jobs] = [process.argv[2], Number(process.argv[3]),
  Number(process.argv[4]), Number(process.argv[5] || 1)];
if (!player || !Number.isInteger(first) || !Number.isInteger(count)) {
  console.error('usage: node run.js CNET_PLAYER FIRST COUNT [JOBS]');
  process.exit(2);
}
const dir = fs.mkdtempSync(path.join(process.env.TMPDIR || os.tmpdir(), 'cnet-stream-diff-'));
// The TLS transport's certificates, made once per run (never committed).
execFileSync('sh', [path.join(__dirname, '..', 'tls', 'make-certs.sh'), dir]);
const DEADLINE_MS = 30000;

function play(cmd, args) {
  return new Promise((resolve) => {
    execFile(cmd, args, { timeout: DEADLINE_MS, maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      resolve({ err, stdout, stderr });
    });
  });
}

function firstDiff(a, b) {
  const x = a.split('\n'), y = b.split('\n');
  for (let i = 0; i < Math.max(x.length, y.length); i++)
    if (x[i] !== y[i]) return `line ${i + 1}:\n  node: ${x[i]}\n  cnet: ${y[i]}`;
  return '';
}

async function one(seed) {
  const script = path.join(dir, `seed-${seed}.txt`);
  fs.writeFileSync(script, generate(seed));
  const [node, cnet] = await Promise.all([
    play(process.execPath, [path.join(__dirname, 'stream_diff.js'), script, dir]),
    play(player, [script, dir]),
  ]);
  const problems = [];
  if (node.err) problems.push(`node failed (${node.err.killed ? 'timed out' : node.err.code}): ${node.stderr}`);
  if (cnet.err) problems.push(`cnet failed (${cnet.err.killed ? 'timed out' : node.err ? '' : cnet.err.code}): ${cnet.stderr}`);
  else if (cnet.stderr) problems.push(`cnet wrote to stderr: ${cnet.stderr}`);
  if (!problems.length && node.stdout !== cnet.stdout) problems.push(firstDiff(node.stdout, cnet.stdout));
  if (!problems.length) {
    fs.unlinkSync(script);
    return true;
  }
  console.log(`seed ${seed} differs (script: ${script})\n${problems.join('\n')}`);
  return false;
}

(async () => {
  let next = first, failed = 0;
  const worker = async () => {
    while (next < first + count) if (!(await one(next++))) failed++;
  };
  await Promise.all(Array.from({ length: Math.max(1, jobs) }, worker));
  console.log(`${count - failed} of ${count} seeds from ${first}: the same in Node and cnet`);
  if (!failed) fs.rmSync(dir, { recursive: true, force: true });
  process.exit(failed ? 1 : 0);
})();
