// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
'use strict';
// A chat user through the real OpenBSD nc: an nc process on pipes, typing
// lines (LF endings, as nc sends them) and reading what its terminal would
// show, line by line and in order. Every nc started here is killed when
// the test's process exits, however it ends.
const { spawn } = require('child_process');
const { deadline } = require('./chat');

const started = new Set();
process.on('exit', () => {
  for (const p of started) if (p.exitCode === null && p.signalCode === null) p.kill('SIGKILL');
});

// want: a string (the whole line) or a RegExp.
function matches(want, got) { return want instanceof RegExp ? want.test(got) : got === want; }

class Nc {
  constructor(name, port) {
    this.name = name;
    this.proc = spawn('nc.openbsd', ['127.0.0.1', String(port)], { stdio: ['pipe', 'pipe', 'inherit'] });
    started.add(this.proc);
    this.proc.stdin.on('error', () => {}); // typing to an nc that has exited
    this.raw = Buffer.alloc(0);
    this.lines = [];
    this.next = 0;
    this.waiters = [];
    this.proc.stdout.on('data', (d) => {
      this.raw = Buffer.concat([this.raw, d]);
      let at;
      while ((at = this.raw.indexOf('\n')) >= 0) {
        this.lines.push(this.raw.subarray(0, at).toString().replace(/\r$/, ''));
        this.raw = this.raw.subarray(at + 1);
      }
      this.notify();
    });
    this.exited = new Promise((resolve) => this.proc.on('exit', (code) => {
      this.exit = code;
      this.notify();
      resolve(code);
    }));
  }
  notify() { for (const w of this.waiters.splice(0)) w(); }
  // The last lines for an error message, each cut at 120 characters.
  dump() {
    const skipped = Math.max(0, this.lines.length - 20);
    const last = this.lines.slice(skipped).map((l) => (l.length > 120 ? `${l.slice(0, 120)}...` : l));
    return `${skipped ? `(${skipped} lines before) ` : ''}${JSON.stringify(last)}`;
  }
  async line(what = 'a line', ms) {
    await deadline(new Promise((resolve, reject) => {
      const check = () => {
        if (this.lines.length > this.next) return resolve();
        if (this.exit !== undefined) return reject(new Error(`${this.name}: nc exited waiting for ${what}; lines: ${this.dump()}`));
        this.waiters.push(check);
      };
      check();
    }), () => `${this.name}: ${what}; lines: ${this.dump()}`, ms);
    return this.lines[this.next++];
  }
  // The next line must be want (a string, exactly, or a RegExp).
  async expect(want, ms) {
    const got = await this.line(JSON.stringify(String(want)), ms);
    if (!matches(want, got))
      throw new Error(`${this.name}: expected ${JSON.stringify(String(want))}, got ${JSON.stringify(got)}; ` +
                      `lines: ${this.dump()}`);
    return got;
  }
  async expectAll(list) { for (const l of list) await this.expect(l); }
  // Lines matching skip may come first; any other line before want fails.
  async expectPast(want, skip, ms) {
    for (;;) {
      const got = await this.line(`${JSON.stringify(String(want))} past ${skip}`, ms);
      if (matches(want, got)) return got;
      if (!skip.test(got))
        throw new Error(`${this.name}: expected ${JSON.stringify(String(want))}, got ${JSON.stringify(got)}; ` +
                        `lines: ${this.dump()}`);
    }
  }
  say(line) { this.proc.stdin.write(line + '\n'); }
  send(text) { this.proc.stdin.write(text); }
  // After quit: the server says goodbye and closes; nc exits once its
  // stdin is closed too (nc keeps reading the network until it ends).
  async leaves(goodbye) {
    await this.expect(goodbye);
    this.proc.stdin.end();
    const code = await deadline(this.exited, `${this.name}: nc to exit`);
    if (code !== 0) throw new Error(`${this.name}: nc exited with ${code}`);
    if (this.lines.length !== this.next || this.raw.length)
      throw new Error(`${this.name}: more after goodbye: ${JSON.stringify(this.lines.slice(this.next))}`);
    if (this.lines.join('').includes('\xff')) throw new Error('IAC byte shown');
  }
  // The connection dropped, as when a terminal is closed: nc killed.
  drop() { this.proc.kill('SIGKILL'); }
  close() {
    this.proc.stdin.end();
    if (this.exit === undefined) this.proc.kill('SIGTERM');
  }
}

module.exports = { Nc, matches };
