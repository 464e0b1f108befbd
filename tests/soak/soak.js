// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
'use strict';
// The soak: cnet's tools, built with ASan+UBSan, under minutes of mixed
// load on loopback: chat residents and churners, echo transfers (single
// loop and threaded), the shared-file and per-connection loggers, cnet-cat
// as a server and as a client, with clients that reset mid-write,
// half-close, stop reading or vanish. It then checks that each server is
// back to its baseline (fds, RSS), still answers, exits cleanly, and that
// no sanitizer spoke. scripts/soak.sh runs it (make soak).
//
//   node soak.js <bin dir> <out dir> <seconds> [seed]
//
// Baseline: a warm-up of the same load (a tenth of the run, 10-60 s) lets
// each server make what it makes once (worker-pool threads, log files,
// allocator arenas, ASan's quarantine); once the warm-up's clients are
// gone and the server holds no client socket, its fds and RSS are the
// baseline. At the end, measured the same way, fds must be equal and RSS
// within RSS_SLACK_KB (see there). Every wait has a deadline; the load's
// pauses (think times, how long a vanished client holds its socket) are
// durations of the load, not waits for events.
const crypto = require('crypto');
const fs = require('fs');
const net = require('net');
const path = require('path');
const { spawn } = require('child_process');
const { Client } = require('../apps/lib/chat');

const [BIN, OUT, SECONDS_ARG, SEED_ARG] = process.argv.slice(2);
if (!BIN || !OUT || !SECONDS_ARG) {
  console.error('usage: node soak.js <bin dir> <out dir> <seconds> [seed]');
  process.exit(2);
}
const SECONDS = Number(SECONDS_ARG);
const SEED = SEED_ARG ? Number(SEED_ARG) : Math.floor(Math.random() * 2 ** 31);
const WARMUP_S = Math.min(60, Math.max(10, Math.round(SECONDS / 10)));
// RSS may end above its baseline by this much before it counts as growth:
// ASan's quarantine (capped at 4 MiB by soak.sh) can be fuller at the end
// than at the baseline, and its allocator keeps a few size-class pages of
// a burst mapped; both are ASan's, bounded, and not the server's state.
// Growth beyond it, over minutes of load that the warm-up already had in
// kind, is memory the server kept.
const RSS_SLACK_KB = 8 * 1024;
// CPU, as a share of one core. The load keeps each server a few per cent
// busy; half a core over the whole run means a server spent its time on
// something else (a loop waking without progress). With no client at
// all, 5 % is already a spin.
const MAX_LOAD_CPU = 0.5;
const MAX_IDLE_CPU = 0.05;
const MiB = 1024 * 1024;

// ---- Small tools ---------------------------------------------------------

// mulberry32: the load's choices come from the seed (printed), so a run's
// mix can be told from another's; timing still differs from run to run.
let prngState = SEED >>> 0;
function rand() {
  prngState = (prngState + 0x6d2b79f5) >>> 0;
  let t = prngState;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const randint = (a, b) => a + Math.floor(rand() * (b - a + 1));
// Sizes spread evenly over orders of magnitude: many small, some large.
const logUniform = (a, b) => Math.floor(Math.exp(Math.log(a) + rand() * (Math.log(b) - Math.log(a))));
function pickWeighted(table) {
  let r = rand() * table.reduce((s, [, w]) => s + w, 0);
  for (const [v, w] of table) if ((r -= w) < 0) return v;
  return table[table.length - 1][0];
}
const pause = (ms) => new Promise((r) => setTimeout(r, ms));
const sha = (b) => crypto.createHash('sha256').update(b).digest('hex');

function within(ms, promise, what) {
  let timer;
  return Promise.race([promise, new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out (${ms} ms) waiting for ${
      typeof what === 'function' ? what() : what}`)), ms);
  })]).finally(() => clearTimeout(timer));
}

// Polls pred (for what has no event: /proc) every 100 ms until it holds.
async function poll(pred, ms, what) {
  const end = Date.now() + ms;
  for (;;) {
    const v = pred();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out (${ms} ms) waiting for ${what}`);
    await pause(100);
  }
}

// ---- What happened -------------------------------------------------------

const counts = {};      // "kind.action" -> sessions finished
const failures = [];    // { kind, message }, the first 200 kept
let failureCount = 0;
function count(key) { counts[key] = (counts[key] || 0) + 1; }
function fail(kind, message) {
  failureCount++;
  count(`${kind}.FAILED`);
  if (failures.length < 200) failures.push({ kind, at: elapsed(), message: String(message).slice(0, 400) });
  // The log says the first failures of each kind, then every hundredth,
  // so that a server that stopped answering does not flood it.
  const n = counts[`${kind}.FAILED`];
  if (n <= 20 || n % 100 === 0) log(`FAIL ${kind} (#${n}): ${String(message).slice(0, 300)}`);
}
const t0 = Date.now();
const elapsed = () => ((Date.now() - t0) / 1000).toFixed(0);
const logFile = fs.createWriteStream(path.join(OUT, 'soak.log'));
function log(s) {
  const line = `[${elapsed()} s] ${s}`;
  logFile.write(line + '\n');
  console.log(line);
}

// ---- /proc ---------------------------------------------------------------

function procStatus(pid) {
  const s = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (k) => Number((s.match(new RegExp(`^${k}:\\s+(\\d+)`, 'm')) || [])[1]);
  return { rss: kb('VmRSS'), hwm: kb('VmHWM'), threads: kb('Threads') };
}
function fdList(pid) {
  return fs.readdirSync(`/proc/${pid}/fd`).map((fd) => {
    try { return fs.readlinkSync(`/proc/${pid}/fd/${fd}`); } catch { return '?'; }
  });
}
function cpuTicks(pid) {
  const f = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return Number(f[11]) + Number(f[12]); // utime + stime, in clock ticks
}
const TICKS_PER_S = 100;
// Inodes of the sockets that are not client connections: listening TCP
// sockets, and UDP, Unix and netlink ones (the loop's own, the threads').
function otherSocketInodes() {
  const set = new Set();
  const tables = { '/proc/net/tcp': 9, '/proc/net/tcp6': 9, '/proc/net/udp': 9, '/proc/net/udp6': 9,
                   '/proc/net/unix': 6, '/proc/net/netlink': 9 };
  for (const [f, col] of Object.entries(tables)) {
    let text;
    try { text = fs.readFileSync(f, 'utf8'); } catch { continue; }
    for (const line of text.split('\n').slice(1)) {
      const c = line.trim().split(/\s+/);
      if (c.length <= col) continue;
      if (f.startsWith('/proc/net/tcp') && c[3] !== '0A') continue; // a connection
      set.add(c[col]);
    }
  }
  return set;
}
// How many client connections a server process holds. Counted as the
// socket fds that are none of the above, so that a connection already
// closed by both ends (gone from /proc/net/tcp) but whose fd the server
// still holds counts too.
function connections(pid) {
  const other = otherSocketInodes();
  return fdList(pid).filter((l) => {
    const m = /^socket:\[(\d+)\]$/.exec(l);
    return m && !other.has(m[1]);
  }).length;
}

// ---- The servers ---------------------------------------------------------

class Server {
  constructor(name, bin, args, ready, { stdout = 'text' } = {}) {
    this.name = name;
    this.errPath = path.join(OUT, `${name}.stderr`);
    this.errFile = fs.createWriteStream(this.errPath);
    this.proc = spawn(path.join(BIN, bin), args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.pid = this.proc.pid;
    this.text = '';     // stdout (text servers) and stderr until 'listening'
    this.lineHandlers = [];
    this.sanitizer = [];
    this.waiters = [];
    this.errTail = '';
    if (stdout === 'text') {
      this.proc.stdout.setEncoding('utf8');
      this.proc.stdout.on('data', (d) => { if (this.text.length < 65536) this.text += d; this.notify(); });
    }
    this.proc.stderr.setEncoding('utf8');
    this.errBytes = 0;
    this.proc.stderr.on('data', (d) => {
      // A server that logs in a loop must not fill the disk: the file
      // keeps the first 64 MiB (the lines are still read and counted).
      this.errBytes += d.length;
      if (this.errBytes <= 64 * MiB) this.errFile.write(d);
      if (this.text.length < 65536) this.text += d;
      // Whole lines to the handlers (the loggers' per-connection lines).
      const lines = (this.errTail + d).split('\n');
      this.errTail = lines.pop();
      for (const l of lines) {
        if (/Sanitizer|runtime error|^\s*#\d+ 0x/.test(l) && this.sanitizer.length < 100) this.sanitizer.push(l);
        for (const h of this.lineHandlers) h(l);
      }
      this.notify();
    });
    this.exited = new Promise((resolve) => this.proc.on('exit', (code, signal) => {
      this.exit = { code, signal };
      this.notify();
      resolve(this.exit);
    }));
    this.readyRe = ready;
  }
  notify() { for (const w of this.waiters.splice(0)) w(); }
  until(pred, what, ms = 15000) {
    return within(ms, new Promise((resolve, reject) => {
      const check = () => {
        const v = pred();
        if (v) return resolve(v);
        if (this.exit) return reject(new Error(`${this.name} exited (${JSON.stringify(this.exit)}) waiting for ${what}`));
        this.waiters.push(check);
      };
      check();
    }), `${this.name}: ${what}`);
  }
  async start() {
    const m = await this.until(() => this.text.match(this.readyRe), 'its listening line');
    this.port = Number(m[1]);
    return this;
  }
  alive() { return !this.exit; }
  sample() {
    const st = procStatus(this.pid);
    return { fds: fdList(this.pid).length, rss: st.rss, hwm: st.hwm, threads: st.threads, cpu: cpuTicks(this.pid) };
  }
}

// ---- A client connection, for the byte-stream servers --------------------

class Conn {
  constructor(port, { hash = true } = {}) {
    this.s = net.connect(port, '127.0.0.1');
    this.got = 0;
    this.hash = hash ? crypto.createHash('sha256') : null;
    this.ended = this.closed = this.connected = false;
    this.error = null;
    this.drains = 0;
    this.waiters = [];
    this.s.on('connect', () => { this.connected = true; this.notify(); });
    this.s.on('data', (d) => {
      this.got += d.length;
      if (this.hash) this.hash.update(d);
      this.notify();
    });
    this.s.on('end', () => { this.ended = true; this.notify(); });
    this.s.on('close', () => { this.closed = true; this.notify(); });
    this.s.on('error', (e) => { this.error = e; this.notify(); });
    this.s.on('drain', () => { this.drains++; this.notify(); });
  }
  notify() { for (const w of this.waiters.splice(0)) w(); }
  // Resolves when pred() holds; rejects on an error or a close first
  // (unless pred accepts those) or after ms.
  until(pred, what, ms = 30000) {
    return within(ms, new Promise((resolve, reject) => {
      const check = () => {
        if (pred()) return resolve();
        if (this.error) return reject(new Error(`${what}: ${this.error.code || this.error.message}`));
        if (this.closed) return reject(new Error(`${what}: connection closed`));
        this.waiters.push(check);
      };
      check();
    }), what);
  }
  // Writes buf in pieces of random size, waiting for 'drain' when told to.
  async send(buf, what) {
    let off = 0;
    while (off < buf.length && !this.closed && !this.error) {
      const n = Math.min(logUniform(1, 65536), buf.length - off);
      const d = this.drains;
      const ok = this.s.write(buf.subarray(off, off + n));
      off += n;
      if (!ok) await this.until(() => this.drains > d, `${what}: drain`);
    }
  }
  reset() { if (!this.s.destroyed) this.s.resetAndDestroy(); }
  destroy() { this.s.destroy(); }
}

// ---- The load ------------------------------------------------------------

let stopping = false;  // set when the current phase's load is to end

// Echo: every byte comes back in order; a half-close gets the rest and FIN.
async function echoSession(srv) {
  const kind = srv.name;
  const action = pickWeighted([['whole', 50], ['reset', 20], ['vanish', 15], ['hold', 15]]);
  const c = new Conn(srv.port);
  try {
    await c.until(() => c.connected, 'connect', 10000);
    if (action === 'whole' || action === 'hold') {
      const data = crypto.randomBytes(logUniform(1, 2 * MiB));
      await c.send(data, 'send');
      c.s.end();
      await c.until(() => c.ended, `the echo of ${data.length} bytes and its end`, 60000);
      if (c.got !== data.length || c.hash.digest('hex') !== sha(data))
        throw new Error(`echo of ${data.length} bytes differs (got ${c.got})`);
      // 'hold': the socket stays half-open after the server's FIN.
      if (action === 'hold') await pause(randint(200, 2000));
    } else if (action === 'reset') {
      const data = crypto.randomBytes(logUniform(16 * 1024, MiB));
      const cut = randint(0, data.length);
      await c.send(data.subarray(0, cut), 'send');
      if (rand() < 0.5) await c.until(() => c.got > 0 || cut === 0, 'some echo', 30000);
      c.s.write(data.subarray(cut)); // still queued when the RST goes
      c.reset();
    } else {
      // 'vanish': stops reading and keeps writing until the server, whose
      // echo cannot go out, stops reading too; then disappears.
      c.s.pause();
      const data = crypto.randomBytes(logUniform(MiB, 4 * MiB));
      c.s.write(data);
      await pause(randint(1000, 3000));
      c.destroy();
    }
    count(`${kind}.${action}`);
  } catch (e) {
    fail(kind, `${action}: ${e.message}`);
  } finally {
    c.destroy();
  }
}

// The loggers tell on stderr of each connection where it came from, how
// many bytes it gave and (one file each) what they wrote: a session finds
// its lines by its local port. A connection reset before the server took
// it has no address any more ("from :0"): only the early-reset sessions
// make those, and they look for no line.
const loggerWant = new Map(); // "name:port[:what]" -> { resolve }
function watchLogger(srv) {
  const byId = new Map();
  srv.from = new Set(); // ports of the open connections it has logged
  srv.received = 0;
  srv.lineHandlers.push((l) => {
    let m;
    if ((m = /^cnet-logger: connection (\d+) from 127\.0\.0\.1:(\d+)$/.exec(l))) {
      byId.set(m[1], m[2]);
      srv.from.add(m[2]);
      const w = loggerWant.get(`${srv.name}:${m[2]}:from`);
      if (w) { loggerWant.delete(`${srv.name}:${m[2]}:from`); w.resolve({}); }
    } else if ((m = /^cnet-logger: connection (\d+) closed, (\d+) bytes$/.exec(l))) {
      srv.received += Number(m[2]);
      const key = `${srv.name}:${byId.get(m[1])}`;
      srv.from.delete(byId.get(m[1]));
      byId.delete(m[1]);
      const w = loggerWant.get(key);
      if (w) { loggerWant.delete(key); w.resolve({ bytes: Number(m[2]) }); }
    } else if ((m = /^cnet-logger: connection (\d+): wrote (\d+) bytes to (.*)$/.exec(l))) {
      const port = (/-(\d+)\.log$/.exec(m[3]) || [])[1];
      const key = `${srv.name}:${port}:file`;
      const w = loggerWant.get(key);
      if (w) { loggerWant.delete(key); w.resolve({ bytes: Number(m[2]), file: m[3] }); }
    }
  });
}
function loggerLine(srv, port, suffix = '') {
  const key = `${srv.name}:${port}${suffix}`;
  if (suffix === ':from' && srv.from.has(String(port))) return Promise.resolve({});
  return new Promise((resolve) => loggerWant.set(key, { resolve }));
}

async function loggerSession(srv) {
  const perConn = srv.name === 'logger-per-conn';
  const action = pickWeighted([['whole', 50], ['reset', 25], ['early-reset', 10], ['vanish', 15]]);
  const c = new Conn(srv.port, { hash: false });
  let closedLine, fileLine;
  try {
    await c.until(() => c.connected, 'connect', 10000);
    if (action === 'early-reset') {
      c.s.write(crypto.randomBytes(randint(0, 65536)));
      c.reset();
      return count(`${srv.name}.${action}`);
    }
    const from = loggerLine(srv, c.s.localPort, ':from');
    closedLine = loggerLine(srv, c.s.localPort);
    if (perConn) fileLine = loggerLine(srv, c.s.localPort, ':file');
    const data = Buffer.from(crypto.randomBytes(logUniform(1024, 128 * 1024)).toString('base64') + '\n');
    if (action === 'whole') {
      await c.send(data, 'send');
      c.s.end();
      await c.until(() => c.ended, 'the logger to end the connection', 30000);
      const { bytes } = await within(30000, closedLine, 'the logger to log the close');
      if (bytes !== data.length) throw new Error(`logged ${bytes} bytes of ${data.length}`);
    } else if (action === 'reset') {
      // Reset mid-write, once the logger has taken the connection.
      await within(30000, from, 'the logger to take the connection');
      const cut = randint(0, data.length);
      await c.send(data.subarray(0, cut), 'send');
      c.s.write(data.subarray(cut));
      c.reset();
      await within(30000, closedLine, 'the logger to log the reset connection');
    } else {
      await c.send(data.subarray(0, randint(0, data.length)), 'send');
      await pause(randint(500, 4000));
      c.destroy();
      await within(30000, closedLine, 'the logger to log the vanished connection');
    }
    if (perConn) {
      // Its own file holds what arrived: all of it, or (reset, vanished)
      // a prefix of it.
      const { bytes, file } = await within(30000, fileLine, 'the logger to close the connection\'s file');
      const content = fs.readFileSync(file);
      if (content.length !== bytes) throw new Error(`${file}: ${content.length} bytes, logged ${bytes}`);
      if (action === 'whole' ? !content.equals(data) : !data.subarray(0, content.length).equals(content))
        throw new Error(`${file}: not ${action === 'whole' ? 'what was sent' : 'a prefix of what was sent'}`);
      fs.unlinkSync(file);
    }
    count(`${srv.name}.${action}`);
  } catch (e) {
    fail(srv.name, `${action}: ${e.message}`);
  } finally {
    c.destroy();
  }
}

// cnet-cat -l -k: one connection at a time, each appended to its stdout.
// Each session starts with a marker line ("\n@@<id>@@\n", '@' never occurs
// in the payloads), so the stdout splits back into sessions: a whole one
// must arrive entire, a reset one as a prefix.
const catSessions = new Map(); // id -> { data, whole }
let catParse = { buf: Buffer.alloc(0), id: null, got: [] };
function catCheck(id, got) {
  const s = catSessions.get(id);
  catSessions.delete(id);
  if (!s) return fail('cat-server', `stdout has a session ${id} nobody sent`);
  const body = Buffer.concat(got);
  if (s.whole ? !body.equals(s.data) : !s.data.subarray(0, body.length).equals(body))
    fail('cat-server', `session ${id} (${s.whole ? 'whole' : 'reset'}, ${s.data.length} bytes) ` +
                       `arrived as ${body.length} bytes that differ`);
}
function catStdout(d) {
  const p = catParse;
  p.buf = Buffer.concat([p.buf, d]);
  for (;;) {
    const at = p.buf.indexOf('\n@@');
    if (at < 0) break;
    const end = p.buf.indexOf('@@\n', at + 3);
    if (end < 0) break;
    if (p.id !== null) { p.got.push(p.buf.subarray(0, at)); catCheck(p.id, p.got); }
    p.id = p.buf.subarray(at + 3, end).toString();
    p.got = [];
    p.buf = p.buf.subarray(end + 3);
  }
  // Keep the last bytes that could be the start of a marker.
  if (p.buf.length > 64) { p.got.push(p.buf.subarray(0, p.buf.length - 64)); p.buf = p.buf.subarray(p.buf.length - 64); }
}
let catNext = 0;
async function catServerSession(srv, forced) {
  const id = `${catNext++}`;
  const action = forced || pickWeighted([['whole', 60], ['reset', 25], ['hold', 15]]);
  const payload = Buffer.from(crypto.randomBytes(logUniform(1024, 768 * 1024)).toString('base64'));
  const data = Buffer.concat([Buffer.from(`\n@@${id}@@\n`), payload]);
  catSessions.set(id, { data: payload, whole: action !== 'reset' });
  const closes = srv.closes;
  const c = new Conn(srv.port, { hash: false });
  try {
    await c.until(() => c.connected, 'connect', 10000);
    if (action === 'reset') {
      const cut = randint(data.indexOf('@@\n') + 3, data.length);
      await c.send(data.subarray(0, cut), 'send');
      c.reset();
    } else {
      await c.send(data, 'send');
      c.s.end();
      await c.until(() => c.ended, 'cnet-cat to end the connection', 30000);
      if (action === 'hold') await pause(randint(200, 1500));
      c.destroy();
    }
    // The next session waits until cnet-cat has let this one go, as a
    // second connection meanwhile would be closed at once (one at a time).
    await srv.until(() => srv.closes > closes, 'cnet-cat: connection closed', 30000);
    count(`cat-server.${action}`);
  } catch (e) {
    fail('cat-server', `${action} session ${id}: ${e.message}`);
    catSessions.delete(id);
  } finally {
    c.destroy();
  }
}

// cnet-cat as a client of the echo server: a file in, the same file out;
// now and then killed mid-transfer (a client that vanishes).
const catFiles = [];
async function catClientSession(echo) {
  const file = catFiles[randint(0, catFiles.length - 1)];
  const kill = rand() < 0.2;
  const errPath = path.join(OUT, 'cat-client.stderr');
  const fd = fs.openSync(file.path, 'r');
  const p = spawn(path.join(BIN, 'cnet-cat'), ['-N', '127.0.0.1', String(echo.port)],
                  { stdio: [fd, 'pipe', 'pipe'] });
  fs.closeSync(fd);
  const h = crypto.createHash('sha256');
  let got = 0, err = '';
  p.stdout.on('data', (d) => { h.update(d); got += d.length; });
  p.stderr.setEncoding('utf8');
  p.stderr.on('data', (d) => { err += d; });
  const exited = new Promise((r) => p.on('close', (code, signal) => r({ code, signal })));
  try {
    if (kill) {
      await pause(randint(5, 300));
      p.kill('SIGKILL');
    }
    const ex = await within(60000, exited, `cnet-cat with ${file.size} bytes to exit`);
    if (err) fs.appendFileSync(errPath, err);
    if (/Sanitizer|runtime error/.test(err)) fail('cat-client', `sanitizer report: ${err.slice(0, 300)}`);
    if (kill && ex.signal === 'SIGKILL') return count('cat-client.killed');
    if (ex.code !== 0) throw new Error(`exit ${JSON.stringify(ex)}: ${err.slice(0, 200)}`);
    if (got !== file.size || h.digest('hex') !== file.sum) throw new Error(`${file.size} bytes in, ${got} out, differing`);
    count(`cat-client.${kill ? 'finished-before-kill' : 'whole'}`);
  } catch (e) {
    p.kill('SIGKILL');
    fail('cat-client', e.message);
  }
}

// ---- The chat ------------------------------------------------------------

const WELCOME = /^Welcome to cnet-chat! \d+ users? online\. Please enter your nickname:$/;
async function chatJoin(port, nick) {
  const c = new Client(port, { name: nick });
  await c.expect(WELCOME);
  c.say(nick);
  await c.expect(new RegExp(`^Hello ${nick}! \\d+ users? online\\.`));
  return c;
}
let churnId = 0;

// A client the server may cut off (a flooder): it is let go, by a close
// or a reset, either way.
function letGo(c) {
  return within(30000, new Promise((resolve) => {
    const check = () => (c.closed || c.error ? resolve() : c.waiters.push(check));
    check();
  }), `${c.name} to be let go`);
}

// A resident stays the whole phase, talks every few hundred ms and reads
// everything: every other resident's lines must reach it in order. At the
// end each says "#end" and waits for the others' (a line held back by
// the server would show here as a timeout).
async function resident(port, names, me, phaseEnded) {
  let c;
  try {
    c = await chatJoin(port, me);
  } catch (e) {
    fail('chat-resident', `${me} could not join: ${e.message}`);
    return;
  }
  const next = new Map();
  const ended = new Set();
  let seq = 0, talking = true, reading;
  const read = async () => {
    while (ended.size < names.length - 1) {
      const l = await c.line();
      if (c.next > 1000) { c.lines.splice(0, c.next); c.next = 0; }
      const m = /^(\w+): (\w+)#(\d+|end)(?: |$)/.exec(l);
      if (!m || !names.includes(m[1]) || m[1] !== m[2]) continue;
      if (m[3] === 'end') { ended.add(m[1]); continue; }
      const want = next.get(m[1]);
      if (want !== undefined && Number(m[3]) !== want)
        throw new Error(`${me}: ${m[1]}'s line ${m[3]} came when ${want} was due`);
      next.set(m[1], Number(m[3]) + 1);
    }
  };
  reading = read();
  reading.catch(() => {});
  try {
    while (!phaseEnded()) {
      const k = randint(1, 3);
      for (let i = 0; i < k; i++) c.say(`${me}#${seq++} ${'x'.repeat(randint(0, 120))}`);
      await Promise.race([pause(randint(300, 1000)), reading]);
    }
    talking = false;
    c.say(`${me}#end`);
    await within(60000, reading, () => `${me}: the others' #end (seen: ${[...ended]})`);
    count('chat.resident');
  } catch (e) {
    fail('chat-resident', `${me} after ${seq} lines: ${e.message}`);
  } finally {
    if (talking) c.say(`${me}#end`);
    c.say('quit');
    await within(10000, c.closedByServer(), `${me} to be let go`).catch(() => {});
    c.destroy();
  }
}

async function chatSession(srv) {
  const action = pickWeighted([['talk', 30], ['reset', 15], ['half-close', 12], ['vanish', 10],
                               ['no-nick', 10], ['slow-reader', 10], ['paste', 5], ['help-then-fin', 5],
                               ['l-flood', 3]]);
  const nick = `c${churnId++}`;
  let c;
  try {
    if (action === 'no-nick') {
      c = new Client(srv.port, { name: nick });
      await c.expect(WELCOME);
      await pause(randint(500, 4000));
      c.destroy();
      return count(`chat.${action}`);
    }
    c = await chatJoin(srv.port, nick);
    switch (action) {
      case 'talk':
        for (let i = 0, n = randint(1, 10); i < n; i++) {
          const say = pickWeighted([[`${nick} says ${i} 你好`, 6], ['l', 1], ['help', 1],
                                    [`c:r0:psst ${i}`, 1], [`n:${nick}x${i}`, 1]]);
          c.say(say);
          await pause(randint(0, 300));
        }
        c.say(rand() < 0.5 ? 'quit' : 'byebye');
        await c.closedByServer();
        break;
      case 'reset': {
        for (let i = 0, n = randint(0, 5); i < n; i++) c.say(`${nick} line ${i}`);
        c.send(`${nick} half a line ${'y'.repeat(randint(0, 3000))}`);
        c.socket.resetAndDestroy();
        break;
      }
      case 'half-close':
        c.say(`${nick} leaving with a FIN`);
        c.socket.end();
        await Promise.race([c.closedByServer(), pause(randint(500, 3000))]);
        break;
      case 'vanish':
        // Stops reading and says nothing, then is gone without a FIN.
        c.socket.pause();
        await pause(randint(1000, 6000));
        c.socket.resetAndDestroy();
        break;
      case 'slow-reader':
        c.socket.pause();
        await pause(randint(500, 3000));
        c.socket.resume();
        c.say('quit');
        await c.closedByServer();
        break;
      case 'paste': {
        // Up to ~128 KiB of short lines in one write, then quit: the readers
        // (the residents) must neither be dropped nor miss their own lines.
        // A server may pace the paste (then the quit waits its turn) or cut
        // the paster off; either way the paster leaves within seconds.
        const n = logUniform(300, 9000);
        let text = '';
        for (let i = 0; i < n; i++) text += `${nick} pasted ${i}\r\n`;
        c.send(text);
        c.say('quit');
        await Promise.race([letGo(c), pause(randint(1000, 5000))]);
        // Then closes the terminal: a reset. (With a FIN instead the
        // server rightly goes on relaying a paced paste for minutes.)
        c.socket.resetAndDestroy();
        break;
      }
      case 'help-then-fin':
        // A peer that asks for the help text many times in one write, does
        // not read it, half-closes and keeps its socket: the server holds
        // output it cannot send and a FIN it has not read.
        c.socket.pause();
        c.send('help\r\n'.repeat(129));
        c.socket.end();
        await pause(randint(1000, 3000));
        break;
      case 'l-flood':
        // One 64 KiB read of "l" lines, from a client that does not read
        // the answers (each lists everyone online).
        c.socket.pause();
        c.send('l\n'.repeat(32768));
        await pause(randint(1000, 2000));
        break;
    }
    count(`chat.${action}`);
  } catch (e) {
    fail('chat', `${action} ${nick}: ${e.message}`);
  } finally {
    if (c) c.destroy();
  }
}

// ---- Phases --------------------------------------------------------------

// Runs `workers` loops of session() until the phase ends; each session
// bounds its own waits, so the returned promise settles within a minute
// or so of the end.
function loops(workers, srv, session) {
  return Array.from({ length: workers }, async () => {
    while (!stopping && srv.alive()) await session();
  });
}

async function phase(name, seconds, servers) {
  stopping = false;
  const { chat, echo, echo2, logger, loggerPc, catSrv } = servers;
  const prefix = name === 'warm-up' ? 'w' : 'r';
  const names = Array.from({ length: 6 }, (_, i) => `${prefix}${i}`);
  const phaseEnded = () => stopping;
  log(`${name}: ${seconds} s of load`);
  const all = [
    ...names.map((n) => resident(chat.port, names, n, phaseEnded)),
    ...loops(10, chat, () => chatSession(chat)),
    ...loops(5, echo, () => echoSession(echo)),
    ...loops(5, echo2, () => echoSession(echo2)),
    ...loops(3, logger, () => loggerSession(logger)),
    ...loops(3, loggerPc, () => loggerSession(loggerPc)),
    ...loops(1, catSrv, () => catServerSession(catSrv)),
    ...loops(1, echo, () => catClientSession(echo)),
  ];
  const sampler = setInterval(() => sample(name, servers), 10000);
  await pause(seconds * 1000);
  stopping = true;
  log(`${name}: load stopped, waiting for its clients to finish`);
  await within(120000, Promise.all(all), 'the clients to finish');
  clearInterval(sampler);
}

const samples = [];
function sample(phaseName, servers) {
  const row = { t: Number(elapsed()), phase: phaseName };
  for (const s of Object.values(servers)) if (s.alive()) row[s.name] = s.sample();
  samples.push(row);
}

// Quiet: no client connection left on the server; then its figures.
// A connection's file (the per-connection logger) is closed on the worker
// pool after its socket: the fd count must also have stayed the same for
// a second.
async function quiet(srv) {
  await poll(() => !srv.alive() || connections(srv.pid) === 0, 30000,
             `${srv.name} to hold no client connection`);
  let last = -1, same = 0;
  await poll(() => {
    if (!srv.alive()) return true;
    const n = fdList(srv.pid).length;
    same = n === last ? same + 1 : 0;
    last = n;
    return same >= 10;
  }, 30000, `${srv.name}'s fd count to settle`);
  if (!srv.alive()) throw new Error(`${srv.name} exited: ${JSON.stringify(srv.exit)}`);
  return srv.sample();
}

// ---- Still answering -----------------------------------------------------

async function answers(servers) {
  const { chat, echo, echo2, logger, loggerPc, catSrv } = servers;
  const checks = {
    chat: async () => {
      const a = await chatJoin(chat.port, 'alive1');
      const b = await chatJoin(chat.port, 'alive2');
      await a.expect(/^\* alive2 joined \(\d+ users online\)$/);
      a.say('still here');
      await b.expect('alive1: still here');
      for (const c of [a, b]) { c.say('quit'); await c.closedByServer(); c.destroy(); }
    },
    echo: () => echoRound(echo),
    'echo-threads': () => echoRound(echo2),
    logger: async () => {
      const c = new Conn(logger.port);
      await c.until(() => c.connected, 'connect');
      const closed = loggerLine(logger, c.s.localPort);
      c.s.end('alive\n');
      const { bytes } = await within(15000, closed, 'the close line');
      if (bytes !== 6) throw new Error(`logged ${bytes} bytes of 6`);
    },
    'logger-per-conn': async () => {
      const c = new Conn(loggerPc.port);
      await c.until(() => c.connected, 'connect');
      const file = loggerLine(loggerPc, c.s.localPort, ':file');
      c.s.end('alive\n');
      const f = await within(15000, file, 'the file line');
      if (fs.readFileSync(f.file, 'utf8') !== 'alive\n') throw new Error(`${f.file} does not hold the line`);
    },
    'cat-server': async () => {
      const before = counts['cat-server.FAILED'] || 0;
      const n = catNext;
      await catServerSession(catSrv, 'whole');
      // Its bytes are checked once the next marker (or the end) comes.
      if ((counts['cat-server.FAILED'] || 0) > before) throw new Error(`session ${n} failed`);
    },
  };
  const result = {};
  for (const [name, check] of Object.entries(checks)) {
    try {
      await within(30000, check(), `${name} to answer`);
      result[name] = 'yes';
    } catch (e) {
      result[name] = `no: ${e.message}`;
      fail(name, `does not answer after the soak: ${e.message}`);
    }
  }
  return result;
}

async function echoRound(srv) {
  const c = new Conn(srv.port);
  const data = crypto.randomBytes(65536);
  await c.until(() => c.connected, 'connect');
  c.s.end(data);
  await c.until(() => c.ended, 'the echo');
  if (c.got !== data.length || c.hash.digest('hex') !== sha(data)) throw new Error('the echo differs');
}

// ---- Main ----------------------------------------------------------------

function kb(n) { return n >= 10240 ? `${(n / 1024).toFixed(1)} MiB` : `${n} KiB`; }

function startServers() {
  const servers = {};
  const add = (key, ...a) => { servers[key] = new Server(...a); };
  // Every client of the soak comes from 127.0.0.1: a chat server that
  // limits connections per address must let all of them in (at most 18
  // at once).
  const chatHelp = require('child_process').spawnSync(path.join(BIN, 'cnet-chat'), ['--help'],
                                                        { encoding: 'utf8' });
  const perIp = /--max-per-ip\b/.test(`${chatHelp.stdout}${chatHelp.stderr}`) ? ['--max-per-ip', '64'] : [];
  add('chat', 'chat', 'cnet-chat', ['--port', '0', '--log', path.join(OUT, 'room.log'), ...perIp],
      /^cnet-chat listening on [^:]+:(\d+) /m);
  add('echo', 'echo', 'cnet-echo', ['--port', '0'], /^cnet-echo listening on tcp [^:]+:(\d+)/m);
  add('echo2', 'echo-threads', 'cnet-echo', ['--port', '0', '--threads', '2'],
      /^cnet-echo listening on tcp [^:]+:(\d+)/m);
  add('logger', 'logger', 'cnet-logger', ['--port', '0', '--out', path.join(OUT, 'msg.txt')],
      /^cnet-logger listening on [^:]+:(\d+)/m);
  fs.mkdirSync(path.join(OUT, 'per-conn'), { recursive: true });
  add('loggerPc', 'logger-per-conn', 'cnet-logger',
      ['--port', '0', '--per-connection', path.join(OUT, 'per-conn')], /^cnet-logger listening on [^:]+:(\d+)/m);
  add('catSrv', 'cat-server', 'cnet-cat', ['-v', '-k', '-l', '127.0.0.1', '0'],
      /^Listening on \S+ (\d+)$/m, { stdout: 'raw' });
  servers.catSrv.proc.stdout.on('data', catStdout);
  servers.catSrv.closes = 0;
  servers.catSrv.lineHandlers.push((l) => { if (l === 'cnet-cat: connection closed') servers.catSrv.closes++; });
  watchLogger(servers.logger);
  watchLogger(servers.loggerPc);
  return servers;
}

// Warm-up, baseline, load, end figures, idle CPU, liveness. Returns what
// was measured; a step that cannot be done is a failure and ends the run.
async function run(servers) {
  const list = Object.values(servers);
  const figures = Object.fromEntries(list.map((s) => [s.name, { started: s.sample() }]));
  let answered = {};
  try {
    await phase('warm-up', WARMUP_S, servers);
    for (const s of list) figures[s.name].baseline = await quiet(s);
    log(`baseline: ${list.map((s) => `${s.name} ${figures[s.name].baseline.fds} fds ` +
                                      `${kb(figures[s.name].baseline.rss)}`).join(', ')}`);
    const cpu0 = Object.fromEntries(list.map((s) => [s.name, s.sample().cpu]));
    const l0 = Date.now();
    await phase('load', Math.max(1, SECONDS - WARMUP_S), servers);
    const loadS = (Date.now() - l0) / 1000;
    for (const s of list) {
      figures[s.name].end = await quiet(s).catch((e) => { fail(s.name, e.message); return s.alive() ? s.sample() : null; });
      if (s.alive()) figures[s.name].loadCpu = (s.sample().cpu - cpu0[s.name]) / TICKS_PER_S / loadS;
    }
    // Idle CPU, over a 3 s window: a server with no client must not spin.
    const idle0 = Object.fromEntries(list.filter((s) => s.alive()).map((s) => [s.name, s.sample().cpu]));
    await pause(3000);
    for (const s of list)
      if (s.alive() && s.name in idle0) figures[s.name].idleCpu = (s.sample().cpu - idle0[s.name]) / TICKS_PER_S / 3;
    answered = await answers(servers);
  } catch (e) {
    fail('soak', e.stack || e.message);
  }
  // Stop: SIGTERM, a clean exit (cnet-cat has no handler: the signal ends it).
  for (const s of list) if (s.alive()) s.proc.kill('SIGTERM');
  for (const s of list) {
    await within(20000, s.exited, `${s.name} to exit`).catch((e) => { fail(s.name, e.message); s.proc.kill('SIGKILL'); });
    await new Promise((r) => s.errFile.end(r));
  }
  if (catParse.id !== null) { catParse.got.push(catParse.buf); catCheck(catParse.id, catParse.got); }
  return { figures, answered };
}

// Each server's verdict: fds back to the baseline, RSS within the slack,
// CPU, exit status, no sanitizer report.
function verdicts(servers, figures) {
  return Object.values(servers).map((s) => {
    const f = figures[s.name] || {};
    const v = [];
    if (!f.baseline || !f.end) {
      v.push('not measured');
    } else {
      if (f.end.fds !== f.baseline.fds) v.push(`fds ${f.baseline.fds} -> ${f.end.fds}`);
      if (f.end.rss > f.baseline.rss + RSS_SLACK_KB) v.push(`RSS grew ${kb(f.end.rss - f.baseline.rss)}`);
    }
    if (f.loadCpu > MAX_LOAD_CPU) v.push(`CPU ${(100 * f.loadCpu).toFixed(0)} % under load`);
    if (f.idleCpu > MAX_IDLE_CPU) v.push(`CPU ${(100 * f.idleCpu).toFixed(0)} % with no client`);
    const wantExit = s.name === 'cat-server' ? (e) => e.signal === 'SIGTERM' : (e) => e.code === 0;
    if (!s.exit || !wantExit(s.exit)) v.push(`exit ${JSON.stringify(s.exit)}`);
    if (s.sanitizer.length) v.push('sanitizer report');
    for (const x of v) if (x !== 'not measured') fail(s.name, x);
    return { s, f, verdict: v.length ? v.join('; ') : 'held' };
  });
}

function writeReport(servers, rows, answered, msgSize) {
  const report = [];
  const p = (s = '') => report.push(s);
  const pct = (x) => (x == null ? '–' : `${(100 * x).toFixed(1)} %`);
  const os = require('os');
  p(`# Soak run, ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC`);
  p();
  p(`${SECONDS} s (warm-up ${WARMUP_S} s), seed ${SEED}, ${os.cpus().length} cores, ` +
    `load average at the end ${os.loadavg().map((x) => x.toFixed(1)).join(' ')}.`);
  p();
  p('| server | fds start / baseline / end | RSS baseline | RSS end | peak RSS | CPU under load | CPU idle after | verdict |');
  p('|---|---|---:|---:|---:|---:|---:|---|');
  for (const { s, f, verdict } of rows) {
    const fd = (x) => (x ? x.fds : '–');
    const rss = (x, k = 'rss') => (x ? kb(x[k]) : '–');
    p(`| ${s.name} | ${fd(f.started)} / ${fd(f.baseline)} / ${fd(f.end)} | ${rss(f.baseline)} | ${rss(f.end)} ` +
      `| ${rss(f.end, 'hwm')} | ${pct(f.loadCpu)} | ${pct(f.idleCpu)} | ${verdict} |`);
  }
  p();
  // RSS through the load (samples every 10 s): a leak climbs, allocator
  // churn levels off.
  const load = samples.filter((r) => r.phase === 'load');
  if (load.length >= 5) {
    const at = [0, 0.25, 0.5, 0.75, 1].map((q) => load[Math.round(q * (load.length - 1))]);
    p(`RSS through the load (at ${at.map((r) => `${r.t} s`).join(', ')}):`);
    p();
    for (const s of Object.values(servers))
      p(`- ${s.name}: ${at.map((r) => (r[s.name] ? kb(r[s.name].rss) : '–')).join(' → ')}`);
    p();
  }
  p(`Still answering after the load: ${Object.entries(answered).map(([k, v]) => `${k} ${v}`).join(', ') || 'not checked'}.`);
  p(`msg.txt: ${msgSize} bytes; the logger counted ${servers.logger.received} received.`);
  p();
  p('Sessions, by server and action (FAILED: a check did not hold):');
  p();
  p('| session | count |');
  p('|---|---:|');
  for (const k of Object.keys(counts).sort()) p(`| ${k} | ${counts[k]} |`);
  p();
  const sanitizer = Object.values(servers).flatMap((s) => s.sanitizer.map((l) => `${s.name}: ${l}`));
  p(`Sanitizer reports: ${sanitizer.length ? '' : 'none'}`);
  for (const l of sanitizer.slice(0, 40)) p(`    ${l}`);
  p();
  p(`Failures: ${failureCount}${failureCount > failures.length ? ` (the first ${failures.length} listed)` : ''}`);
  for (const f of failures) p(`- [${f.at} s] ${f.kind}: ${f.message.replace(/\n/g, ' ')}`);
  fs.writeFileSync(path.join(OUT, 'report.md'), report.join('\n') + '\n');
  fs.writeFileSync(path.join(OUT, 'samples.json'), JSON.stringify(samples));
  console.log('\n' + report.join('\n'));
}

async function main() {
  log(`soak: ${SECONDS} s (warm-up ${WARMUP_S} s), seed ${SEED}, tools from ${BIN}`);
  for (const size of [1, 1000, 65536, 300000, 2 * MiB, 8 * MiB]) {
    const p = path.join(OUT, `cat-in-${size}`);
    const data = crypto.randomBytes(size);
    fs.writeFileSync(p, data);
    catFiles.push({ path: p, size, sum: sha(data) });
  }
  const servers = startServers();
  for (const s of Object.values(servers)) await s.start();
  log(`servers: ${Object.values(servers).map((s) => `${s.name} pid ${s.pid} port ${s.port}`).join(', ')}`);

  const { figures, answered } = await run(servers);
  const rows = verdicts(servers, figures);
  // The shared file holds every byte the logger said it received.
  const msgSize = fs.statSync(path.join(OUT, 'msg.txt')).size;
  if (msgSize !== servers.logger.received)
    fail('logger', `msg.txt has ${msgSize} bytes, the logger received ${servers.logger.received}`);
  if (catSessions.size) fail('cat-server', `${catSessions.size} sessions never showed on its stdout`);
  writeReport(servers, rows, answered, msgSize);
  await new Promise((r) => logFile.end(r));
  process.exit(failureCount ? 1 : 0);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
