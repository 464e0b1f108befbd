// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
'use strict';
// A whole cnet-chat session through the real telnet client, typed into a
// tmux pane (send-keys) and read back from it (capture-pane), with a raw
// socket client on the other side. Two sessions: in line mode (telnet -E)
// the terminal edits the line; then in a second one `mode character` makes
// telnet negotiate (DO SGA, DO ECHO) and send every key as typed,
// backspaces included, which the server edits.
//
// Why -E in the first: inetutils telnet compares typed bytes with its
// escape character (^], 0x1D) ignoring the high bit, so a character with a
// 0x9D byte in its UTF-8 (话, 李) opens its telnet> prompt. The second
// session needs the escape and types only text free of 0x9D.
// Run as: node chat_session_telnet.test.js <cnet-chat binary>
const { execFileSync } = require('child_process');
const { Server, Client, run, deadline, HELP } = require('./lib/chat');

const POLL_MS = 30; // how often the pane is read while waiting for a line

class Pane {
  constructor(name) {
    this.name = name;
    this.socket = `cnet-chat-test-${process.pid}`;
    this.env = { ...process.env, LANG: 'C.UTF-8', TERM: process.env.TERM || 'xterm' };
    this.cursor = 0;     // pane lines before this one are checked
    this.typed = new Set();
    this.strict = true;  // between expected lines: only echoes of typing
  }
  tmux(...args) {
    return execFileSync('tmux', ['-u', '-L', this.socket, '-f', '/dev/null', ...args],
                        { env: this.env, encoding: 'utf8' });
  }
  start(command) {
    // remain-on-exit in the same tmux command: the pane stays readable
    // after telnet exits.
    this.tmux('new-session', '-d', '-s', this.name, '-x', '200', '-y', '50', command,
              ';', 'set-option', '-t', this.name, 'remain-on-exit', 'on');
  }
  type(text) {
    this.typed.add(text);
    this.tmux('send-keys', '-t', this.name, '-l', text);
  }
  key(...names) { this.tmux('send-keys', '-t', this.name, ...names); }
  line(text) { this.type(text); this.key('Enter'); }
  lines() {
    return this.tmux('capture-pane', '-p', '-J', '-S', '-', '-E', '-', '-t', this.name)
      .split('\n').map((l) => l.trimEnd());
  }
  dead() { return this.tmux('display-message', '-p', '-t', this.name, '#{pane_dead}').trim() === '1'; }
  // Waits for pred() to hold, reading the pane every POLL_MS.
  until(pred, what) {
    return deadline(new Promise((resolve, reject) => {
      const check = () => {
        let v;
        try { v = pred(); } catch (e) { return reject(e); }
        if (v !== undefined && v !== false) return resolve(v);
        setTimeout(check, POLL_MS);
      };
      check();
    }), () => `${what}; the pane:\n${this.lines().join('\n')}`);
  }
  // The next server line on the pane must be want. In strict mode the only
  // other lines allowed before it are the echo of what was typed; in
  // character mode telnet's own echo (^M, ^?) shares lines with the
  // server's, so the line need only end with want.
  expect(want) {
    return this.until(() => {
      const lines = this.lines();
      for (let i = this.cursor; i < lines.length; i++) {
        const l = lines[i];
        if (this.strict ? l === want : l.endsWith(want)) {
          this.cursor = i + 1;
          return true;
        }
        if (this.strict && l !== '' && !this.typed.has(l) && i < lines.length - 1)
          throw new Error(`unexpected line ${JSON.stringify(l)} before ${JSON.stringify(want)}; ` +
                          `the pane:\n${lines.join('\n')}`);
      }
      return false;
    }, `the pane to show ${JSON.stringify(want)}`);
  }
  async expectAll(list) { for (const l of list) await this.expect(l); }
  kill() { try { this.tmux('kill-server'); } catch (e) { /* already gone */ } }
}

run(async () => {
  const server = new Server(process.argv[2]);
  const port = await server.listening();
  const pane = new Pane('line');
  const pane2 = new Pane('char');
  try {
    // telnet never negotiates on a port of its own choosing, nor does the
    // server start to: line mode stays, with the terminal's editing.
    pane.start(`telnet -E 127.0.0.1 ${port}`);
    pane.strict = false;
    await pane.expect('Welcome to cnet-chat! 0 users online. Please enter your nickname:');
    pane.strict = true;
    pane.line('a:b');
    await pane.expectAll(["error: a nickname cannot contain ':'", 'Please enter your nickname:']);

    const bob = new Client(port, { name: 'bob' });
    await bob.join('bob', 1);
    pane.line('BOB');
    await pane.expectAll(['error: the nickname BOB is taken', 'Please enter your nickname:']);
    pane.type('张三x');
    pane.key('BSpace'); // the terminal's line editing
    pane.key('Enter');
    pane.typed.add('张三');
    await pane.expect('Hello 张三! 2 users online. Type help for the commands.');
    await bob.expect('* 张三 joined (2 users online)');

    pane.line('你好 bob');
    await bob.expect('张三: 你好 bob');
    bob.say('hi 张三');
    await pane.expect('bob: hi 张三');
    pane.line('c:bob:悄悄话');
    await bob.expect('[private] 张三: 悄悄话');
    await pane.expect('* private message sent to bob');
    pane.line('n:李四');
    await pane.expect('* 张三 is now known as 李四');
    await bob.expect('* 张三 is now known as 李四');
    pane.line('l');
    await pane.expect('* 2 users online: bob, 李四');
    pane.line('help');
    await pane.expectAll(HELP);
    pane.line('c:bob');
    await pane.expect('error: usage: c:nick:text');

    // The second session, character at a time: telnet asks DO SGA and DO
    // ECHO; the server agrees to SGA and refuses ECHO (telnet keeps
    // echoing locally).
    pane2.start('telnet');
    await pane2.until(() => pane2.lines().some((l) => l.startsWith('telnet>')), 'the telnet prompt');
    pane2.line('toggle options'); // show the negotiation
    pane2.line(`open 127.0.0.1 ${port}`);
    pane2.strict = false;
    await pane2.expect('Welcome to cnet-chat! 2 users online. Please enter your nickname:');
    pane2.strict = true;
    pane2.line('carol');
    await pane2.expect('Hello carol! 3 users online. Type help for the commands.');
    await pane.expect('* carol joined (3 users online)');
    await bob.expect('* carol joined (3 users online)');
    pane2.key('C-]');
    await pane2.until(() => pane2.lines().slice(pane2.cursor).some((l) => l.startsWith('telnet>')),
                      'the telnet> prompt');
    pane2.line('mode character');
    pane2.strict = false;
    await pane2.expect('RCVD WILL SUPPRESS GO AHEAD');
    await pane2.expect('RCVD WONT ECHO');
    pane2.type('helo');
    pane2.key('BSpace');
    pane2.type('lo wrold');
    pane2.key('BSpace', 'BSpace', 'BSpace', 'BSpace');
    pane2.type('orld');
    pane2.key('Enter');
    await bob.expect('carol: hello world');
    await pane.expect('carol: hello world');
    pane2.type('你好吗');
    pane2.key('BSpace');
    pane2.type('!');
    pane2.key('Enter');
    await bob.expect('carol: 你好!');
    await pane.expect('carol: 你好!');
    bob.say('收到');
    await pane2.expect('bob: 收到');
    await pane.expect('bob: 收到');
    pane2.type('byebye');
    pane2.key('Enter');
    await pane2.expect('* goodbye, carol!');
    await pane2.expect('Connection closed by foreign host.');
    await pane2.until(() => pane2.dead(), 'the second telnet to exit');
    await pane.expect('* carol left (2 users online)');
    await bob.expect('* carol left (2 users online)');

    // Back in the first: quit, and telnet sees the server close.
    pane.line('quit');
    await pane.expect('* goodbye, 李四!');
    await pane.expect('Connection closed by foreign host.');
    await pane.until(() => pane.dead(), 'telnet to exit');
    await bob.expect('* 李四 left (1 user online)');
    await bob.sync(); // nothing else reached the other side
    for (const p of [pane, pane2])
      if (p.lines().some((l) => /[\xff\ufffd]/.test(l))) throw new Error(`garbage on ${p.name}`);
    bob.destroy();
    await server.stop();
  } finally {
    pane.kill();
  }
});
