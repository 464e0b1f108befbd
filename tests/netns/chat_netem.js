// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
'use strict';
// Three cnet-chat clients talking over a lossy, slow link (chat_netem.sh
// builds it and runs this in the clients' namespace).
//
//   node chat_netem.js talk <host> <port> <outdir> [seed]
//     alice, bob and carol join, then talk in rounds: each sends a burst of
//     lines (short, long ones over several TCP segments, Chinese, LF and
//     CR LF endings, cut at random places into several writes) and starts
//     its next round once it has read the others' bursts, and no sooner
//     than a person typing fast would (PACE). Every reader must
//     get every line of the other two, whole, in the order each sent them;
//     what each read is saved to <outdir>/<name>.json.
//   node chat_netem.js transcript <room log> <outdir>
//     after the server has exited: each reader read the others' lines in
//     the order the room said them (its --log transcript), nothing between.
const fs = require('fs');
const path = require('path');
const { rng } = require('../lib/rng');
const { Client, run } = require('../apps/lib/chat');

const NAMES = ['alice', 'bob', 'carol'];
const ROUNDS = 24;
// How fast one client talks, on average: at most 6 lines and 6 000 bytes
// a second. A person does not type faster, and a server may rightly slow
// down or warn a client that does (cnet-chat's default is 10 lines and
// 8 KiB a second after a burst); the lossy link is what is under test.
const PACE = { linesPerS: 6, bytesPerS: 6000 };

const ALPHABET = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,;!?-+=()[]{}<>/#@%&*你好世界网络聊天室';

// One line of text: mostly short, a quarter a segment's worth, one in ten
// longer than a segment (1 500-2 500 characters, about 1.2 bytes each:
// ~3 KB, under the 4 096-byte line limit). It never ends with a blank,
// which the server would trim.
function text(rand, round, i) {
  const r = rand();
  const len = r < 0.65 ? Math.floor(rand() * 80)
    : r < 0.9 ? 100 + Math.floor(rand() * 1300)
      : 1500 + Math.floor(rand() * 1000);
  let s = `${round}.${i}:`;
  for (let k = 0; k < len; k++) s += ALPHABET[Math.floor(rand() * ALPHABET.length)];
  return s.replace(/ +$/, '') + '|';
}

function plan(seed) {
  // The same seed gives every client the same plan, so that each knows
  // what the others will say and when their round is complete.
  const rand = rng(seed);
  const lines = {};
  for (const n of NAMES) lines[n] = [];
  const rounds = [];
  for (let r = 0; r < ROUNDS; r++) {
    const burst = {};
    for (const n of NAMES) {
      const k = 1 + Math.floor(rand() * 6);
      burst[n] = [];
      for (let i = 0; i < k; i++) burst[n].push(text(rand, r, i));
      lines[n].push(...burst[n]);
    }
    rounds.push(burst);
  }
  return { lines, rounds };
}

async function talk(host, port, outdir, seed) {
  const { lines, rounds } = plan(seed);
  console.log(`seed ${seed}: ${NAMES.map((n) => `${n} ${lines[n].length} lines`).join(', ')}`);
  const clients = {};
  try {
    for (const [i, n] of NAMES.entries()) {
      clients[n] = new Client(port, { host, name: n });
      await clients[n].join(n, i + 1);
      for (const m of NAMES.slice(0, i)) await clients[m].expect(`* ${n} joined (${i + 1} users online)`);
    }
    const heard = await Promise.all(NAMES.map(async (me, index) => {
      const c = clients[me];
      const rand = rng(seed + index + 1);
      const others = NAMES.filter((n) => n !== me);
      const next = Object.fromEntries(others.map((n) => [n, 0]));
      const seen = [];
      let due = Object.fromEntries(others.map((n) => [n, 0]));
      const t0 = Date.now();
      let sentLines = 0, sentBytes = 0;
      for (let r = 0; r < ROUNDS; r++) {
        // The typing pace: this round's burst waits until the lines and
        // bytes already sent are within PACE (a duration, not an event).
        const at = t0 + 1000 * Math.max(sentLines / PACE.linesPerS, sentBytes / PACE.bytesPerS);
        if (Date.now() < at) await new Promise((resolve) => setTimeout(resolve, at - Date.now()));
        // The burst, with LF or CR LF endings, cut into up to four writes
        // at arbitrary bytes (inside a UTF-8 character too).
        const buf = Buffer.from(rounds[r][me].map((l) => l + (rand() < 0.5 ? '\n' : '\r\n')).join(''));
        sentLines += rounds[r][me].length;
        sentBytes += buf.length;
        const cuts = [0, ...Array.from({ length: Math.floor(rand() * 4) },
          () => Math.floor(rand() * buf.length)).sort((x, y) => x - y), buf.length];
        for (let k = 1; k < cuts.length; k++)
          if (cuts[k] > cuts[k - 1]) c.send(buf.subarray(cuts[k - 1], cuts[k]));
        for (const n of others) due[n] += rounds[r][n].length;
        while (others.some((n) => next[n] < due[n])) {
          const l = await c.line();
          const m = /^(\w+): (.*)$/s.exec(l);
          if (!m || !others.includes(m[1]))
            throw new Error(`${me}: unexpected line ${JSON.stringify(l.slice(0, 200))}`);
          const want = lines[m[1]][next[m[1]]];
          if (m[2] !== want)
            throw new Error(`${me}: ${m[1]}'s line ${next[m[1]]} should be ` +
                            `${JSON.stringify(want && want.slice(0, 80))}…, got ${JSON.stringify(m[2].slice(0, 80))}…`);
          next[m[1]]++;
          seen.push(l);
        }
      }
      // Nothing more may be on its way: the answer to 'l' comes next.
      await c.sync();
      return [me, seen];
    }));
    for (const [me, seen] of heard) {
      fs.writeFileSync(path.join(outdir, `${me}.json`), JSON.stringify(seen));
      console.log(`ok: ${me} read all ${seen.length} lines of the others, each sender's in order`);
    }
    for (const n of NAMES) {
      clients[n].say('quit');
      await clients[n].closedByServer();
    }
  } finally {
    for (const c of Object.values(clients)) c.destroy();
  }
}

function transcript(log, outdir) {
  const said = fs.readFileSync(log, 'utf8').split('\n')
    .map((l) => l.replace(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d /, ''))
    .filter((l) => new RegExp(`^(${NAMES.join('|')}): `).test(l));
  for (const me of NAMES) {
    const seen = JSON.parse(fs.readFileSync(path.join(outdir, `${me}.json`), 'utf8'));
    const want = said.filter((l) => !l.startsWith(`${me}: `));
    const at = want.findIndex((l, i) => l !== seen[i]);
    if (at >= 0 || seen.length !== want.length)
      throw new Error(`${me} read the room's lines out of order or incomplete: at ${at}, ` +
                      `read ${JSON.stringify((seen[at] || '').slice(0, 80))}, ` +
                      `room said ${JSON.stringify((want[at] || '').slice(0, 80))}`);
    console.log(`ok: ${me} read ${seen.length} lines in the room's order`);
  }
}

const [mode, ...args] = process.argv.slice(2);
if (mode === 'talk' && args.length >= 3) {
  const seed = args[3] ? Number(args[3]) : Math.floor(Math.random() * 2 ** 31);
  run(() => talk(args[0], Number(args[1]), args[2], seed));
} else if (mode === 'transcript' && args.length === 2) {
  run(async () => transcript(args[0], args[1]));
} else {
  console.error('usage: node chat_netem.js talk <host> <port> <outdir> [seed] | ' +
                'transcript <room log> <outdir>');
  process.exit(2);
}
