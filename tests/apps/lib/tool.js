// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
'use strict';
// What the cnet-echo and cnet-logger tests share: a tool run as a child
// process whose stdout and stderr can be waited on line by line, and a
// clean stop (SIGTERM, status 0, nothing from the sanitizers). Every wait
// has a deadline; nothing waits for a fixed time.
const { spawn } = require('child_process');
const { deadline } = require('./chat');

class Tool {
  constructor(bin, args) {
    this.bin = bin;
    this.proc = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.stdout = '';
    this.stderr = '';
    this.waiters = [];
    this.proc.stdout.setEncoding('utf8');
    this.proc.stdout.on('data', (d) => { this.stdout += d; this.notify(); });
    this.proc.stderr.setEncoding('utf8');
    this.proc.stderr.on('data', (d) => { this.stderr += d; this.notify(); });
    this.exited = new Promise((resolve) => this.proc.on('exit', (code, signal) => {
      this.exit = { code, signal };
      this.notify();
      resolve(this.exit);
    }));
  }
  notify() { for (const w of this.waiters.splice(0)) w(); }
  // Resolves with pred()'s value once it is truthy, re-checked on every
  // output of the tool.
  until(pred, what) {
    return deadline(new Promise((resolve, reject) => {
      const check = () => {
        const v = pred();
        if (v) return resolve(v);
        if (this.exit) return reject(new Error(`${this.bin} exited (${JSON.stringify(this.exit)}) ` +
                                               `waiting for ${what}; stderr:\n${this.stderr}`));
        this.waiters.push(check);
      };
      check();
    }), () => `${what}; stdout:\n${this.stdout}\nstderr:\n${this.stderr}`);
  }
  out(re) { return this.until(() => this.stdout.match(re), `stdout ${re}`); }
  err(re) { return this.until(() => this.stderr.match(re), `stderr ${re}`); }
  // Every match of a global re on stderr, once there are n of them.
  errCount(re, n) {
    return this.until(() => {
      const all = [...this.stderr.matchAll(re)];
      return all.length >= n ? all : null;
    }, `${n} stderr lines ${re}`);
  }
  async stop() {
    if (!this.exit) this.proc.kill('SIGTERM');
    const exit = await deadline(this.exited, `${this.bin} to exit`);
    if (exit.code !== 0)
      throw new Error(`${this.bin} exited with ${JSON.stringify(exit)}; stderr:\n${this.stderr}`);
    if (/Sanitizer|runtime error|leak/i.test(this.stderr))
      throw new Error(`sanitizer report:\n${this.stderr}`);
  }
}

// A case table: test('name', body) and main() running argv's case.
function cases() {
  const table = new Map();
  const test = (name, body) => table.set(name, body);
  const main = () => {
    const [bin, name] = process.argv.slice(2);
    const body = table.get(name);
    if (!bin || !body) {
      console.error(`usage: node ${process.argv[1]} <binary> <${[...table.keys()].join('|')}>`);
      process.exit(2);
    }
    body(bin).then(() => process.exit(0), (e) => {
      console.error(e && e.stack ? e.stack : e);
      process.exit(1);
    });
  };
  return { test, main };
}

module.exports = { Tool, cases, deadline };
