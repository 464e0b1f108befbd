// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
'use strict';
// The getting-started guide (docs/guide.md) teaches with whole programs,
// and a reader copies them: each must build as the guide says and do
// what the guide says it does.
//
// Every ```c block of the guide is a whole program whose first line is a
// comment naming its file (/* echo.c: ... */). There are no fragments: a
// piece of code that is not a whole program goes in the prose or in a
// Node block, so that nothing a reader copies is left untested. Each
// program is compiled as a reader would (-std=c11 -pedantic -Wall -Wextra,
// warnings as errors; the build's sanitizer flags added) and linked against
// the shared library, whose exports are the public API alone. Every ```js
// block (the Node program next to each C one) must parse (node --check).
//
// Then the programs run, each against a client played here or by the
// guide's own client, on 127.0.0.1 with ports the kernel picks (port 0 on
// the command line; the program prints the one it got), every wait with
// a deadline: the echo server with the guide's client, the logger, the
// flood, the chat room with three users, the UDP echo with the guide's
// client, the broadcast beacon on the loopback's broadcast address and
// the multicast program on the loopback interface. The servers run until
// killed; the clients must exit by themselves with status 0 (under ASan a
// leak makes it non-zero).
//
// Usage: node guide.js <guide.md> <work dir> <cc> <include dir> <libcnet.so>
//          [-- <extra compiler flags>]
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');
const { Program, Client, untilAny } = require('../examples/lib/harness');

const STEP_MS = 15000;

function blocks(markdown) {
  const found = [];
  let open = null;
  markdown.split('\n').forEach((line, i) => {
    const fence = /^```(.*)$/.exec(line);
    if (!open && fence) {
      open = { info: fence[1].trim(), line: i + 1, text: [] };
    } else if (open && line === '```') {
      found.push({ ...open, text: open.text.join('\n') + '\n' });
      open = null;
    } else if (open) {
      open.text.push(line);
    }
  });
  if (open) throw new Error(`guide.md:${open.line}: a block that never closes`);
  return found;
}

function programName(block) {
  const m = /^\/\* ([a-z_]+)\.c: /.exec(block.text);
  if (!m)
    throw new Error(`guide.md:${block.line}: a C block must be a whole program ` +
                    'whose first line is /* <name>.c: ... */');
  return m[1];
}

function compile(guide, work, cc, include, lib, extra) {
  const bins = {};
  let js = 0;
  for (const b of blocks(fs.readFileSync(guide, 'utf8'))) {
    if (b.info === 'js') {
      const file = path.join(work, `block${b.line}.js`);
      fs.writeFileSync(file, b.text);
      const r = spawnSync(process.execPath, ['--check', file], { encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`guide.md:${b.line}: the Node block does not parse:\n${r.stderr}`);
      js++;
    } else if (b.info === 'c' || b.info.startsWith('c ')) {
      const name = programName(b);
      if (bins[name]) throw new Error(`guide.md:${b.line}: a second ${name}.c`);
      const src = path.join(work, `${name}.c`);
      const bin = path.join(work, name);
      fs.writeFileSync(src, b.text);
      const args = ['-std=c11', '-pedantic', '-Wall', '-Wextra', '-Werror', ...extra,
                    `-I${include}`, src, lib, `-Wl,-rpath,${path.dirname(lib)}`, '-o', bin];
      const r = spawnSync(cc, args, { encoding: 'utf8' });
      if (r.status !== 0)
        throw new Error(`guide.md:${b.line}: ${name}.c does not build:\n${cc} ${args.join(' ')}\n${r.stderr}`);
      bins[name] = bin;
    }
  }
  console.log(`compiled ${Object.keys(bins).length} programs, ${js} Node blocks parse`);
  return bins;
}

// The port a program prints once it listens ("listening on 127.0.0.1:N").
async function listening(program) {
  const [, port] = await program.expect(/^listening on 127\.0\.0\.1:(\d+)$/);
  return Number(port);
}

const scenarios = {
  async echo({ start, bins }) {
    const server = start(bins.echo, [0]);
    const port = await listening(server);
    const client = start(bins.client, [port]);
    await client.exit(0);
    for (const line of ['Client connected', 'Some data\r', '', 'Client disconnected'])
      await client.expect(line);
    await server.expect(/^client 127\.0\.0\.1:\d+ connected$/);
    await server.expect('1 connected');
    await server.expect('client gone after 11 bytes');
    await server.kill();
    // Nobody listens there now: the client reports the refusal.
    const refused = start(bins.client, [port]);
    await refused.exit(1);
    if (!refused.stderr.includes(`connect ECONNREFUSED 127.0.0.1:${port}`))
      throw new Error(`client, refused: ${refused.stderr}`);
  },

  async logger({ start, bins, work }) {
    const file = path.join(work, 'msg.txt');
    fs.rmSync(file, { force: true });
    const server = start(bins.logger, [0, file]);
    const port = await listening(server);
    const a = new Client({ port, host: '127.0.0.1' });
    const b = new Client({ port, host: '127.0.0.1' });
    a.socket.end('from a\n');
    b.socket.end('from b\n');
    await untilAny([a, b], () => a.events.includes('close') && b.events.includes('close'),
                   'both clients closed');
    // The file is written on the worker pool: read it until both lines are in.
    const deadline = Date.now() + STEP_MS;
    let text = '';
    while (!(text.includes('from a\n') && text.includes('from b\n'))) {
      if (Date.now() > deadline) throw new Error(`msg.txt holds ${JSON.stringify(text)}`);
      await new Promise((r) => setTimeout(r, 20));
      text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
    }
    if (text.length !== 14) throw new Error(`msg.txt holds ${JSON.stringify(text)}`);
    await server.kill();
  },

  async flood({ start, bins }) {
    const server = start(bins.flood, [0]);
    const port = await listening(server);
    const c = new Client({ port, host: '127.0.0.1' });
    c.socket.setEncoding('latin1');
    await c.event('end');
    const want = 256 * 64 * 1024;
    if (c.data.length !== want) throw new Error(`flood sent ${c.data.length} bytes, not ${want}`);
    for (let i = 0; i < c.data.length; i += 64 * 1024)
      if (c.data.slice(i, i + 3) !== 'abc') throw new Error(`chunk at ${i} starts ${c.data.slice(i, i + 3)}`);
    await server.kill();
  },

  async chat({ start, bins }) {
    const server = start(bins.chat, [0]);
    const port = await listening(server);
    const alice = new Client({ port, host: '127.0.0.1' });
    await alice.received('welcome, 0 users here; your nickname?\r\n');
    alice.socket.write('alice\r\n');
    await alice.received('hello alice\r\n');
    const bob = new Client({ port, host: '127.0.0.1' });
    await bob.received('welcome, 1 users here; your nickname?\r\n');
    bob.socket.write('bob\n');
    await bob.received('hello bob\r\n');
    await alice.received('bob joined\r\n');
    // A line cut in two writes is one line.
    bob.socket.write('hello ');
    bob.socket.write('alice\r\n');
    await alice.received('bob: hello alice\r\n');
    const carol = new Client({ port, host: '127.0.0.1' });
    await carol.received('welcome, 2 users here; your nickname?\r\n');
    carol.socket.write('carol\r\n');
    await bob.received('carol joined\r\n');
    await alice.received('carol joined\r\n');
    carol.socket.resetAndDestroy(); // vanishes
    await bob.received('carol left\r\n');
    // What follows byebye in the same read is not said.
    alice.socket.write('byebye\r\nstill here\r\n');
    await bob.received('alice left\r\n');
    await alice.event('close');
    if (/alice (joined|left)/.test(alice.data))
      throw new Error(`alice heard herself: ${JSON.stringify(alice.data)}`);
    bob.socket.write('anyone?\r\n');
    bob.socket.end();
    await bob.event('close');
    if (bob.data.includes('still here'))
      throw new Error(`alice spoke after byebye: ${JSON.stringify(bob.data)}`);
    if (server.stderr !== '') throw new Error(`chat wrote to stderr: ${server.stderr}`);
    await server.kill();
  },

  async udp({ start, bins }) {
    const server = start(bins.udp_echo, [0]);
    const port = await listening(server);
    const client = start(bins.udp_client, [port, 'hi']);
    await client.exit(0);
    await client.expect('answer: hi');
    await server.expect(/^hi from 127\.0\.0\.1:\d+$/);
    await server.kill();
    // Nobody answers now: the client gives up after its two seconds.
    const alone = start(bins.udp_client, [port, 'hi']);
    await alone.exit(1);
    await alone.expect('no answer');
  },

  async broadcast({ start, bins }) {
    // 127.255.255.255 is the loopback's broadcast address: the beacon
    // hears itself without a network.
    const beacon = start(bins.beacon, ['127.255.255.255', 0]);
    await beacon.expect(/^127\.0\.0\.1:\d+ says hello$/);
    await beacon.kill();
  },

  async multicast({ start, bins }) {
    const m = start(bins.multicast, [0, '127.0.0.1']);
    await m.expect(/^127\.0\.0\.1:\d+: \d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    await m.kill();
  },
};

async function main() {
  const argv = process.argv.slice(2);
  const dash = argv.indexOf('--');
  const [guide, work, cc, include, lib] = dash < 0 ? argv : argv.slice(0, dash);
  const extra = dash < 0 ? [] : argv.slice(dash + 1);
  if (!lib) {
    console.error('usage: node guide.js <guide.md> <work dir> <cc> <include dir> <libcnet.so> [-- flags]');
    process.exit(2);
  }
  fs.mkdirSync(work, { recursive: true });
  const bins = compile(guide, work, cc, include, lib, extra);
  const missing = ['echo', 'client', 'logger', 'flood', 'chat', 'udp_echo', 'udp_client',
                   'beacon', 'multicast'].filter((n) => !bins[n]);
  if (missing.length) throw new Error(`the guide has no ${missing.join('.c, ')}.c`);
  for (const [name, scenario] of Object.entries(scenarios)) {
    const programs = [];
    const start = (bin, args) => {
      const p = new Program(bin, args.map(String));
      programs.push(p);
      return p;
    };
    try {
      await scenario({ start, bins, work });
      console.log(`ok: ${name}`);
    } catch (err) {
      for (const p of programs) console.error(`--- ${p.describe()}`);
      throw new Error(`${name}: ${err.message}`);
    } finally {
      for (const p of programs) if (!p.status) p.child.kill('SIGKILL');
    }
  }
}

main().then(() => process.exit(0), (err) => {
  console.error(`FAIL: ${err.stack || err}`);
  process.exit(1);
});
