// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
'use strict';
// cnet-cat against the real OpenBSD nc (scripts/deps.sh test installs it):
// TCP both ways, a Unix socket, UDP, half-close with -N, and a 256 MiB
// transfer whose SHA-256 must match with cnet-cat's peak RSS under 32 MiB;
// and TLS (--ssl) against openssl s_server and s_client.
// Run as: node cat.test.js <cnet-cat binary> <case>; CTest runs each case
// (each test('name', ...) below) in its own process. Every wait is for an
// event (a line on stderr, a process's exit) under a deadline; none is a
// fixed sleep.
const assert = require('assert');
const crypto = require('crypto');
const dgram = require('dgram');
const fs = require('fs');
const net = require('net');
const os = require('os');
const path = require('path');
const { spawn, execFileSync } = require('child_process');
const tls = require('tls');
const { makeCerts } = require('./lib/certs');
const { nofile, setNofile, cpuShare } = require('./lib/fds');

const DEADLINE_MS = 40000;
const cases = new Map();
function test(name, body) { cases.set(name, body); }

function deadline(promise, what, ms = DEADLINE_MS) {
  let timer;
  return Promise.race([
    promise,
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out waiting for ${what()}`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

// A child process whose output is kept (or hashed) and can be waited on.
class Proc {
  constructor(name, cmd, args, { stdin = 'pipe', stdout = 'pipe', hash = false, env = process.env } = {}) {
    this.name = name;
    this.proc = spawn(cmd, args, { stdio: [stdin, stdout, 'pipe'], env });
    this.out = [];
    this.outLen = 0;
    this.err = '';
    this.waiters = [];
    if (hash) this.hash = crypto.createHash('sha256');
    if (this.proc.stdout) this.proc.stdout.on('data', (d) => {
      if (this.hash) this.hash.update(d); else this.out.push(d);
      this.outLen += d.length;
      this.notify();
    });
    this.proc.stderr.setEncoding('utf8');
    this.proc.stderr.on('data', (d) => { this.err += d; this.notify(); });
    this.exited = new Promise((resolve) => this.proc.on('close', (code, signal) => {
      this.exit = { code, signal };
      this.notify();
      resolve(this.exit);
    }));
  }
  notify() { for (const w of this.waiters.splice(0)) w(); }
  stdout() { return Buffer.concat(this.out).toString(); }
  describe() { return `${this.name} (exit ${JSON.stringify(this.exit)}, stdout ${JSON.stringify(this.stdout().slice(0, 200))}, stderr ${JSON.stringify(this.err)})`; }
  until(pred, what) {
    return deadline(new Promise((resolve, reject) => {
      const check = () => {
        const v = pred();
        if (v) return resolve(v);
        if (this.exit) return reject(new Error(`${this.describe()} exited waiting for ${what}`));
        this.waiters.push(check);
      };
      check();
    }), () => `${what} from ${this.describe()}`);
  }
  stderrMatch(re) { return this.until(() => this.err.match(re), `stderr ${re}`); }
  stdoutHas(s) { return this.until(() => this.stdout().includes(s), `stdout ${JSON.stringify(s)}`); }
  async done(code = 0) {
    const exit = await deadline(this.exited, () => `${this.describe()} to exit`);
    if (exit.code !== code) throw new Error(`${this.describe()}: expected exit ${code}`);
    if (/Sanitizer|runtime error|leak/i.test(this.err))
      throw new Error(`sanitizer report from ${this.describe()}`);
  }
  kill() { if (!this.exit) this.proc.kill('SIGKILL'); }
}

// nc -l on a port the kernel just said was free; another program may take
// it in between, so an "in use" is retried on a new one.
async function freePort() {
  const s = net.createServer();
  await new Promise((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address();
  await new Promise((r) => s.close(r));
  return port;
}
async function ncListen(args, opts) {
  for (let tries = 0; ; tries++) {
    const port = await freePort();
    const nc = new Proc('nc -l', 'nc', ['-v', ...args, '-l', '127.0.0.1', String(port)], opts);
    try {
      await nc.stderrMatch(/(?:Listening|Bound) on/);
      return { nc, port };
    } catch (e) {
      if (tries < 5 && /in use/.test(nc.err)) continue;
      throw e;
    }
  }
}

// cnet-cat -l on port 0; -v says which port it got.
async function catListen(bin, args, opts) {
  const cat = new Proc('cnet-cat -l', bin, ['-v', ...args], opts);
  const m = await cat.stderrMatch(/(?:Listening|Bound) on \S+ (\d+)\n/);
  return { cat, port: Number(m[1]) };
}

const A = 'from cnet-cat: 你好\n'.repeat(1000);
const B = 'from nc\n'.repeat(1000);

let tmpdir;
function tmp(name) {
  if (!tmpdir) tmpdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cnet-cat-'));
  return path.join(tmpdir, name);
}

// cnet-cat connects to nc -l; each sends its text, half-closes (-N) and
// receives the other's.
test('tcp_connect_nc', async (bin) => {
  const { nc, port } = await ncListen(['-N']);
  const cat = new Proc('cnet-cat', bin, ['-N', '127.0.0.1', String(port)]);
  nc.proc.stdin.end(B);
  cat.proc.stdin.end(A);
  await cat.done();
  await nc.done();
  assert.strictEqual(nc.stdout(), A);
  assert.strictEqual(cat.stdout(), B);
});

// nc connects to cnet-cat -l, both ways.
test('tcp_listen_nc', async (bin) => {
  const { cat, port } = await catListen(bin, ['-N', '-l', '127.0.0.1', '0']);
  const nc = new Proc('nc', 'nc', ['-N', '127.0.0.1', String(port)]);
  await cat.stderrMatch(/Connection received on 127\.0\.0\.1 \d+/);
  cat.proc.stdin.end(A);
  nc.proc.stdin.end(B);
  await nc.done();
  await cat.done();
  assert.strictEqual(nc.stdout(), A);
  assert.strictEqual(cat.stdout(), B);
});

// -k: after one connection ends, cnet-cat -l takes the next.
test('tcp_listen_keep', async (bin) => {
  const { cat, port } = await catListen(bin, ['-k', '-l', '127.0.0.1', '0']);
  for (const word of ['first\n', 'second\n']) {
    const nc = new Proc('nc', 'nc', ['-N', '127.0.0.1', String(port)]);
    nc.proc.stdin.end(word);
    await cat.stdoutHas(word);
    await nc.done();
  }
  assert.strictEqual(cat.stdout(), 'first\nsecond\n');
  cat.proc.stdin.end();
  cat.proc.kill('SIGTERM');
  await deadline(cat.exited, () => 'cnet-cat -k to exit on SIGTERM');
});

// -l -k out of descriptors: a client that comes while the limit leaves
// none waits in the backlog, one line is logged, cnet-cat backs off using
// next to no CPU, and takes the client once the connection before it has
// ended and descriptors are back.
test('listen_keep_emfile', async (bin) => {
  const { cat, port } = await catListen(bin, ['-k', '-l', '127.0.0.1', '0']);
  try {
    const pid = cat.proc.pid;
    const limit = nofile(pid);
    const client = () => {
      const s = net.connect({ host: '127.0.0.1', port });
      s.on('error', () => {});
      return s;
    };
    const first = client();
    first.write('first\n');
    await cat.stdoutHas('first\n');
    setNofile(pid, 3);
    const second = client();
    second.write('second\n');
    const line = /^cnet-cat: accept EMFILE: too many open files; still listening$/gm;
    await cat.stderrMatch(line);
    const share = await cpuShare(pid, 1500);
    console.log(`CPU while a client waits for a descriptor: ${(share * 100).toFixed(1)} %`);
    assert(share < 0.05, `CPU ${(share * 100).toFixed(1)} % while out of descriptors`);
    first.end();
    await cat.stderrMatch(/connection closed\n/);
    setNofile(pid, limit);
    await cat.stdoutHas('second\n');
    assert.strictEqual(cat.stdout(), 'first\nsecond\n');
    assert.strictEqual([...cat.err.matchAll(line)].length, 1, cat.err);
    second.destroy();
  } finally {
    cat.kill();
  }
});

// A Unix socket: cnet-cat -l -U, with nc -U and with cnet-cat -U.
test('unix', async (bin) => {
  const sock = tmp('s');
  for (const client of [['nc', 'nc'], ['cnet-cat', bin]]) {
    const cat = new Proc('cnet-cat -l -U', bin, ['-v', '-N', '-l', '-U', sock]);
    await cat.stderrMatch(/listening on/);
    const c = new Proc(client[0], client[1], ['-N', '-U', sock]);
    await cat.stderrMatch(/connection received/);
    cat.proc.stdin.end(A);
    c.proc.stdin.end(B);
    await c.done();
    await cat.done();
    assert.strictEqual(c.stdout(), A, client[0]);
    assert.strictEqual(cat.stdout(), B, client[0]);
    fs.rmSync(sock, { force: true });
  }
});

// UDP, cnet-cat listening: nc's datagram makes it the peer, the answer goes
// back to it; -N ends cnet-cat once its stdin has ended.
test('udp_listen_nc', async (bin) => {
  const { cat, port } = await catListen(bin, ['-u', '-N', '-l', '127.0.0.1', '0']);
  const nc = new Proc('nc -u', 'nc', ['-u', '127.0.0.1', String(port)]);
  try {
    nc.proc.stdin.write('ping\n');
    await cat.stdoutHas('ping\n');
    await cat.stderrMatch(/Connection received on 127\.0\.0\.1 \d+/);
    cat.proc.stdin.end('pong\n');
    await nc.stdoutHas('pong\n');
    await cat.done();
    assert.strictEqual(cat.stdout(), 'ping\n');
  } finally {
    nc.kill();
  }
});

// UDP, cnet-cat sending to nc -u -l, and nc answering.
test('udp_connect_nc', async (bin) => {
  const { nc, port } = await ncListen(['-u']);
  const cat = new Proc('cnet-cat -u', bin, ['-u', '-N', '-v', '127.0.0.1', String(port)]);
  try {
    await cat.stderrMatch(/succeeded/);
    cat.proc.stdin.write('hello\n');
    await nc.stdoutHas('hello\n');
    nc.proc.stdin.write('back\n');
    await cat.stdoutHas('back\n');
    cat.proc.stdin.end();
    await cat.done();
    assert.strictEqual(nc.stdout(), 'hello\n');
  } finally {
    nc.kill();
  }
});

// -N sends the end of stdin to the peer as a TCP FIN; the peer answers
// only after it and cnet-cat still reads the answer (a half-open socket).
test('half_close', async (bin) => {
  let got = '';
  const server = net.createServer({ allowHalfOpen: true }, (s) => {
    s.setEncoding('utf8');
    s.on('data', (d) => { got += d; });
    s.on('end', () => s.end(`got ${got.length} after end\n`));
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const cat = new Proc('cnet-cat -N', bin, ['-N', '127.0.0.1', String(server.address().port)]);
  cat.proc.stdin.end('abc\n');
  await cat.done();
  assert.strictEqual(got, 'abc\n');
  assert.strictEqual(cat.stdout(), 'got 4 after end\n');
  server.close();
});

// -w: a connection with no traffic for a second ends cnet-cat (status 0,
// as nc), and nc -l sees the end.
test('idle_timeout', async (bin) => {
  const { nc, port } = await ncListen([]);
  const cat = new Proc('cnet-cat -w 1', bin, ['-v', '-w', '1', '127.0.0.1', String(port)]);
  const t0 = Date.now();
  await cat.done();
  assert.match(cat.err, /idle timeout/);
  assert.ok(Date.now() - t0 >= 900, `ended after ${Date.now() - t0} ms`);
  await nc.done();
});

// The UDP socket options are applied once bound (--ttl, --broadcast) and
// datagrams still flow. The receiver is cnet-cat -u -l on port 0, so that
// no other test can share its port.
test('udp_options', async (bin) => {
  const { cat: rx, port } = await catListen(bin, ['-u', '-N', '-l', '127.0.0.1', '0']);
  const cat = new Proc('cnet-cat -u', bin,
                       ['-u', '-N', '-v', '--ttl', '7', '--broadcast', '127.0.0.1', String(port)]);
  try {
    await cat.stderrMatch(/succeeded/);
    cat.proc.stdin.end('with options\n');
    await rx.stdoutHas('with options\n');
    await cat.done();
    rx.proc.stdin.end();
    await rx.done();
  } finally {
    rx.kill();
  }
});

// 256 MiB each way through cnet-cat: the SHA-256 matches, and cnet-cat's
// peak RSS (GNU time's %M) stays under 32 MiB, so backpressure holds.
const BIG = 256 << 20;
const RSS_LIMIT_KB = 32 << 10;

function bigFile() {
  const file = tmp('big');
  execFileSync('sh', ['-c', `head -c ${BIG} /dev/urandom > '${file}'`]);
  const sum = execFileSync('sha256sum', [file], { encoding: 'utf8' }).split(' ')[0];
  return { file, sum };
}
// Under AddressSanitizer, freed chunks wait in its quarantine (256 MiB by
// default) before they are reused, so a program that frees every chunk it
// copied still grows by the quarantine's size. That memory is ASan's, not
// cnet-cat's: these runs cap it at 4 MiB (still catching a use after free
// of a recent chunk). Without ASan the option is ignored.
function timed(bin, args, rssFile, opts) {
  const asan = process.env.ASAN_OPTIONS;
  const env = { ...process.env,
                ASAN_OPTIONS: `${asan ? asan + ':' : ''}quarantine_size_mb=4` };
  return new Proc('cnet-cat', '/usr/bin/time', ['-f', '%M', '-o', rssFile, bin, ...args],
                  { ...opts, env });
}
function peakRssKb(rssFile) {
  const lines = fs.readFileSync(rssFile, 'utf8').trim().split('\n');
  return Number(lines[lines.length - 1]);
}

test('big_send', async (bin) => {
  const { file, sum } = bigFile();
  const { nc, port } = await ncListen([], { hash: true });
  const rss = tmp('rss');
  const t0 = Date.now();
  const cat = timed(bin, ['-N', '127.0.0.1', String(port)], rss,
                    { stdin: fs.openSync(file, 'r') });
  await cat.done();
  await nc.done();
  console.log(`big_send: ${BIG} bytes in ${Date.now() - t0} ms, peak RSS ${peakRssKb(rss)} KiB`);
  assert.strictEqual(nc.outLen, BIG);
  assert.strictEqual(nc.hash.digest('hex'), sum);
  assert.ok(peakRssKb(rss) < RSS_LIMIT_KB, `peak RSS ${peakRssKb(rss)} KiB`);
});

test('big_receive', async (bin) => {
  const { file, sum } = bigFile();
  const { nc, port } = await ncListen(['-N'], { stdin: fs.openSync(file, 'r') });
  const rss = tmp('rss');
  const t0 = Date.now();
  const cat = timed(bin, ['127.0.0.1', String(port)], rss, { stdin: 'ignore', hash: true });
  await cat.done();
  await nc.done();
  console.log(`big_receive: ${BIG} bytes in ${Date.now() - t0} ms, peak RSS ${peakRssKb(rss)} KiB`);
  assert.strictEqual(cat.outLen, BIG);
  assert.strictEqual(cat.hash.digest('hex'), sum);
  assert.ok(peakRssKb(rss) < RSS_LIMIT_KB, `peak RSS ${peakRssKb(rss)} KiB`);
});

// ---- UDP: stdin in datagram-sized pieces, and a bounded stdout queue ----

// A Node UDP socket that keeps every datagram (its 4 MiB receive buffer
// holds all of a test's datagrams until they are read).
async function udpReceiver() {
  const sock = dgram.createSocket({ type: 'udp4', recvBufferSize: 4 << 20 });
  const rx = { sock, got: [], bytes: 0, waiters: [] };
  sock.on('message', (m) => {
    rx.got.push(m);
    rx.bytes += m.length;
    for (const w of rx.waiters.splice(0)) w();
  });
  await new Promise((r) => sock.bind(0, '127.0.0.1', r));
  rx.port = sock.address().port;
  rx.untilBytes = (n) => deadline(new Promise((resolve) => {
    const check = () => (rx.bytes >= n ? resolve() : rx.waiters.push(check));
    check();
  }), () => `${n} bytes of datagrams (got ${rx.bytes})`);
  return rx;
}

// A 100 000-byte file is read 64 KiB at a time, more than a datagram
// holds: each read goes out in datagrams of at most 65507 bytes (the most
// IPv4 carries), and every byte arrives, in order.
test('udp_stdin_datagrams', async (bin) => {
  const rx = await udpReceiver();
  const data = crypto.randomBytes(100000);
  const file = tmp('in');
  fs.writeFileSync(file, data);
  const cat = new Proc('cnet-cat -u', bin, ['-u', '-N', '127.0.0.1', String(rx.port)],
                       { stdin: fs.openSync(file, 'r') });
  await cat.done();
  await rx.untilBytes(data.length);
  rx.sock.close();
  assert(Buffer.concat(rx.got).equals(data), 'the datagrams hold the file');
  assert.strictEqual(Math.max(...rx.got.map((d) => d.length)), 65507);
  assert.strictEqual(cat.err, '');
});

// --max-datagram N: no datagram is longer than N, at N exactly.
test('udp_max_datagram', async (bin) => {
  const rx = await udpReceiver();
  const data = crypto.randomBytes(20000);
  const cat = new Proc('cnet-cat -u', bin,
                       ['-u', '-N', '--max-datagram', '1000', '127.0.0.1', String(rx.port)]);
  cat.proc.stdin.write(data.subarray(0, 2500));
  cat.proc.stdin.end(data.subarray(2500));
  await cat.done();
  await rx.untilBytes(data.length);
  rx.sock.close();
  assert(Buffer.concat(rx.got).equals(data), 'the datagrams hold the input');
  assert.strictEqual(Math.max(...rx.got.map((d) => d.length)), 1000);
});

// A datagram the kernel refuses (65508 bytes on IPv4) is reported once,
// in Node's words, and ends cnet-cat with status 1, even with endless
// input.
test('udp_oversize', async (bin) => {
  const rx = await udpReceiver();
  const cat = new Proc('cnet-cat -u', bin,
                       ['-u', '--max-datagram', '65508', '127.0.0.1', String(rx.port)],
                       { stdin: fs.openSync('/dev/zero', 'r') });
  await cat.done(1);
  rx.sock.close();
  assert.strictEqual(cat.err, 'cnet-cat: send EMSGSIZE\n');
});

// A FIFO for cnet-cat's stdout that nothing reads until drain(): the
// kernel's 64 KiB pipe buffer is all it takes before cnet-cat itself must
// queue (a Node pipe, even paused, reads ahead into a buffer of its own).
function heldPipe() {
  const file = tmp('fifo');
  execFileSync('mkfifo', [file]);
  const rfd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  const wfd = fs.openSync(file, 'w');
  return {
    wfd,
    drain() {
      const sock = new net.Socket({ fd: rfd, readable: true, writable: false });
      let n = 0;
      sock.on('data', (d) => { n += d.length; });
      return new Promise((resolve) => sock.on('end', () => resolve(n)));
    },
  };
}

// -u -l with a stdout nobody reads: once --max-queued bytes wait for it,
// datagrams are dropped, and every one is accounted for: written or
// counted in -v's line. Each datagram comes from a socket of its own so
// that -k's "Connection received" says it has been handled.
test('udp_listen_queue_bound', async (bin) => {
  const CAP = 8000, SIZE = 1000, COUNT = 100, PIPE = 65536;
  const out = heldPipe();
  const { cat, port } = await catListen(bin, ['-u', '-k', '-w', '1', '--max-queued', String(CAP),
                                              '-l', '127.0.0.1', '0'],
                                        { stdin: 'ignore', stdout: out.wfd });
  fs.closeSync(out.wfd);
  // Every sender stays open until the end, so that no two share a port.
  const senders = [];
  for (let i = 0; i < COUNT; i++) {
    const s = dgram.createSocket('udp4');
    senders.push(s);
    await new Promise((r) => s.bind(0, '127.0.0.1', r));
    const from = s.address().port;
    await new Promise((r, j) => s.send(Buffer.alloc(SIZE, 48 + (i % 10)), port, '127.0.0.1',
                                       (e) => (e ? j(e) : r())));
    await cat.stderrMatch(new RegExp(`Connection received on 127\\.0\\.0\\.1 ${from}\\n`));
  }
  for (const s of senders) s.close();
  const written = await deadline(out.drain(), () => 'stdout to end');
  await cat.done();
  const m = cat.err.match(/^cnet-cat: (\d+) datagrams? dropped: stdout did not keep up \(--max-queued 8000\)$/m);
  assert(m, cat.err);
  assert.match(cat.err, /^cnet-cat: stdout is not keeping up: dropping datagrams beyond 8000 queued bytes$/m);
  const dropped = Number(m[1]);
  assert.strictEqual(written + dropped * SIZE, COUNT * SIZE, `every datagram written or counted: ${written} written, ${dropped} dropped`);
  // The pipe took 64 KiB, cnet-cat queued the rest up to the cap: the
  // datagram that would have passed it was the first dropped. (The one
  // the pipe took in part counts whole in the queue until it is written:
  // one datagram of slack.)
  assert(written <= PIPE + CAP, `${written} bytes written`);
  assert(written >= PIPE + CAP - 2 * SIZE, `${written} bytes written`);
});

// The same under a flood (1400-byte datagrams as fast as Node sends them,
// for 2 s): memory stays flat, peak RSS under 32 MiB.
test('udp_listen_flood_rss', async (bin) => {
  const rss = tmp('rss');
  const cat = timed(bin, ['-v', '-u', '-w', '1', '-l', '127.0.0.1', '0'], rss, { stdin: 'ignore' });
  cat.proc.stdout.pause();
  const port = Number((await cat.stderrMatch(/Bound on \S+ (\d+)\n/))[1]);
  const s = dgram.createSocket('udp4');
  await new Promise((r) => s.bind(0, '127.0.0.1', r));
  const buf = Buffer.alloc(1400, 97);
  const end = Date.now() + 2000;
  let sent = 0;
  await new Promise((resolve) => {
    const burst = () => {
      for (let i = 0; i < 100; i++, sent++) s.send(buf, port, '127.0.0.1');
      if (Date.now() < end) setImmediate(burst); else resolve();
    };
    burst();
  });
  s.close();
  cat.proc.stdout.resume();
  await cat.done();
  console.log(`udp flood: ${sent} datagrams sent, ${cat.outLen} bytes written, ` +
              `peak RSS ${peakRssKb(rss)} KiB`);
  assert.ok(peakRssKb(rss) < RSS_LIMIT_KB, `peak RSS ${peakRssKb(rss)} KiB`);
  assert.match(cat.err, /^cnet-cat: \d+ datagrams dropped: stdout did not keep up \(--max-queued 1048576\)$/m);
});

// ---- TLS (--ssl) -----------------------------------------------------------

let certs;
function cert(name) {
  if (!certs) certs = makeCerts();
  return certs.file(name);
}

// openssl s_server on a free port; it says ACCEPT once it listens.
async function sServer(certName, keyName, host = '127.0.0.1') {
  for (let tries = 0; ; tries++) {
    const port = await freePort();
    const srv = new Proc('openssl s_server', 'openssl',
                         ['s_server', '-naccept', '1', '-accept', `${host}:${port}`,
                          '-cert', cert(certName), '-key', cert(keyName)]);
    try {
      await srv.stdoutHas('ACCEPT\n');
      return { srv, port };
    } catch (e) {
      if (tries < 5 && /in use/i.test(srv.err)) continue;
      throw e;
    }
  }
}

// cnet-cat --ssl-verify against openssl s_server, bytes both ways: the
// server is verified against the test CA and its name (localhost).
test('ssl_connect_s_server', async (bin) => {
  const { srv, port } = await sServer('server.pem', 'server.key');
  const cat = new Proc('cnet-cat --ssl', bin, ['-v', '--ssl-verify', '--ssl-trustfile', cert('ca.pem'),
                                               'localhost', String(port)]);
  srv.proc.stdin.write(B);
  cat.proc.stdin.end(A);
  await cat.stderrMatch(/^cnet-cat: TLS TLSv1\.[23], \S+, peer verified$/m);
  await srv.stdoutHas(A);
  await cat.until(() => cat.stdout() === B, 'all of s_server\'s bytes');
  // Without -N cnet-cat keeps its side open after its stdin ends, so
  // that s_server (which leaves once its peer ends, maybe before sending
  // what its stdin held) ends the session, once its stdin ends: then
  // cnet-cat's peer and its stdin have both ended, and it is done.
  srv.proc.stdin.end();
  await cat.done();
  await srv.done();
});

// Without --ssl-verify (ncat's default), a self-signed server is taken,
// and -v says it was not verified.
test('ssl_connect_unverified', async (bin) => {
  const { srv, port } = await sServer('self.pem', 'self.key');
  const cat = new Proc('cnet-cat --ssl', bin, ['-v', '--ssl', '127.0.0.1', String(port)]);
  cat.proc.stdin.end('hello\n');
  await cat.stderrMatch(/^cnet-cat: TLS TLSv1\.[23], \S+, peer not verified$/m);
  await srv.stdoutHas('hello\n');
  srv.proc.stdin.end();
  await cat.done();
  await srv.done();
});

// --ssl-verify against a server it cannot verify: Node's code and message,
// status 1, for a self-signed certificate, one from a CA it does not trust
// (the system's trust, no --ssl-trustfile) and an address the certificate
// does not carry (127.0.0.2: it has 127.0.0.1).
test('ssl_verify_fails', async (bin) => {
  for (const [certName, host, trust, code, msg] of [
    ['self', 'localhost', 'ca.pem', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'self-signed certificate'],
    ['server', 'localhost', null, 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'unable to verify the first certificate'],
    ['server', '127.0.0.2', 'ca.pem', 'ERR_TLS_CERT_ALTNAME_INVALID',
     'Hostname/IP does not match certificate\'s altnames: IP: 127.0.0.2 is not in the cert\'s list: 127.0.0.1'],
  ]) {
    const { srv, port } = await sServer(`${certName}.pem`, `${certName}.key`,
                                        host === 'localhost' ? '127.0.0.1' : host);
    const cat = new Proc('cnet-cat --ssl-verify', bin,
                         ['--ssl-verify', ...(trust ? ['--ssl-trustfile', cert(trust)] : []), host, String(port)],
                         { stdin: 'ignore' });
    await cat.done(1);
    srv.kill();
    assert.strictEqual(cat.err, `cnet-cat: ${code}: ${msg}\n`);
  }
});

// cnet-cat -l --ssl with openssl s_client, bytes both ways. The session
// ends from s_client's side once both directions are checked (its stdin
// ends: -no_ign_eof), since s_client leaves as soon as its peer ends,
// maybe before it has sent what its stdin held.
test('ssl_listen_s_client', async (bin) => {
  const { cat, port } = await catListen(bin, ['-l', '--ssl', '--ssl-cert', cert('server.pem'),
                                              '--ssl-key', cert('server.key'), '127.0.0.1', '0']);
  const cli = new Proc('openssl s_client', 'openssl',
                       ['s_client', '-quiet', '-no_ign_eof', '-verify_return_error', '-CAfile', cert('ca.pem'),
                        '-verify_hostname', 'localhost', '-connect', `127.0.0.1:${port}`]);
  cli.proc.stdin.write(B);
  cat.proc.stdin.write(A);
  await cat.stderrMatch(/^cnet-cat: TLS TLSv1\.[23], \S+, peer not verified$/m);
  await cli.until(() => cli.stdout() === A, 'all of cnet-cat\'s bytes');
  await cat.until(() => cat.stdout() === B, 'all of s_client\'s bytes');
  // A listener is done when its peer ends.
  cli.proc.stdin.end();
  await cat.done();
  await cli.done();
});

// -l --ssl: a client that fails its handshake (plain TCP here) is said on
// stderr and is not the connection; the next, over TLS, is.
test('ssl_listen_bad_client', async (bin) => {
  const { cat, port } = await catListen(bin, ['-l', '--ssl', '--ssl-cert', cert('server.pem'),
                                              '--ssl-key', cert('server.key'), '127.0.0.1', '0']);
  const plain = net.connect(port, '127.0.0.1', () => plain.end('GET / HTTP/1.0\r\n\r\n'));
  plain.on('error', () => {});
  plain.resume();
  await cat.stderrMatch(/^cnet-cat: TLS client: .+$/m);
  const sock = tls.connect({ port, host: 'localhost', ca: certs.ca });
  sock.on('error', () => {});
  await deadline(new Promise((resolve) => sock.on('secureConnect', resolve)), () => 'the TLS client');
  sock.end('over tls\n');
  await cat.stdoutHas('over tls\n');
  cat.proc.stdin.end();
  await cat.done();
});

// What --ssl does not go with, and TLS files it cannot use.
test('ssl_usage', async (bin) => {
  for (const args of [['--ssl-cert', 'x', 'h', '1'], ['--ssl-trustfile', 'x', 'h', '1'],
                      ['--ssl', '-u', 'h', '1'], ['-l', '--ssl', '0'],
                      ['-l', '--ssl-verify', '--ssl-cert', 'x', '--ssl-key', 'y', '0']]) {
    const p = new Proc(`cnet-cat ${args.join(' ')}`, bin, args, { stdin: 'ignore' });
    await p.done(2);
  }
  const missing = new Proc('cnet-cat missing cert', bin, ['-l', '--ssl', '--ssl-cert', cert('nope.pem'),
                                                          '--ssl-key', cert('server.key'), '0'], { stdin: 'ignore' });
  await missing.done(1);
  assert.match(missing.err, /^cnet-cat: TLS: cannot read \S+nope\.pem: No such file or directory\n$/);
  const mismatch = new Proc('cnet-cat mismatched key', bin, ['-l', '--ssl', '--ssl-cert', cert('server.pem'),
                                                              '--ssl-key', cert('self.key'), '0'], { stdin: 'ignore' });
  await mismatch.done(1);
  assert.match(mismatch.err, /^cnet-cat: TLS: the key \S+self\.key does not match the certificate \S+server\.pem\n$/);
  const help = new Proc('cnet-cat --help', bin, ['--help']);
  await help.done(0);
  assert.match(help.stdout(), /--ssl-verify /);
});

test('usage', async (bin) => {
  const help = new Proc('cnet-cat --help', bin, ['--help']);
  await help.done(0);
  assert.match(help.stdout(), /^Usage: cnet-cat/);
  const bad = new Proc('cnet-cat -k', bin, ['-k', 'localhost', '1']);
  await bad.done(2);
  for (const args of [['-u', '--max-datagram', '0', 'h', '1'], ['-u', '--max-datagram', '65528', 'h', '1'],
                      ['-u', '--max-queued', '-1', 'h', '1'], ['--max-datagram', '100', 'h', '1']]) {
    const p = new Proc(`cnet-cat ${args.join(' ')}`, bin, args);
    await p.done(2);
  }
  assert.match(help.stdout(), /--max-datagram N .*\n.*65507 on\n.*65527 on IPv6\)/);
  assert.match(help.stdout(), /--max-queued N .*\n.*\(default 1048576\)/);
  const refused = new Proc('cnet-cat refused', bin, ['127.0.0.1', '1'], { stdin: 'ignore' });
  await refused.done(1);
  assert.match(refused.err, /ECONNREFUSED/);
});

const [bin, name] = process.argv.slice(2);
const body = cases.get(name);
if (!bin || !body) {
  console.error(`usage: node cat.test.js <cnet-cat> <${[...cases.keys()].join('|')}>`);
  process.exit(2);
}
body(bin).then(() => {
  if (tmpdir) fs.rmSync(tmpdir, { recursive: true, force: true });
  process.exit(0);
}, (e) => {
  console.error(e.stack || e);
  if (tmpdir) fs.rmSync(tmpdir, { recursive: true, force: true });
  process.exit(1);
});
