// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
'use strict';
// Drives one example program (the C build, or the Node original it mirrors)
// through a scenario: starts it, waits for lines of its output, plays the
// other side with Node's net, and fails on a missing or unexpected line.
// Every wait has a deadline, so a test ends even when the program hangs.
//
//   node <name>.test.js <program> [<partner>]
//     program: a binary, or a .js file run with node (the Node original);
//     partner: the example that plays the other side, for the tests that
//     pair two examples (a client and its server), in the same form
const { spawn } = require('child_process');
const fs = require('fs');
const net = require('net');
const path = require('path');

const STEP_MS = Number(process.env.CNET_EXAMPLE_STEP_MS) || 15000;
const children = new Set();
const programs = [];

// A running program and the lines it printed on stdout.
class Program {
  constructor(file, args, opts = {}) {
    const isJs = file.endsWith('.js');
    const cmd = isJs ? process.execPath : file;
    const argv = isJs ? [file, ...args] : args;
    this.name = path.basename(file);
    this.lines = [];
    this.cursor = 0;
    this.stderr = '';
    this.waiters = [];
    this.child = spawn(cmd, argv, { stdio: ['pipe', 'pipe', 'pipe'], cwd: opts.cwd });
    programs.push(this);
    children.add(this.child);
    let partial = '';
    this.child.stdout.setEncoding('utf8');
    this.child.stdout.on('data', (chunk) => {
      partial += chunk;
      let i;
      while ((i = partial.indexOf('\n')) >= 0) {
        this.lines.push(partial.slice(0, i));
        partial = partial.slice(i + 1);
      }
      this.wake();
    });
    this.child.stderr.setEncoding('utf8');
    this.child.stderr.on('data', (chunk) => { this.stderr += chunk; });
    this.exited = new Promise((resolve) => {
      this.child.on('close', (code, signal) => {
        children.delete(this.child);
        if (partial) this.lines.push(partial);
        partial = '';
        this.status = { code, signal };
        this.wake();
        resolve(this.status);
      });
    });
  }

  wake() {
    const w = this.waiters;
    this.waiters = [];
    for (const fn of w) fn();
  }

  describe() {
    const shown = this.lines.map((l, i) => `${i === this.cursor ? '>' : ' '} ${l}`);
    return `${this.name} printed:\n${shown.join('\n')}\n` +
           (this.stderr ? `stderr:\n${this.stderr}` : '');
  }

  // The next line, which must match want (a string for equality or a
  // RegExp). Returns the line (or the RegExp's match).
  expect(want, ms = STEP_MS) {
    return this.next(want, false, ms);
  }

  // Skips lines until one matches want.
  waitFor(want, ms = STEP_MS) {
    return this.next(want, true, ms);
  }

  next(want, skip, ms) {
    // A string matches itself (as a one-element match, so that '' counts).
    const test = (line) => (typeof want === 'string' ? (line === want ? [line] : null)
                                                      : line.match(want));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new Error(`timed out after ${ms} ms waiting for ${want}`));
      }, ms);
      const check = () => {
        while (this.cursor < this.lines.length) {
          const line = this.lines[this.cursor++];
          const m = test(line);
          if (m) {
            clearTimeout(timer);
            resolve(m);
            return;
          }
          if (!skip) {
            clearTimeout(timer);
            this.cursor--;
            reject(new Error(`expected ${want}, got ${JSON.stringify(line)}`));
            return;
          }
        }
        if (this.status) {
          clearTimeout(timer);
          reject(new Error(`exited (${JSON.stringify(this.status)}) before ${want}`));
          return;
        }
        this.waiters.push(check);
      };
      check();
    });
  }

  // Waits until every line of want (strings) has been printed, in any
  // order relative to other lines; returns all lines printed so far.
  async printed(want, ms = STEP_MS) {
    await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(
        `timed out after ${ms} ms waiting for ${JSON.stringify(want)}`)), ms);
      const check = () => {
        if (want.every((w) => this.lines.includes(w))) {
          clearTimeout(timer);
          resolve();
        } else if (this.status) {
          clearTimeout(timer);
          reject(new Error(`exited before ${JSON.stringify(want)}`));
        } else {
          this.waiters.push(check);
        }
      };
      check();
    });
    this.cursor = this.lines.length;
    return this.lines.slice();
  }

  // Resolves with the port of the program's listening TCP socket, once it
  // has one. A program started on port 0 gets a port from the kernel,
  // which no test running in parallel (here or in another checkout) can be
  // holding, and this finds it; it also tells when a program that prints
  // nothing when it listens is ready, without a probe connection that the
  // program would count. Looked up in /proc, which shows the socket without
  // touching it: the listening sockets (/proc/net/tcp and tcp6, state 0A)
  // that are among the program's fds.
  listeningPort(ms = STEP_MS) {
    const deadline = Date.now() + ms;
    return new Promise((resolve, reject) => {
      const poll = () => {
        const fds = fdInodes(this.child.pid);
        const mine = listeningSockets().find((l) => fds.has(l.inode));
        if (mine) {
          resolve(mine.port);
        } else if (this.status) {
          reject(new Error(`exited (${JSON.stringify(this.status)}) before listening`));
        } else if (Date.now() > deadline) {
          reject(new Error(`not listening after ${ms} ms`));
        } else {
          setTimeout(poll, 5);
        }
      };
      poll();
    });
  }

  // Stops and continues the program (SIGSTOP, SIGCONT): the kernel still
  // completes connections to it meanwhile, so that several arrive
  // together, for one wake-up of its loop.
  stop() { this.child.kill('SIGSTOP'); }
  cont() { this.child.kill('SIGCONT'); }

  // Fails if the program printed anything after what was expected so far.
  noMoreLines() {
    if (this.cursor < this.lines.length)
      throw new Error(`unexpected output ${JSON.stringify(this.lines[this.cursor])}`);
  }

  // Waits for the program to exit by itself; it must exit with code
  // (0 unless told: ASan reports and leaks make the C build exit non-zero).
  async exit(code = 0, ms = STEP_MS) {
    let timer;
    const st = await Promise.race([
      this.exited,
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${this.name} did not exit within ${ms} ms`)), ms);
      }),
    ]);
    clearTimeout(timer);
    if (st.code !== code)
      throw new Error(`${this.name} exited with ${JSON.stringify(st)}`);
    return st;
  }

  // Ends a program that runs until killed (a server).
  async kill() {
    if (!this.status) this.child.kill('SIGTERM');
    return this.exited;
  }
}

// The TCP sockets listening on this host, IPv4 and IPv6: { port, inode }.
function listeningSockets() {
  const found = [];
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch {
      continue; // no IPv6
    }
    for (const line of text.split('\n').slice(1)) {
      // sl local rem st tx:rx tr:when retrnsmt uid timeout inode
      const f = line.trim().split(/\s+/);
      if (f.length > 9 && f[3] === '0A')
        found.push({ port: parseInt(f[1].split(':')[1], 16), inode: f[9] });
    }
  }
  return found;
}

// The inodes of the sockets among a process's fds.
function fdInodes(pid) {
  const inodes = new Set();
  let fds = [];
  try {
    fds = fs.readdirSync(`/proc/${pid}/fd`);
  } catch {
    return inodes; // exited
  }
  for (const fd of fds) {
    try {
      const m = /^socket:\[(\d+)\]$/.exec(fs.readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (m) inodes.add(m[1]);
    } catch {
      // closed meanwhile
    }
  }
  return inodes;
}

// A TCP port that was free a moment ago, for the tests that must give a
// program a port of their choosing (a program that only needs one is
// started on port 0: see listeningPort). Picked at random below the
// kernel's ephemeral range (32768-60999 here), so that no outgoing
// connection of a test running in parallel can be holding it, and checked
// by binding it (on the dual-stack wildcard, as the examples listen); a
// test running in parallel may still pick the same one.
function freePort() {
  return new Promise((resolve, reject) => {
    let tries = 0;
    const attempt = () => {
      const port = 20000 + Math.floor(Math.random() * 12000);
      const s = net.createServer();
      s.on('error', () => (++tries < 50 ? attempt() : reject(new Error('no free port'))));
      s.listen(port, '127.0.0.1', () => s.close(() => resolve(port)));
    };
    attempt();
  });
}

// A client connection and what it received, for scenarios that play the
// client side.
class Client {
  constructor(opts) {
    this.data = '';
    this.events = [];
    this.waiters = [];
    this.socket = net.connect(opts);
    this.socket.setEncoding('utf8');
    this.socket.on('connect', () => this.push('connect'));
    this.socket.on('data', (d) => { this.data += d; this.wake(); });
    this.socket.on('end', () => this.push('end'));
    this.socket.on('error', (e) => this.push(`error ${e.code}`));
    this.socket.on('close', () => this.push('close'));
  }

  push(ev) { this.events.push(ev); this.wake(); }

  wake() {
    const w = this.waiters;
    this.waiters = [];
    for (const fn of w) fn();
  }

  // Resolves once cond() holds; cond is checked on every event.
  until(cond, what, ms = STEP_MS) {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(
        `client: timed out waiting for ${what}; events ${this.events.join(',')}; data ${JSON.stringify(this.data)}`)), ms);
      const check = () => {
        if (cond()) {
          clearTimeout(timer);
          resolve();
        } else {
          this.waiters.push(check);
        }
      };
      check();
    });
  }

  event(name, ms) { return this.until(() => this.events.includes(name), name, ms); }
  received(text, ms) { return this.until(() => this.data.includes(text), JSON.stringify(text), ms); }
}

// Resolves once cond() holds, checked on every event of any of clients.
function untilAny(clients, cond, what, ms = STEP_MS) {
  return new Promise((resolve, reject) => {
    let done = false;
    const timer = setTimeout(() => {
      done = true;
      reject(new Error(`clients: timed out waiting for ${what}; events ` +
                       clients.map((c) => c.events.join(',')).join(' | ')));
    }, ms);
    const check = () => {
      if (done) return;
      if (cond()) {
        done = true;
        clearTimeout(timer);
        resolve();
      } else {
        for (const c of clients) c.waiters.push(check);
      }
    };
    check();
  });
}

// A Client connected to a server that prints nothing when it listens:
// connection attempts are repeated while they are refused (the program is
// still starting), up to the step deadline. The client's startedAt is the
// time just before the attempt that connected: whatever the program starts
// on that connection starts later, so a wait measured from startedAt is
// never shorter than the program's (however slow this process is to see
// the connection).
async function connectWhenListening(opts, ms = STEP_MS) {
  const deadline = Date.now() + ms;
  for (;;) {
    const startedAt = Date.now();
    const c = new Client(opts);
    c.startedAt = startedAt;
    await c.until(() => c.events.includes('connect') || c.events.includes('close'), 'connect', ms);
    if (c.events.includes('connect')) return c;
    if (Date.now() > deadline) throw new Error(`never listened: ${c.events.join(',')}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

// Checks that lines holds each of the sequences, each in its order (lines
// of one side of a conversation, interleaved with the other side's).
function inOrder(lines, ...sequences) {
  for (const seq of sequences) {
    let i = 0;
    for (const l of lines) if (i < seq.length && l === seq[i]) i++;
    if (i < seq.length)
      throw new Error(`expected ${JSON.stringify(seq[i])} after ${JSON.stringify(seq.slice(0, i))} in:\n${lines.join('\n')}`);
  }
}

// Runs the scenario with the program's path; exits 0 on success, 1 with
// the reason on failure, killing whatever is still running either way.
function run(scenario) {
  const prog = process.argv[2];
  if (!prog) {
    console.error('usage: node <test>.js <program>');
    process.exit(2);
  }
  const file = path.resolve(prog);
  const start = (args = [], opts) => new Program(file, args.map(String), opts);
  const startPartner = (args = [], opts) => {
    if (!process.argv[3]) throw new Error('this test needs the partner program');
    return new Program(path.resolve(process.argv[3]), args.map(String), opts);
  };
  scenario({ start, startPartner, isNode: file.endsWith('.js') }).then(() => {
    for (const c of children) c.kill('SIGKILL');
    console.log(`ok: ${path.basename(process.argv[1])} on ${path.basename(file)}`);
    process.exit(0);
  }, (err) => {
    for (const c of children) c.kill('SIGKILL');
    console.error(`FAIL: ${path.basename(process.argv[1])} on ${path.basename(file)}`);
    console.error(err && err.stack ? err.stack : err);
    for (const p of programs) console.error(`--- ${p.describe()}`);
    process.exit(1);
  });
}

module.exports = { run, freePort, Client, Program, connectWhenListening, untilAny, inOrder };
