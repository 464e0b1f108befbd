// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
'use strict';
// What the cnet-chat tests share: start the server on a free port, talk to
// it over raw sockets line by line, and stop it cleanly. Every wait has a
// deadline, so a test that goes wrong fails with what it was waiting for
// instead of hanging; nothing waits for a fixed time.
const fs = require('fs');
const net = require('net');
const tls = require('tls');
const { spawn } = require('child_process');

const DEADLINE_MS = 15000;

// what: a string, or a function making one (called only on failure).
function deadline(promise, what, ms = DEADLINE_MS) {
  let timer;
  return Promise.race([
    promise,
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(
        `timed out waiting for ${typeof what === 'function' ? what() : what}`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

// The server, started with --port 0; its stdout's first line says the port.
// Under AddressSanitizer, freed chunks wait in its quarantine (256 MiB by
// default) before being reused, which is ASan's memory, not the server's:
// capped so that the tests measuring RSS see the server's (as cat.test.js
// does). Without ASan the option is ignored.
// opts.fds: listening sockets to hand it as a service manager does
// (socket activation): descriptors 3, 4, ... with LISTEN_FDS their count
// and LISTEN_PID the server's own pid, which only the process itself
// knows before the server runs: a shell sets it to its $$ and execs the
// server in its own place. opts.env: variables to add to its environment.
class Server {
  constructor(bin, args = [], opts = {}) {
    const asan = process.env.ASAN_OPTIONS;
    const env = { ...process.env, ...opts.env,
                  ASAN_OPTIONS: `${asan ? asan + ':' : ''}quarantine_size_mb=4` };
    const argv = ['--port', '0', ...args];
    const fds = opts.fds || [];
    const stdio = ['ignore', 'pipe', 'pipe', ...fds];
    if (fds.length)
      this.proc = spawn('/bin/sh', ['-c', `export LISTEN_PID=$$ LISTEN_FDS=${fds.length}; exec "$0" "$@"`,
                                    bin, ...argv], { stdio, env });
    else
      this.proc = spawn(bin, argv, { stdio, env });
    this.stderr = '';
    this.stdout = '';
    this.waiters = [];
    this.proc.stderr.setEncoding('utf8');
    this.proc.stderr.on('data', (d) => { this.stderr += d; this.notify(); });
    this.proc.stdout.setEncoding('utf8');
    this.proc.stdout.on('data', (d) => { this.stdout += d; this.notify(); });
    this.exited = new Promise((resolve) => this.proc.on('exit', (code, signal) => {
      this.exit = { code, signal };
      this.notify();
      resolve(this.exit);
    }));
  }
  notify() { for (const w of this.waiters.splice(0)) w(); }
  // Resolves once pred() holds, re-checked on every output of the server.
  until(pred, what) {
    return deadline(new Promise((resolve, reject) => {
      const check = () => {
        const v = pred();
        if (v) return resolve(v);
        if (this.exit) return reject(new Error(`server exited (${JSON.stringify(this.exit)}) ` +
                                               `waiting for ${what}; stderr:\n${this.stderr}`));
        this.waiters.push(check);
      };
      check();
    }), what);
  }
  async listening() {
    const m = await this.until(() => this.stdout.match(
      /^cnet-chat listening on (\S+):(\d+) — connect with: telnet (\S+) (\d+)  or  nc (\S+) (\d+)\n/),
      'the listening line');
    this.host = m[3];
    this.port = Number(m[2]);
    return this.port;
  }
  // Waits for a line on stderr (the log) matching re.
  log(re) { return this.until(() => this.stderr.match(re), `log ${re}`); }
  // The server's resident memory now and at its peak, in KiB.
  rss() {
    const s = fs.readFileSync(`/proc/${this.proc.pid}/status`, 'utf8');
    return { now: Number(/VmRSS:\s+(\d+)/.exec(s)[1]), peak: Number(/VmHWM:\s+(\d+)/.exec(s)[1]) };
  }
  // CPU time the server has used (user + system), in seconds.
  cpu() {
    const stat = fs.readFileSync(`/proc/${this.proc.pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) / 100; // utime, stime: clock ticks
  }
  // SIGTERM and a clean exit: status 0, and nothing from the sanitizers.
  async stop() {
    if (!this.exit) this.proc.kill('SIGTERM');
    const exit = await deadline(this.exited, 'the server to exit');
    if (exit.code !== 0)
      throw new Error(`server exited with ${JSON.stringify(exit)}; stderr:\n${this.stderr}`);
    if (/Sanitizer|runtime error|leak/i.test(this.stderr))
      throw new Error(`sanitizer report:\n${this.stderr}`);
  }
}

const IAC = 255;

// A client over a raw socket. Incoming bytes are split into IAC sequences
// (kept in this.iac, as bytes) and CR LF-terminated lines (this.lines).
// A client created with { telnet: false } (the default) fails the test on
// any 0xFF byte: a client that never negotiated must never see one.
class Client {
  constructor(port, opts = {}) {
    this.name = opts.name || 'client';
    this.telnet = !!opts.telnet;
    this.allowFF = !!opts.allowFF; // a test that sends raw 0xFF on purpose
    // port: a TCP port, or the path of a Unix socket; opts.tls: TLS
    // options (ca, servername), for the server's --tls-port.
    if (opts.tls)
      this.socket = tls.connect({ port, host: opts.host || '127.0.0.1', servername: 'localhost', ...opts.tls });
    else
      this.socket = typeof port === 'string' ? net.connect(port)
        : net.connect({ port, host: opts.host || '127.0.0.1', localAddress: opts.localAddress });
    this.socket.setNoDelay(true);
    this.pending = Buffer.alloc(0);
    this.textBuf = null;
    this.lines = [];
    this.stamps = []; // when each line came (Date.now())
    this.next = 0;
    this.iac = [];
    this.waiters = [];
    this.ended = false;
    this.closed = false;
    this.error = null;
    this.socket.on('data', (d) => this.onData(d));
    this.socket.on('end', () => { this.ended = true; this.notify(); });
    this.socket.on('close', () => { this.closed = true; this.notify(); });
    this.socket.on('error', (e) => { this.error = e; this.notify(); });
  }
  notify() { for (const w of this.waiters.splice(0)) w(); }
  onData(d) {
    if (!this.telnet && !this.allowFF && d.includes(IAC))
      this.error = new Error(`${this.name} got a 0xFF byte without negotiating: ${d.toString('hex')}`);
    let text;
    if (!this.telnet) {
      text = d;
    } else {
      const buf = Buffer.concat([this.pending, d]);
      const bytes = [];
      let i = 0;
      while (i < buf.length) {
        const c = buf[i];
        if (c === IAC) {
          if (i + 1 >= buf.length) break;
          const cmd = buf[i + 1];
          if (cmd === IAC) { bytes.push(IAC); i += 2; continue; }
          const n = cmd >= 251 && cmd <= 254 ? 3 : 2;
          if (i + n > buf.length) break;
          this.iac.push(...buf.subarray(i, i + n));
          i += n;
          continue;
        }
        bytes.push(c);
        i++;
      }
      this.pending = buf.subarray(i);
      text = Buffer.from(bytes);
    }
    this.textBuf = this.textBuf ? Buffer.concat([this.textBuf, text]) : text;
    let at;
    while ((at = this.textBuf.indexOf('\r\n')) >= 0) {
      this.lines.push(this.textBuf.subarray(0, at));
      this.stamps.push(Date.now());
      this.textBuf = this.textBuf.subarray(at + 2);
    }
    this.notify();
  }
  until(pred, what) {
    return deadline(new Promise((resolve, reject) => {
      const check = () => {
        if (this.error) return reject(this.error);
        const v = pred();
        if (v) return resolve(v);
        if (this.closed) return reject(new Error(`${this.name}: connection closed waiting for ` +
                                                 `${what}; lines: ${this.dump()}`));
        this.waiters.push(check);
      };
      check();
    }), () => `${this.name}: ${what}; lines so far: ${this.dump()}`);
  }
  // The lines so far for an error message: the last 20, each cut at 200
  // characters, so that a test with thousands of lines stays readable.
  dump() {
    const skipped = Math.max(0, this.lines.length - 20);
    const last = this.lines.slice(skipped).map((l) => {
      const t = l.toString();
      return t.length > 200 ? `${t.slice(0, 200)}...` : t;
    });
    return `${skipped ? `(${skipped} lines before) ` : ''}${JSON.stringify(last)}`;
  }
  connected() { return this.until(() => this.socket.readyState === 'open' || this.lines.length, 'connect'); }
  // The next line, as a Buffer.
  async lineBuf() {
    await this.until(() => this.lines.length > this.next, 'a line');
    return this.lines[this.next++];
  }
  async line() { return (await this.lineBuf()).toString(); }
  // The next line must be `expected` (a string, compared exactly, or a
  // RegExp); returns it.
  async expect(expected) {
    const got = await this.line();
    const ok = expected instanceof RegExp ? expected.test(got) : got === expected;
    if (!ok)
      throw new Error(`${this.name}: expected ${JSON.stringify(String(expected))}, ` +
                      `got ${JSON.stringify(got)}; all lines: ${this.dump()}`);
    return got;
  }
  async expectAll(list) { for (const l of list) await this.expect(l); }
  send(data) { this.socket.write(data); }
  say(line) { this.socket.write(line + '\r\n'); }
  // A round trip through the server: nothing may arrive before the answer
  // to 'l', so everything this client should not have received is caught.
  async sync() {
    this.say('l');
    await this.expect(/^\* \d+ users? online: /);
  }
  // Greeting, nickname, welcome.
  async join(nick, online) {
    await this.expect(/^Welcome to cnet-chat! \d+ users? online\. Please enter your nickname:$/);
    this.say(nick);
    const n = online;
    await this.expect(`Hello ${nick}! ${n} ${n === 1 ? 'user' : 'users'} online. Type help for the commands.`);
  }
  async closedByServer() {
    await this.until(() => this.ended || this.closed, 'the server to close');
  }
  destroy() { this.socket.destroy(); }
}

// Runs a test body; exits 0 on success, 1 with the error otherwise.
function run(body) {
  body().then(() => process.exit(0), (e) => {
    console.error(e && e.stack ? e.stack : e);
    process.exit(1);
  });
}

function users(n) { return `${n} ${n === 1 ? 'user' : 'users'} online`; }

// A test file of cases, one per CTest test: test(name, body) adds one,
// main() runs the one named on the command line (node FILE <cnet-chat>
// <case>), or lists them all for `--list`.
function testCases(file) {
  const cases = new Map();
  return {
    test(name, body) { cases.set(name, body); },
    main() {
      const [bin, name] = process.argv.slice(2);
      if (name === '--list') {
        console.log([...cases.keys()].join('\n'));
        return;
      }
      const body = cases.get(name);
      if (!bin || !body) {
        console.error(`usage: node ${file} <cnet-chat> <case>; cases: ${[...cases.keys()].join(' ')}`);
        process.exit(2);
      }
      run(() => body(bin));
    },
  };
}

// A talker not paced (no --rate-lines, no --rate-bytes).
const UNPACED = ['--rate-lines', '0', '--rate-bytes', '0'];
const WELCOME = /^Welcome to cnet-chat! \d+ users? online\. Please enter your nickname:$/;
const PROMPT = 'Please enter your nickname:';

// What `help` answers, line by line.
const HELP = [
  '* commands:',
  '*   text          say text to everyone else',
  '*   b:text        the same (broadcast)',
  '*   c:nick:text   a private message to nick',
  '*   n:newnick     change your nickname',
  '*   l             list the users online',
  '*   help          this help',
  '*   quit, byebye  leave',
];

module.exports = {
  Server, Client, run, deadline, users, testCases, IAC, HELP, UNPACED, WELCOME, PROMPT,
};
