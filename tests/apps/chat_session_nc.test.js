// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
'use strict';
// A whole cnet-chat session through the real OpenBSD nc: two nc processes
// on pipes, typing lines (LF endings, as nc sends them) and reading what
// their terminal would show, line by line and in order.
// Run as: node chat_session_nc.test.js <cnet-chat binary>
const { spawn } = require('child_process');
const { Server, run, deadline, HELP } = require('./lib/chat');

class Nc {
  constructor(name, port) {
    this.name = name;
    this.proc = spawn('nc.openbsd', ['127.0.0.1', String(port)], { stdio: ['pipe', 'pipe', 'inherit'] });
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
  say(line) { this.proc.stdin.write(line + '\n'); }
  async expect(want) {
    await deadline(new Promise((resolve, reject) => {
      const check = () => {
        if (this.lines.length > this.next) return resolve();
        if (this.exit !== undefined) return reject(new Error(`${this.name}: nc exited`));
        this.waiters.push(check);
      };
      check();
    }), () => `${this.name}: ${JSON.stringify(want)}; lines: ${JSON.stringify(this.lines)}`);
    const got = this.lines[this.next++];
    if (got !== want)
      throw new Error(`${this.name}: expected ${JSON.stringify(want)}, got ${JSON.stringify(got)}; ` +
                      `lines: ${JSON.stringify(this.lines)}`);
  }
  async expectAll(list) { for (const l of list) await this.expect(l); }
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
}

run(async () => {
  const server = new Server(process.argv[2]);
  const port = await server.listening();
  const alice = new Nc('alice', port);
  await alice.expect('Welcome to cnet-chat! 0 users online. Please enter your nickname:');
  alice.say('bad name');
  await alice.expectAll(['error: a nickname cannot contain spaces', 'Please enter your nickname:']);
  alice.say('alice');
  await alice.expect('Hello alice! 1 user online. Type help for the commands.');

  const zhang = new Nc('zhang', port);
  await zhang.expect('Welcome to cnet-chat! 1 user online. Please enter your nickname:');
  zhang.say('ALICE');
  await zhang.expectAll(['error: the nickname ALICE is taken', 'Please enter your nickname:']);
  zhang.say('张三');
  await zhang.expect('Hello 张三! 2 users online. Type help for the commands.');
  await alice.expect('* 张三 joined (2 users online)');

  alice.say('hello 张三');
  await zhang.expect('alice: hello 张三');
  zhang.say('b:你好，alice！');
  await alice.expect('张三: 你好，alice！');
  alice.say('c:张三:私聊 private');
  await zhang.expect('[private] alice: 私聊 private');
  await alice.expect('* private message sent to 张三');
  alice.say('c:nobody');
  await alice.expect('error: usage: c:nick:text');
  zhang.say('n:李四');
  await zhang.expect('* 张三 is now known as 李四');
  await alice.expect('* 张三 is now known as 李四');
  alice.say('l');
  await alice.expect('* 2 users online: alice, 李四');
  zhang.say('help');
  await zhang.expectAll(HELP);
  zhang.say('byebye');
  await zhang.leaves('* goodbye, 李四!');
  await alice.expect('* 李四 left (1 user online)');
  alice.say('quit');
  await alice.leaves('* goodbye, alice!');
  await server.log(/127\.0\.0\.1:\d+ left: alice \(quit\)/);
  await server.stop();
});
