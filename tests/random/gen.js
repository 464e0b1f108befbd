// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
'use strict';
// Writes the script of one randomized stream scenario, chosen by a seed:
// which end writes, over what transport (TCP, a Unix socket or TLS over
// TCP), with which high-water mark, the
// writer's operations (writes of 0 B to 256 KiB, cork/uncork, waits of
// every kind, end with or without data) and when the reader pauses.
// stream_diff.js (Node) and stream_diff.c (cnet) both play the script;
// run.js compares what they saw.
//
//   node gen.js SEED            prints the script
//
// The generator, not the players, makes every random choice, so a failing
// seed is reproduced by its script alone.

const { rng } = require('../lib/rng');

const MAX_WRITE = 256 * 1024;
const MAX_WRITES = 20000;
const MAX_TOTAL = 8 * 1024 * 1024; // bytes per scenario: keeps a seed fast
const MAX_SLEEP_MS = 300;

function generate(seed) {
  const r = rng(seed);
  const int = (lo, hi) => lo + Math.floor(r() * (hi - lo + 1));
  const pick = (...xs) => xs[Math.floor(r() * xs.length)];
  const out = [`seed ${seed}`];
  const transport = pick('tcp', 'tcp', 'unix', 'tls');
  out.push(`transport ${transport}`);
  const writer = pick('client', 'server');
  out.push(`writer ${writer}`);
  // A client may start writing before it is connected (Node queues those
  // writes until 'connect').
  out.push(`start ${writer === 'client' ? pick('connect', 'connect', 'now') : 'connect'}`);
  // A TLS server's sockets keep the default high-water mark in Node
  // (tls.Server does not pass net.Server's on), so TLS uses the default.
  const hwm = pick(0, 0, 1, 1024, 16384, 65536, 1 << 20);
  out.push(`hwm ${transport === 'tls' ? 0 : hwm}`);

  // Sizes: most scenarios are many small writes (the queue grows long),
  // some few large ones (the kernel refuses part), some a mix.
  const profile = pick('many', 'many', 'large', 'mixed');
  const size = () => {
    if (profile === 'many') return r() < 0.05 ? 0 : int(1, 64);
    if (profile === 'large') return int(0, MAX_WRITE);
    // Log-uniform from 0 B to 256 KiB.
    return r() < 0.05 ? 0 : Math.min(MAX_WRITE, Math.floor(Math.pow(2, r() * 18)));
  };
  const nwrites = profile === 'many' ? int(1, MAX_WRITES) : profile === 'large' ? int(1, 64) : int(1, 2000);

  // How often each operation comes between writes: a scenario leans one
  // way (long corked runs, many waits, none) so that rare states are
  // reached, not averaged away.
  const pCork = pick(0, 0.001, 0.01, 0.1);
  const pWait = pick(0, 0.0005, 0.005, 0.05);
  const pCb = pick(0, 0.01, 0.5, 1);
  let corked = 0, total = 0, lastCb = false, slept = 0;
  for (let i = 0; i < nwrites && total < MAX_TOTAL; i++) {
    if (r() < pCork) {
      if (corked > 0 && r() < 0.5) {
        out.push('op u');
        corked--;
      } else {
        out.push('op c');
        corked++;
      }
    }
    if (r() < pWait) {
      // Waiting for 'drain' or a callback while corked would wait for
      // ever (corked writes stay queued): those waits come uncorked only.
      const w = pick('t', 'i', 's', 'd', 'd', 'k');
      if (w === 's') {
        // Timer waits add up: a few hundred ms per scenario at most.
        const ms = int(0, 20);
        if (slept + ms <= MAX_SLEEP_MS) out.push(`op s ${ms}`);
        slept += ms;
      }
      else if (w === 't' || w === 'i') out.push(`op ${w}`);
      else if (corked === 0 && (w === 'd' || lastCb)) out.push(`op ${w}`);
    }
    const n = Math.min(size(), MAX_TOTAL - total);
    const cb = r() < pCb ? 1 : 0;
    out.push(`op w ${n} ${cb}`);
    lastCb = cb === 1;
    total += n;
  }
  // Uncork some, all or none of the corks before end(): end() must flush
  // whatever is still corked.
  while (corked > 0 && r() < 0.5) {
    out.push('op u');
    corked--;
  }
  const endData = r() < 0.5 ? int(0, pick(64, MAX_WRITE)) : -1;
  out.push(`op e ${endData} ${r() < 0.5 ? 1 : 0}`);

  // The reader pauses after given byte counts, each time for some ms.
  const npauses = pick(0, 0, 1, 3, 10);
  const expect = total + Math.max(endData, 0);
  for (let i = 0; i < npauses; i++)
    out.push(`pause ${int(0, expect)} ${int(0, 30)}`);
  return out.join('\n') + '\n';
}

module.exports = { generate };
if (require.main === module) process.stdout.write(generate(Number(process.argv[2] || 1)));
