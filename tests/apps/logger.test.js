// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
'use strict';
// cnet-logger with several Node clients at once: every byte each one sends
// is in the file, none lost, in each client's order. Run as:
// node logger.test.js <cnet-logger binary> <case>.
//
// Chunks of different clients interleave in the shared file at whatever
// boundaries TCP gives, so each client sends bytes from an alphabet of its
// own: picking one client's bytes out of the file gives back exactly what
// it sent.
const assert = require('assert');
const crypto = require('crypto');
const fs = require('fs');
const net = require('net');
const os = require('os');
const path = require('path');
const { execFileSync } = require('child_process');
const { Tool, cases, deadline } = require('./lib/tool');
const { leaveFree, nofile, setNofile, cpuShare } = require('./lib/fds');

const { test, main } = cases();
const CLIENTS = 6;
const ALPHABET = 32; // client i sends bytes 32*i .. 32*i+31 (i <= 7)

function clientBytes(i, len) {
  const r = crypto.randomBytes(len);
  for (let k = 0; k < len; k++) r[k] = ALPHABET * i + (r[k] % ALPHABET);
  return r;
}

// Connects, writes data in pieces of varied size, ends, resolves with the
// local port once the connection has closed.
function send(port, data) {
  return new Promise((resolve, reject) => {
    const sock = net.connect({ host: '127.0.0.1', port });
    let local = 0;
    sock.on('error', reject);
    sock.on('connect', () => {
      local = sock.localPort;
      let off = 0, step = 3;
      while (off < data.length) {
        const len = Math.min(step, data.length - off);
        sock.write(data.subarray(off, off + len));
        off += len;
        step = (step * 5 + 11) % 30011 + 1;
      }
      sock.end();
    });
    sock.resume();
    sock.on('close', () => resolve(local));
  });
}

function tmpdir() { return fs.mkdtempSync(path.join(os.tmpdir(), 'cnet-logger-')); }

test('shared_file', async (bin) => {
  const dir = tmpdir();
  try {
    const out = path.join(dir, 'msg.txt');
    fs.writeFileSync(out, 'an earlier line\n'); // --out appends
    const tool = new Tool(bin, ['--port', '0', '--out', out]);
    const m = await tool.out(/^cnet-logger listening on 127\.0\.0\.1:(\d+), appending to (.*)\n/);
    assert.strictEqual(m[2], out);
    const port = Number(m[1]);
    const datas = [];
    for (let i = 0; i < CLIENTS; i++) datas.push(clientBytes(i, 150000 + 7919 * i));
    await deadline(Promise.all(datas.map((d) => send(port, d))), 'every client to finish');
    // Each connection's close is logged with its byte count.
    const closed = await tool.errCount(/^cnet-logger: connection (\d+) closed, (\d+) bytes$/gm, CLIENTS);
    assert.deepStrictEqual(closed.map((c) => Number(c[2])).sort((a, b) => a - b),
                           datas.map((d) => d.length).sort((a, b) => a - b));
    // A second round on the same file, after the first clients are gone:
    // {end: false} left the file open.
    const late = clientBytes(CLIENTS, 5000);
    await deadline(send(port, late), 'the late client');
    await tool.errCount(/^cnet-logger: connection (\d+) closed, (\d+) bytes$/gm, CLIENTS + 1);
    await tool.stop();

    const file = fs.readFileSync(out);
    const prefix = Buffer.from('an earlier line\n');
    assert(file.subarray(0, prefix.length).equals(prefix), 'the earlier content is kept');
    const body = file.subarray(prefix.length);
    const all = [...datas, late];
    assert.strictEqual(body.length, all.reduce((n, d) => n + d.length, 0), 'the byte count');
    for (let i = 0; i < all.length; i++) {
      const mine = body.filter((b) => Math.floor(b / ALPHABET) === i);
      assert(Buffer.from(mine).equals(all[i]), `client ${i}'s bytes, in order`);
    }
    // The late client's bytes all come after the others'.
    const firstLate = body.findIndex((b) => Math.floor(b / ALPHABET) === CLIENTS);
    assert.strictEqual(firstLate, body.length - late.length);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('per_connection', async (bin) => {
  const dir = tmpdir();
  try {
    const tool = new Tool(bin, ['--port', '0', '--per-connection', dir]);
    const m = await tool.out(/^cnet-logger listening on 127\.0\.0\.1:(\d+), one file per connection in (.*)\n/);
    const port = Number(m[1]);
    const datas = [];
    for (let i = 0; i < CLIENTS; i++) datas.push(crypto.randomBytes(100000 + 4099 * i));
    const ports = await deadline(Promise.all(datas.map((d) => send(port, d))), 'every client to finish');
    // {end: true}: each file is finished and closed when its client ends.
    const wrote = await tool.errCount(/^cnet-logger: connection (\d+): wrote (\d+) bytes to (.*)$/gm, CLIENTS);
    for (let i = 0; i < CLIENTS; i++) {
      const w = wrote.find((x) => x[3].endsWith(`-127.0.0.1-${ports[i]}.log`));
      assert(w, `a file for client ${i} (port ${ports[i]})`);
      assert.strictEqual(Number(w[2]), datas[i].length);
      assert(fs.readFileSync(w[3]).equals(datas[i]), `client ${i}'s file holds its bytes`);
    }
    // A client still connected at SIGTERM: its file is closed too.
    const idle = net.connect({ host: '127.0.0.1', port });
    idle.on('error', () => {});
    await deadline(new Promise((resolve) => idle.on('connect', resolve)), 'the idle client');
    const idlePort = idle.localPort; // gone once the socket closes
    await tool.err(new RegExp(`^cnet-logger: connection \\d+ from 127\\.0\\.0\\.1:${idlePort}$`, 'm'));
    await tool.stop();
    const files = fs.readdirSync(dir);
    assert.strictEqual(files.length, CLIENTS + 1);
    const idleFile = files.find((f) => f.endsWith(`-${idlePort}.log`));
    assert(idleFile && fs.statSync(path.join(dir, idleFile)).size === 0, 'the idle client\'s file');
    assert.match(tool.stderr, new RegExp(`wrote 0 bytes to .*-${idlePort}\\.log`));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

// A client that resets while its connection still waits to be taken (the
// logger stopped meanwhile): the logger takes it without an address and
// says so, in the log line and the file's name.
test('peer_gone_before_accept', async (bin) => {
  const dir = tmpdir();
  const tool = new Tool(bin, ['--port', '0', '--per-connection', dir]);
  try {
    const m = await tool.out(/^cnet-logger listening on 127\.0\.0\.1:(\d+), one file per connection in (.*)\n/);
    tool.proc.kill('SIGSTOP');
    const sock = net.connect({ host: '127.0.0.1', port: Number(m[1]) });
    sock.on('error', () => {});
    await deadline(new Promise((resolve) => sock.on('connect', resolve)), 'the connect');
    sock.resetAndDestroy();
    await deadline(new Promise((resolve) => sock.on('close', resolve)), 'the reset');
    tool.proc.kill('SIGCONT');
    await tool.err(/^cnet-logger: connection 1 from a peer already gone$/m);
    await tool.err(/^cnet-logger: connection 1: wrote 0 bytes to .*conn-1-unknown-0\.log$/m);
    assert.doesNotMatch(tool.stderr, /from :0/);
    await tool.stop();
  } finally {
    if (!tool.exit) tool.proc.kill('SIGCONT');
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

// Out of descriptors (EMFILE). A client that connects and sends data:
// 'logged' once the logger says it took the connection, 'ended' if the
// connection is closed or reset first.
function logClient(tool, port, data) {
  const sock = net.connect({ host: '127.0.0.1', port });
  sock.on('error', () => {});
  const connected = new Promise((resolve) => sock.on('connect', resolve));
  const result = new Promise((resolve) => {
    sock.on('connect', () => {
      const re = new RegExp(`^cnet-logger: connection \\d+ from 127\\.0\\.0\\.1:${sock.localPort}$`, 'm');
      tool.err(re).then(() => resolve('logged'), () => {});
      sock.write(data);
    });
    sock.on('close', () => resolve('ended'));
  });
  const closed = new Promise((resolve) => sock.on('close', resolve));
  return { sock, connected, result, closed };
}

// Resolves once a file whose name matches re is in dir.
function untilFile(dir, re) {
  let watcher;
  return deadline(new Promise((resolve) => {
    const check = () => {
      if (fs.readdirSync(dir).some((f) => re.test(f))) resolve();
    };
    watcher = fs.watch(dir, check);
    check();
  }), `a file ${re} in ${dir}`).finally(() => watcher.close());
}

const ACCEPT_LINE = /^cnet-logger: accept EMFILE: too many open files; still listening$/gm;
const SPARE = 3;

// No descriptor left at all: a client waits in the backlog while the
// logger backs off, using next to no CPU; its bytes are logged once
// descriptors are back. Returns its connection's id.
async function starveThenServe(tool, port, limit, release) {
  const pid = tool.proc.pid;
  setNofile(pid, 3);
  const waiting = logClient(tool, port, 'waited\n');
  await deadline(waiting.connected, 'the waiting client to connect');
  const share = await cpuShare(pid, 1500);
  console.log(`CPU while a client waits for a descriptor: ${(share * 100).toFixed(1)} %`);
  assert(share < 0.05, `CPU ${(share * 100).toFixed(1)} % while out of descriptors`);
  await release();
  setNofile(pid, limit);
  assert.strictEqual(await deadline(waiting.result, 'the waiting client to be logged'), 'logged');
  waiting.sock.end();
  const m = await tool.err(new RegExp(`^cnet-logger: connection (\\d+) from 127\\.0\\.0\\.1:${waiting.sock.localPort}$`, 'm'));
  await deadline(waiting.closed, 'the waiting client to close');
  return m[1];
}

// --out: the logger is left SPARE descriptors. Clients come one at a time:
// SPARE are taken; the next ones are accepted with the reserve and closed,
// and one line is logged for them. Then the starved wait, and every byte
// of the clients that were taken is in the file. Exit status 0.
test('emfile', async (bin) => {
  const dir = tmpdir();
  try {
    const out = path.join(dir, 'msg.txt');
    const tool = new Tool(bin, ['--port', '0', '--out', out]);
    const m = await tool.out(/^cnet-logger listening on 127\.0\.0\.1:(\d+)/);
    const port = Number(m[1]);
    const pid = tool.proc.pid;
    const limit = nofile(pid);
    // The file opens on the worker pool: count its descriptor as taken
    // whether or not it is open yet.
    const outFd = fs.readdirSync(`/proc/${pid}/fd`).find((fd) => {
      try { return fs.readlinkSync(`/proc/${pid}/fd/${fd}`) === out; } catch (e) { return false; }
    });
    leaveFree(pid, outFd === undefined ? SPARE + 1 : SPARE);
    const held = [];
    for (;;) {
      const c = logClient(tool, port, `client ${held.length}\n`);
      const r = await deadline(c.result, `client ${held.length + 1}`);
      if (r === 'ended') break;
      held.push(c);
      assert(held.length <= SPARE, `${held.length} clients taken with ${SPARE} descriptors`);
    }
    assert.strictEqual(held.length, SPARE);
    await tool.err(ACCEPT_LINE);
    await starveThenServe(tool, port, limit, async () => {
      for (const c of held) c.sock.end();
      await deadline(Promise.all(held.map((c) => c.closed)), 'the held clients to close');
    });
    assert.strictEqual([...tool.stderr.matchAll(ACCEPT_LINE)].length, 1, tool.stderr);
    await tool.stop();
    const lines = fs.readFileSync(out, 'utf8').split('\n').filter(Boolean).sort();
    assert.deepStrictEqual(lines, ['client 0', 'client 1', 'client 2', 'waited']);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

// --per-connection: a connection accepted with the last descriptor has
// none left for its file; it is reset at once (the client sees ECONNRESET,
// not a clean end that would look like success) and the log says why. A
// shortage is not a failure of the logger: exit status 0.
test('per_connection_emfile', async (bin) => {
  const dir = tmpdir();
  try {
    const tool = new Tool(bin, ['--port', '0', '--per-connection', dir]);
    const m = await tool.out(/^cnet-logger listening on 127\.0\.0\.1:(\d+)/);
    const port = Number(m[1]);
    const pid = tool.proc.pid;
    const limit = nofile(pid);
    leaveFree(pid, 3); // the first client's socket and file, the second's socket
    const first = logClient(tool, port, 'first');
    assert.strictEqual(await deadline(first.result, 'the first client'), 'logged');
    // Its file opens on the worker pool: the second client comes once it
    // has its descriptor (inotify says when the file is created).
    await untilFile(dir, /^conn-1-/);
    const second = logClient(tool, port, 'second');
    let reset = null;
    second.sock.on('error', (e) => { reset = e.code; });
    await deadline(second.closed, () => `the second client to be cut; stderr:\n${tool.stderr}`);
    assert.strictEqual(reset, 'ECONNRESET');
    await tool.err(/^cnet-logger: connection 2: EMFILE: too many open files, open '.*conn-2-127\.0\.0\.1-\d+\.log'; connection reset$/m);
    const id = await starveThenServe(tool, port, limit, async () => {
      first.sock.end();
      await tool.err(/^cnet-logger: connection 1: wrote 5 bytes to /m);
    });
    const wrote = await tool.err(new RegExp(`^cnet-logger: connection ${id}: wrote 7 bytes to (.*)$`, 'm'));
    assert.strictEqual(fs.readFileSync(wrote[1], 'utf8'), 'waited\n');
    assert.strictEqual([...tool.stderr.matchAll(ACCEPT_LINE)].length, 1, tool.stderr);
    await tool.stop();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

// --max-queued: what the file has not written yet is bounded across all
// connections. The file is a FIFO that nothing reads at first, so writes
// stall: the logger pauses every connection once the queue reaches the
// bound (its line says how far behind, at most one read of 64 KiB past
// it), and resumes as the FIFO is read; every byte ends up in it, in
// order. Exit status 0.
test('max_queued_bound', async (bin) => {
  const dir = tmpdir();
  try {
    const MAX = 262144, READ = 65536;
    const fifo = path.join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    // A reader from the start, so that the logger's open does not wait.
    const rfd = fs.openSync(fifo, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
    const tool = new Tool(bin, ['--port', '0', '--out', fifo, '--max-queued', String(MAX)]);
    const m = await tool.out(/^cnet-logger listening on 127\.0\.0\.1:(\d+)/);
    const data = clientBytes(0, 4 << 20);
    const sock = net.connect({ host: '127.0.0.1', port: Number(m[1]) }, () => sock.end(data));
    sock.on('error', () => {});
    const behind = await tool.err(/^cnet-logger: the files are (\d+) bytes behind: every connection paused until half is written$/m);
    const n = Number(behind[1]);
    assert(n >= MAX && n < MAX + READ, `paused ${n} bytes behind`);
    const reader = new net.Socket({ fd: rfd, readable: true, writable: false });
    const got = [];
    let len = 0;
    await deadline(new Promise((resolve) => reader.on('data', (d) => {
      got.push(d);
      len += d.length;
      if (len >= data.length) resolve();
    })), () => `the FIFO to carry ${data.length} bytes (got ${len})`);
    await tool.err(new RegExp(`^cnet-logger: connection 1 closed, ${data.length} bytes$`, 'm'));
    await tool.stop();
    reader.destroy();
    assert(Buffer.concat(got).equals(data), 'every byte, in order');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('options', async (bin) => {
  const help = execFileSync(bin, ['--help'], { encoding: 'utf8' });
  assert.match(help, /^Usage: cnet-logger --port N --out FILE \[--host ADDR\]/);
  assert.match(help, /--max-queued N .*\n.*\(default 4194304\)/);
  for (const args of [[], ['--port', '0'], ['--out', 'x'], ['--port', '0', '--out', 'x', '--per-connection', 'y'],
                      ['--port', 'z', '--out', 'x'], ['--bogus'],
                      ['--port', '0', '--out', 'x', '--max-queued', '0'],
                      ['--port', '0', '--out', 'x', '--max-queued', String(2 ** 30 + 1)]]) {
    let status = null;
    try { execFileSync(bin, args, { stdio: 'pipe' }); } catch (e) { status = e.status; }
    assert.strictEqual(status, 2, `cnet-logger ${args.join(' ')} exits with status 2`);
  }
});

main();
