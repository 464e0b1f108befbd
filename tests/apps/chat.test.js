// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
'use strict';
// cnet-chat over raw sockets: every line each client receives is checked,
// in order. Run as: node chat.test.js <cnet-chat binary> <case>; CTest runs
// each case (each test('name', ...) below) in its own process.
const fs = require('fs');
const os = require('os');
const path = require('path');
const { Server, Client, users, HELP, testCases, UNPACED, WELCOME, PROMPT } = require('./lib/chat');

const { test, main } = testCases('chat.test.js');


// A server, the clients a test makes, and the checks at the end: every
// client is closed and the server exits cleanly on SIGTERM.
async function withServer(bin, args, body) {
  const server = new Server(bin, args);
  const port = await server.listening();
  const clients = [];
  const client = (name, opts = {}) => {
    const c = new Client(port, { name, ...opts });
    clients.push(c);
    return c;
  };
  const join = async (name, online, opts) => {
    const c = client(name, opts);
    await c.join(name, online);
    return c;
  };
  try {
    await body({ server, port, client, join });
  } finally {
    for (const c of clients) c.destroy();
  }
  await server.stop();
}

test('greeting_and_nickname_errors', (bin) => withServer(bin, [], async ({ server, client, join }) => {
  const alice = await join('alice', 1);
  const c = client('newcomer');
  await c.expect('Welcome to cnet-chat! 1 user online. Please enter your nickname:');
  const tries = [
    ['', 'error: a nickname has 1 to 32 characters'],
    ['x'.repeat(33), 'error: a nickname has 1 to 32 characters'],
    ['two words', 'error: a nickname cannot contain spaces'],
    ['a\u3000b', 'error: a nickname cannot contain spaces'],
    ['a:b', "error: a nickname cannot contain ':'"],
    ['ALICE', 'error: the nickname ALICE is taken'],
    ['Alice', 'error: the nickname Alice is taken'],
  ];
  for (const [nick, error] of tries) {
    c.say(nick);
    await c.expect(error);
    await c.expect(PROMPT);
  }
  c.send(Buffer.from([0x62, 0xC3, 0x28, 0x0D, 0x0A])); // invalid UTF-8
  await c.expect('error: a nickname must be UTF-8 text');
  await c.expect(PROMPT);
  // 32 characters, 96 bytes: the limit counts characters.
  const long = '长'.repeat(32);
  c.say(long);
  await c.expect(`Hello ${long}! 2 users online. Type help for the commands.`);
  await alice.expect(`* ${long} joined (2 users online)`);
  // Nobody saw the failed attempts.
  await alice.sync();
  await server.log(/127\.0\.0\.1:\d+ joined as alice \(1 online\)/);
}));

test('join_leave_counts', (bin) => withServer(bin, [], async ({ server, client, join }) => {
  const alice = await join('alice', 1);
  const bob = client('bob');
  await bob.expect('Welcome to cnet-chat! 1 user online. Please enter your nickname:');
  bob.say('bob');
  await bob.expect('Hello bob! 2 users online. Type help for the commands.');
  await alice.expect('* bob joined (2 users online)');
  const carol = await join('carol', 3);
  await alice.expect('* carol joined (3 users online)');
  await bob.expect('* carol joined (3 users online)');
  bob.socket.end(); // leaves without a word
  await alice.expect('* bob left (2 users online)');
  await carol.expect('* bob left (2 users online)');
  carol.destroy();
  await alice.expect('* carol left (1 user online)');
  await alice.sync();
  await server.log(/127\.0\.0\.1:\d+ joined as bob \(2 online\)/);
  await server.log(/127\.0\.0\.1:\d+ left: bob/);
  await server.log(/127\.0\.0\.1:\d+ left: carol/);
}));

test('broadcast', (bin) => withServer(bin, [], async ({ join }) => {
  const alice = await join('alice', 1);
  const bob = await join('bob', 2);
  await alice.expect('* bob joined (2 users online)');
  const carol = await join('carol', 3);
  await alice.expect('* carol joined (3 users online)');
  await bob.expect('* carol joined (3 users online)');
  alice.say('hello everyone');
  alice.say('b:a broadcast');
  alice.say('B:upper case works too');
  alice.say('  leading blanks stay, trailing go   ');
  for (const c of [bob, carol]) {
    await c.expect('alice: hello everyone');
    await c.expect('alice: a broadcast');
    await c.expect('alice: upper case works too');
    await c.expect('alice:   leading blanks stay, trailing go');
  }
  alice.say('b:');
  await alice.expect('error: usage: b:text');
  alice.say('');       // an empty line says nothing
  alice.say('   ');
  await alice.sync();  // the sender never hears itself
  await bob.sync();
  await carol.sync();
}));

test('private_message', (bin) => withServer(bin, [], async ({ join }) => {
  const alice = await join('alice', 1);
  const bob = await join('bob', 2);
  await alice.expect('* bob joined (2 users online)');
  const carol = await join('carol', 3);
  await alice.expect('* carol joined (3 users online)');
  await bob.expect('* carol joined (3 users online)');
  alice.say('c:bob:meet me at noon');
  await bob.expect('[private] alice: meet me at noon');
  await alice.expect('* private message sent to bob');
  alice.say('c:BOB:names ignore case: and colons stay in the text');
  await bob.expect('[private] alice: names ignore case: and colons stay in the text');
  await alice.expect('* private message sent to bob');
  alice.say('c:dave:anyone?');
  await alice.expect('error: no user called dave');
  alice.say('c:bob');
  await alice.expect('error: usage: c:nick:text');
  alice.say('c:bob:');
  await alice.expect('error: usage: c:nick:text');
  alice.say('c::text');
  await alice.expect('error: usage: c:nick:text');
  alice.say('c:alice:me');
  await alice.expect('error: that is you');
  await carol.sync(); // carol saw none of it
  await bob.sync();
}));

test('rename', (bin) => withServer(bin, [], async ({ join }) => {
  const alice = await join('alice', 1);
  const bob = await join('bob', 2);
  await alice.expect('* bob joined (2 users online)');
  bob.say('n:Robert');
  await bob.expect('* bob is now known as Robert');
  await alice.expect('* bob is now known as Robert');
  bob.say('n:alice');
  await bob.expect('error: the nickname alice is taken');
  bob.say('n:Robert');
  await bob.expect('error: you are already called Robert');
  bob.say('n:bad name');
  await bob.expect('error: a nickname cannot contain spaces');
  bob.say('n:');
  await bob.expect('error: a nickname has 1 to 32 characters');
  bob.say('n:robert'); // only the case changes: allowed
  await bob.expect('* Robert is now known as robert');
  await alice.expect('* Robert is now known as robert');
  alice.say('c:bob:old name?');
  await alice.expect('error: no user called bob');
  alice.say('c:robert:new name');
  await bob.expect('[private] alice: new name');
  await alice.expect('* private message sent to robert');
  alice.say('n:bob'); // the old name is free again
  await alice.expect('* alice is now known as bob');
  await bob.expect('* alice is now known as bob');
  bob.say('l');
  await bob.expect('* 2 users online: bob, robert');
}));

test('list_and_help', (bin) => withServer(bin, [], async ({ client, join }) => {
  const alice = await join('alice', 1);
  const half = client('half');
  await half.expect(WELCOME); // connected, no nickname: not listed
  const bob = await join('bob', 2);
  await alice.expect('* bob joined (2 users online)');
  alice.say('l');
  await alice.expect('* 2 users online: alice, bob');
  bob.say('L ');
  await bob.expect('* 2 users online: alice, bob');
  alice.say('help');
  await alice.expectAll(HELP);
  await bob.sync();
}));

test('quit_and_byebye', (bin) => withServer(bin, [], async ({ server, client, join }) => {
  const alice = await join('alice', 1);
  const bob = await join('bob', 2);
  await alice.expect('* bob joined (2 users online)');
  const carol = await join('carol', 3);
  await alice.expect('* carol joined (3 users online)');
  await bob.expect('* carol joined (3 users online)');
  bob.say('quit');
  await bob.expect('* goodbye, bob!');
  await bob.closedByServer();
  await alice.expect('* bob left (2 users online)');
  await carol.expect('* bob left (2 users online)');
  carol.say('byebye');
  await carol.expect('* goodbye, carol!');
  await carol.closedByServer();
  await alice.expect('* carol left (1 user online)');
  // At the nickname prompt too.
  const shy = client('shy');
  await shy.expect(WELCOME);
  shy.say('quit');
  await shy.expect('* goodbye!');
  await shy.closedByServer();
  await alice.sync();
  await server.log(/127\.0\.0\.1:\d+ left: bob \(quit\)/);
}));

test('chinese', (bin) => withServer(bin, [], async ({ join }) => {
  const zhang = await join('张三', 1);
  const li = await join('李四', 2);
  await zhang.expect('* 李四 joined (2 users online)');
  zhang.say('你好，世界！🌏');
  await li.expect('张三: 你好，世界！🌏');
  li.say('c:张三:悄悄话');
  await zhang.expect('[private] 李四: 悄悄话');
  await li.expect('* private message sent to 张三');
  li.say('n:王五');
  await li.expect('* 李四 is now known as 王五');
  await zhang.expect('* 李四 is now known as 王五');
  zhang.say('l');
  await zhang.expect('* 2 users online: 张三, 王五');
  // Bytes, not only characters, are intact.
  zhang.say('b:中文 text mixed');
  const got = await li.lineBuf();
  if (!got.equals(Buffer.from('张三: 中文 text mixed')))
    throw new Error(`bytes changed: ${got.toString('hex')}`);
}));

// The seed's appendix: what a telnet client sends first. Each request gets
// exactly RFC 854's answer; none of it is ever text.
const SEED_IAC = Buffer.from('FFFB1FFFFB20FFFB18FFFB27FFFD01FFFB03FFFD03', 'hex');
const SEED_ANSWER = Buffer.from('FFFE1FFFFE20FFFE18FFFE27FFFC01FFFD03FFFB03', 'hex');

test('telnet_seed_negotiation', (bin) => withServer(bin, [], async ({ join, client }) => {
  const bob = await join('bob', 1); // nc-like: fails on any 0xFF
  const alice = client('alice', { telnet: true });
  await alice.expect(WELCOME);
  alice.send(SEED_IAC);
  alice.say('alice');
  await alice.expect('Hello alice! 2 users online. Type help for the commands.');
  await bob.expect('* alice joined (2 users online)');
  const answer = Buffer.from(alice.iac);
  if (!answer.equals(SEED_ANSWER))
    throw new Error(`answer ${answer.toString('hex')}, want ${SEED_ANSWER.toString('hex')}`);
  // Asked again: options already on are not acknowledged again (RFC 854's
  // rule against loops); refused ones are refused again.
  alice.send(Buffer.from('FFFB03FFFD03FFFB1F', 'hex'));
  // A subnegotiation (window size) and a NOP in the middle of a line.
  alice.send(Buffer.concat([Buffer.from('hel'), Buffer.from('FFFA1F00500018FFF0', 'hex'),
                            Buffer.from('lo'), Buffer.from('FFF1', 'hex'), Buffer.from(' bob\r\n')]));
  await bob.expect('alice: hello bob');
  await alice.sync();
  const again = Buffer.from(alice.iac.slice(SEED_ANSWER.length));
  if (!again.equals(Buffer.from('FFFE1F', 'hex')))
    throw new Error(`second answer ${again.toString('hex')}, want fffe1f`);
  // WONT for an option that was on: acknowledged with DONT, once.
  alice.send(Buffer.from('FFFC03FFFC03', 'hex'));
  await alice.sync();
  const off = Buffer.from(alice.iac.slice(SEED_ANSWER.length + 3));
  if (!off.equals(Buffer.from('FFFE03', 'hex')))
    throw new Error(`answer to WONT SGA ${off.toString('hex')}, want fffe03`);
  await bob.sync(); // bob got no IAC byte and no garbage line
}));

test('telnet_ff_bytes', (bin) => withServer(bin, [], async ({ join, client }) => {
  // 0xFF in the text (IAC IAC from a telnet client) is not UTF-8: it
  // reaches nc and telnet clients alike as U+FFFD, never as a raw 0xFF
  // that a telnet client which never negotiated would take for IAC.
  const nc = await join('nc', 1);
  const tel = client('tel', { telnet: true });
  await tel.expect(WELCOME);
  tel.send(Buffer.from('FFFD03', 'hex')); // negotiates: now a telnet client
  tel.say('tel');
  await tel.expect('Hello tel! 2 users online. Type help for the commands.');
  await nc.expect('* tel joined (2 users online)');
  const other = client('other', { telnet: true });
  await other.expect(WELCOME);
  other.send(Buffer.from('FFFB03', 'hex'));
  other.say('other');
  await other.expect('Hello other! 3 users online. Type help for the commands.');
  await tel.expect('* other joined (3 users online)');
  await nc.expect('* other joined (3 users online)');
  const otherRaw = [];
  other.socket.on('data', (d) => otherRaw.push(d));
  tel.send(Buffer.from('FFFB00', 'hex')); // and BINARY, for 8-bit data
  tel.send(Buffer.from('x'));
  tel.send(Buffer.from('FFFF', 'hex'));    // IAC IAC: the data byte 255
  tel.send(Buffer.from('y\r\n'));
  const line = Buffer.from('tel: x\uFFFDy');
  const got = await nc.lineBuf();
  if (!got.equals(line)) throw new Error(`nc got ${got.toString('hex')}`);
  const got2 = await other.lineBuf();
  if (!got2.equals(line)) throw new Error(`telnet client got ${got2.toString('hex')}`);
  const wantRaw = Buffer.from('tel: x\uFFFDy\r\n');
  if (!Buffer.concat(otherRaw).equals(wantRaw))
    throw new Error(`telnet client got raw ${Buffer.concat(otherRaw).toString('hex')}`);
  await tel.sync();
  if (!Buffer.from(tel.iac).equals(Buffer.from('FFFB03FFFD00', 'hex')))
    throw new Error(`tel's answers ${Buffer.from(tel.iac).toString('hex')}`);
}));

test('line_endings', (bin) => withServer(bin, [], async ({ join }) => {
  const alice = await join('alice', 1);
  const bob = await join('bob', 2);
  await alice.expect('* bob joined (2 users online)');
  // One chunk with every ending, then the same one byte at a time.
  const mixed = Buffer.concat([Buffer.from('crlf\r\nlf\ncrnul\r\0'), Buffer.from('last\r\n')]);
  alice.send(mixed);
  for (const l of ['crlf', 'lf', 'crnul', 'last']) await bob.expect(`alice: ${l}`);
  for (const b of mixed) {
    alice.send(Buffer.from([b]));
    await new Promise(setImmediate);
  }
  for (const l of ['crlf', 'lf', 'crnul', 'last']) await bob.expect(`alice: ${l}`);
  await bob.sync();
}));

test('char_at_a_time_backspace', (bin) => withServer(bin, [], async ({ client, join }) => {
  const bob = await join('bob', 1);
  // The nickname typed one key at a time, with a typo fixed by backspace.
  const alice = client('alice');
  await alice.expect(WELCOME);
  const keys = async (bytes) => {
    for (const b of bytes) {
      alice.send(Buffer.from([b]));
      await new Promise(setImmediate);
    }
  };
  await keys(Buffer.from('alx\bice\r\n'));
  await alice.expect('Hello alice! 2 users online. Type help for the commands.');
  await bob.expect('* alice joined (2 users online)');
  // BS (^H) and DEL both erase one character; one erase removes a whole
  // Chinese character (three bytes); ^U erases the line; arrow keys
  // (escape sequences) leave nothing behind.
  await keys(Buffer.from('helo\blo wrold\x7f\x7f\x7f\x7forld\r\0'));
  await bob.expect('alice: hello world');
  await keys(Buffer.from('你好吗\x7f!\n'));
  await bob.expect('alice: 你好!');
  await keys(Buffer.from('garbage\x15clean\x1b[D\x1bOA\r\n'));
  await bob.expect('alice: clean');
  await keys(Buffer.from('\b\b\bstill fine\r\n'));
  await bob.expect('alice: still fine');
  await bob.sync();
}));

// No byte rate: the megabyte below is a byte flood under the default one.
test('overlong_line', (bin) => withServer(bin, ['--rate-bytes', '0'], async ({ join }) => {
  const alice = await join('alice', 1);
  const bob = await join('bob', 2);
  await alice.expect('* bob joined (2 users online)');
  const max = 'm'.repeat(4096 - 'b:'.length);
  alice.say(`b:${max}`); // exactly 4096 bytes: fine
  await bob.expect(`alice: ${max}`);
  alice.say('x'.repeat(4097));
  await alice.expect('error: line too long (over 4096 bytes), ignored');
  // A megabyte without a line end: one error, and the connection stays.
  alice.send('y'.repeat(1 << 20));
  alice.say(' the end of the huge line');
  await alice.expect('error: line too long (over 4096 bytes), ignored');
  alice.say('still here');
  await bob.expect('alice: still here');
  await alice.sync();
  await bob.sync();
}));

// A client that never reads: its queue passes --max-queue, it is dropped,
// the others are told, and two readers get every line in order meanwhile.
// The talker is not paced (--rate-*), so that the queue fills quickly.
test('slow_client_dropped', (bin) => withServer(bin, ['--max-queue', '256K', ...UNPACED], async ({ server, client, join }) => {
  const alice = await join('alice', 1);
  const bob = await join('bob', 2);
  await alice.expect('* bob joined (2 users online)');
  const carol = await join('carol', 3);
  await alice.expect('* carol joined (3 users online)');
  await bob.expect('* carol joined (3 users online)');
  const slow = client('slow');
  await slow.expect(WELCOME);
  slow.say('slow');
  await slow.expect('Hello slow! 4 users online. Type help for the commands.');
  slow.socket.pause(); // from now on it reads nothing
  for (const c of [alice, bob, carol]) await c.expect('* slow joined (4 users online)');

  const payload = 'p'.repeat(4000);
  const dropped = '* slow was dropped: not reading (3 users online)';
  const dropSeen = new Map(); // reader -> the number of the line before it
  let sent = 0;
  // Batches of 8 lines (32 KB); each batch is waited for at bob and carol,
  // so the readers are never slow themselves. Goes on until both saw the
  // drop, then 100 lines more.
  while (dropSeen.size < 2 || sent < Math.max(...dropSeen.values()) + 100) {
    if (sent > 50000) throw new Error('never dropped');
    for (let i = 0; i < 8; i++) alice.say(`${sent + i} ${payload}`);
    for (const c of [bob, carol]) {
      for (let i = 0; i < 8; i++) {
        let l = await c.line();
        if (l === dropped) {
          if (dropSeen.has(c)) throw new Error(`${c.name}: told twice`);
          dropSeen.set(c, sent + i);
          l = await c.line();
        }
        if (l !== `alice: ${sent + i} ${payload}`)
          throw new Error(`${c.name}: line ${sent + i} is ${JSON.stringify(l.slice(0, 40))}`);
      }
    }
    sent += 8;
  }
  await alice.expect(dropped);
  await server.log(/127\.0\.0\.1:\d+ dropped slow: more than 262144 bytes queued/);
  await alice.sync();
  await bob.sync();
  await carol.sync();
}));

// The cap is about clients that stop reading: a burst of lines sent in one
// write, which the server handles in one go, reaches a reader in full even
// when it is many times --max-queue (a talker not paced by --rate-*).
test('burst_beyond_max_queue_reaches_a_reader', (bin) => withServer(bin, ['--max-queue', '1K', ...UNPACED], async ({ join }) => {
  const alice = await join('alice', 1);
  const bob = await join('bob', 2);
  await alice.expect('* bob joined (2 users online)');
  const lines = [];
  for (let i = 0; i < 64; i++) lines.push(`${i} ${'b'.repeat(100)}`);
  alice.socket.write(lines.map((l) => l + '\r\n').join(''));
  for (const l of lines) await bob.expect(`alice: ${l}`);
  await bob.sync();
  await alice.sync();
}));

// The same with lines longer than half of --max-queue after short ones:
// what the server gathered for a reader and handed to its socket this turn
// (not yet offered to the kernel) is not a backlog, so a reader that keeps
// up is never dropped for it.
test('long_lines_after_short_reach_a_reader', (bin) => withServer(bin, ['--max-queue', '1K', ...UNPACED], async ({ join }) => {
  const alice = await join('alice', 1);
  const bob = await join('bob', 2);
  await alice.expect('* bob joined (2 users online)');
  const lines = [];
  for (let i = 0; i < 8; i++) {
    for (let j = 0; j < 20; j++) lines.push(`${i} short ${j}`);
    lines.push(`${i} ${'l'.repeat(700)}`);
  }
  alice.socket.write(lines.map((l) => l + '\r\n').join(''));
  for (const l of lines) await bob.expect(`alice: ${l}`);
  await bob.sync();
  await alice.sync();
}));

// Connections count, named or not; but a seat held by one that never gave
// a nickname goes to a newcomer (the oldest such connection makes way), so
// that silent connections never keep real users out. Once every seat is a
// user's, a newcomer is refused.
test('max_users', (bin) => withServer(bin, ['--max-users', '3'], async ({ server, client, join }) => {
  const alice = await join('alice', 1);
  const bob = await join('bob', 2);
  await alice.expect('* bob joined (2 users online)');
  const pending = client('pending');
  await pending.expect(WELCOME);
  const carol = client('carol'); // the room is full: pending makes way
  await pending.expect('Sorry, the room is full (3 users). Try again later.');
  await pending.closedByServer();
  await server.log(/127\.0\.0\.1:\d+ made way: the room is full \(3 users\), waited longest without a nickname/);
  await carol.join('carol', 3);
  await alice.expect('* carol joined (3 users online)');
  await bob.expect('* carol joined (3 users online)');
  const fourth = client('fourth'); // three users: no seat to take
  await fourth.expect('Sorry, the room is full (3 users). Try again later.');
  await fourth.closedByServer();
  await server.log(/127\.0\.0\.1:\d+ refused: the room is full \(3 users\)/);
  bob.say('quit');
  await bob.expect('* goodbye, bob!');
  await alice.expect('* bob left (2 users online)'); // the server saw it go
  await carol.expect('* bob left (2 users online)');
  const dave = await join('dave', 3);
  await alice.expect('* dave joined (3 users online)');
  await carol.expect('* dave joined (3 users online)');
}));

test('last_line_without_end', (bin) => withServer(bin, [], async ({ client, join }) => {
  const alice = await join('alice', 1);
  const bob = client('bob');
  await bob.expect(WELCOME);
  bob.say('bob');
  await bob.expect('Hello bob! 2 users online. Type help for the commands.');
  await alice.expect('* bob joined (2 users online)');
  bob.socket.end('see you'); // as `printf 'see you' | nc -N` does
  await alice.expect('bob: see you');
  await alice.expect('* bob left (1 user online)');
}));

test('shutdown_on_sigterm', (bin) => withServer(bin, [], async ({ server, join }) => {
  const alice = await join('alice', 1);
  const bob = await join('bob', 2);
  await alice.expect('* bob joined (2 users online)');
  server.proc.kill('SIGTERM');
  for (const c of [alice, bob]) {
    await c.expect('* the server is shutting down');
    await c.closedByServer();
  }
  await server.log(/shutting down: 2 connections, 2 users online/);
}));

// Many clients at once, each saying lines while others reset their
// connections in the middle: every survivor gets every survivor's lines,
// each sender's in order, and the server logs every reset as a leave. All
// of them come from 127.0.0.1: no --max-per-ip.
test('many_clients_and_resets', (bin) => withServer(bin, ['--max-per-ip', '0'], async ({ server, client }) => {
  const N = 150, LINES = 20;
  const all = [];
  for (let i = 0; i < N; i++) {
    const c = client(`u${i}`);
    all.push(c);
    await c.expect(WELCOME);
    c.say(`u${i}`);
    await c.expect(new RegExp(`^Hello u${i}! ${i + 1} users? online\\.`));
  }
  const quitters = all.filter((_, i) => i % 3 === 2);
  const stayers = all.filter((_, i) => i % 3 !== 2);
  // Everyone talks; the quitters reset after their first line.
  for (let k = 0; k < LINES; k++) {
    for (const c of stayers) c.say(`${c.name} ${k}`);
    if (k === 0) for (const c of quitters) { c.say(`${c.name} bye`); c.socket.resetAndDestroy(); }
  }
  for (const c of stayers) {
    const next = new Map(stayers.filter((o) => o !== c).map((o) => [o.name, 0]));
    let left = 0;
    while ([...next.values()].some((v) => v < LINES) || left < quitters.length) {
      const l = await c.line();
      let m;
      if ((m = /^(u\d+): \1 (\d+)$/.exec(l))) {
        if (Number(m[2]) !== next.get(m[1]))
          throw new Error(`${c.name}: ${m[1]}'s line ${m[2]}, want ${next.get(m[1])}`);
        next.set(m[1], next.get(m[1]) + 1);
      } else if (/^\* u\d+ left \(\d+ users online\)$/.test(l)) {
        left++;
      } else if (!/^\* u\d+ joined |^u\d+: u\d+ bye$/.test(l)) {
        throw new Error(`${c.name}: unexpected ${JSON.stringify(l)}`);
      }
    }
  }
  await stayers[0].sync();
  await server.until(() => (server.stderr.match(/ left: u\d+/g) || []).length === quitters.length,
                     'every reset logged');
}));

test('transcript_log', (bin) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cnet-chat-'));
  const file = path.join(dir, 'room.log');
  return withServer(bin, ['--log', file], async ({ server, join }) => {
    const alice = await join('alice', 1);
    const bob = await join('bob', 2);
    await alice.expect('* bob joined (2 users online)');
    bob.say('hi alice');
    await alice.expect('bob: hi alice');
    bob.say('c:alice:secret');
    await alice.expect('[private] bob: secret');
    bob.say('n:robert');
    await alice.expect('* bob is now known as robert');
    server.proc.kill('SIGTERM');
    await server.exited;
  }).then(() => {
    const lines = fs.readFileSync(file, 'utf8').trim().split('\n')
      .map((l) => l.replace(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d /, ''));
    const want = ['* alice joined (1 user online)', '* bob joined (2 users online)', 'bob: hi alice',
                  '* bob is now known as robert', '* the server is shutting down'];
    if (JSON.stringify(lines) !== JSON.stringify(want))
      throw new Error(`transcript: ${JSON.stringify(lines)}`);
    fs.rmSync(dir, { recursive: true });
  });
});

// ---- A hostile room -------------------------------------------------------

const SLOW_DOWN = /^\* slow down: you are sending more than .* a second; the rest waits, and over \d+ bytes waiting you are disconnected$/;
const FLOODED = 'error: you sent too much too fast; goodbye';

// Reads c's lines up to `want`, past the joins of others.
async function pastJoins(c, want) {
  for (;;) {
    const l = await c.line();
    if (l === want) return;
    if (!/^\* .* joined \(\d+ users? online\)$/.test(l))
      throw new Error(`${c.name}: ${JSON.stringify(l.slice(0, 60))} before ${want}`);
  }
}

// Reads c's lines up to `end`: they must be `${prefix}0`, `${prefix}1`, ...
// in order; returns how many there were.
async function countUntil(c, prefix, end) {
  for (let n = 0; ; n++) {
    const l = await c.line();
    if (l === end) return n;
    if (l !== `${prefix}${n}`)
      throw new Error(`${c.name}: line ${n} is ${JSON.stringify(l.slice(0, 60))}, want ${prefix}${n}`);
  }
}

// Short lines of `n: ` numbers from `from`, as near to `bytes` as they fit.
function numbered(from, bytes) {
  let s = '';
  let n = from;
  for (;;) {
    const l = `${n}\n`;
    if (s.length + l.length > bytes) return { text: s, next: n };
    s += l;
    n++;
  }
}

// The talker pays for its flood, not the readers: a client sending 2 x 64
// KiB of short lines gets its burst through, is told to slow down, and is
// dropped once more than --max-input waits; the readers get its lines in
// order up to the drop notice and stay.
test('flood_warned_then_dropped', (bin) => withServer(bin, ['--burst-lines', '5', '--rate-lines', '2'], async ({ server, join }) => {
  const bob = await join('bob', 1);
  const carol = await join('carol', 2);
  await bob.expect('* carol joined (2 users online)');
  const alice = await join('alice', 3);
  for (const c of [bob, carol]) await c.expect('* alice joined (3 users online)');
  const a = numbered(0, 64 << 10);
  const b = numbered(a.next, 64 << 10);
  const t0 = Date.now();
  alice.send(a.text);
  alice.send(b.text);
  await alice.expect(SLOW_DOWN);
  await alice.expect(FLOODED);
  await alice.closedByServer();
  const seconds = (Date.now() - t0) / 1000;
  for (const c of [bob, carol]) {
    const n = await countUntil(c, 'alice: ', '* alice was dropped: flooding (2 users online)');
    // Four after the nickname (a burst of 5), then 2 a second.
    if (n < 4 || n > 5 + 2 * seconds) throw new Error(`${c.name} got ${n} of alice's lines in ${seconds} s`);
  }
  await bob.sync();
  await carol.sync();
  await server.log(/127\.0\.0\.1:\d+ dropped alice: flooding, over 65536 bytes waiting/);
}));

// --burst-lines lines at once all go at once, with no warning; the next
// one waits for --rate-lines and its sender is told to slow down.
test('rate_lines_at_the_bound', (bin) => withServer(bin, ['--burst-lines', '5', '--rate-lines', '0.5'], async ({ client, join }) => {
  const bob = await join('bob', 1);
  const alice = client('alice');
  await alice.expect(WELCOME);
  alice.send('alice\r\none\r\ntwo\r\nthree\r\nfour\r\n'); // five lines: the burst
  await alice.expect('Hello alice! 2 users online. Type help for the commands.');
  await bob.expect('* alice joined (2 users online)');
  for (const l of ['one', 'two', 'three', 'four']) await bob.expect(`alice: ${l}`);
  const t0 = Date.now();
  alice.say('five');
  await bob.expect('alice: five');
  const waited = Date.now() - t0;
  await alice.expect(SLOW_DOWN);
  // A token every 2 s: 'five' waited for one, and the warning is about it.
  if (waited < 1000) throw new Error(`the sixth line came after ${waited} ms`);
  if (alice.stamps[alice.next - 1] < t0) throw new Error('warned before the burst was over');
  await bob.sync();
}));

// The same for bytes: --burst-bytes bytes at once go at once; more wait.
const BYTES_BOUND = ['--burst-bytes', '100', '--rate-bytes', '10', '--rate-lines', '0'];
test('rate_bytes_at_the_bound', (bin) => withServer(bin, BYTES_BOUND, async ({ client, join }) => {
  const bob = await join('bob', 1);
  const alice = client('alice');
  await alice.expect(WELCOME);
  const x = 'x'.repeat(100 - 'alice\r\n'.length - 'b:\r\n'.length);
  alice.send(`alice\r\nb:${x}\r\n`); // 100 bytes: the burst
  await alice.expect('Hello alice! 2 users online. Type help for the commands.');
  await bob.expect('* alice joined (2 users online)');
  await bob.expect(`alice: ${x}`);
  const t0 = Date.now();
  alice.say('b:y'); // 5 bytes: half a second at 10 bytes a second
  await bob.expect('alice: y');
  const waited = Date.now() - t0;
  await alice.expect(SLOW_DOWN);
  if (waited < 250) throw new Error(`the 5 bytes after the burst came after ${waited} ms`);
  if (alice.stamps[alice.next - 1] < t0) throw new Error('warned before the burst was over');
  await bob.sync();
}));

// Exactly --max-input bytes waiting is allowed: every line is acted on in
// turn. The nickname takes the one token (--burst-lines 1), so all that
// follows it in the same write waits.
const INPUT_AT = ['--burst-lines', '1', '--rate-lines', '50', '--max-input', '100'];
test('max_input_at_the_bound', (bin) => withServer(bin, INPUT_AT, async ({ client, join }) => {
  const bob = await join('bob', 1);
  const alice = client('alice');
  await alice.expect(WELCOME);
  const lines = [];
  for (let i = 0; i < 20; i++) lines.push(String(i).padStart(3, '0'));
  const waiting = lines.map((l) => `${l}\r\n`).join('');
  if (waiting.length !== 100) throw new Error('test bug');
  alice.send(`alice\r\n${waiting}`);
  await alice.expect('Hello alice! 2 users online. Type help for the commands.');
  await alice.expect(SLOW_DOWN);
  await bob.expect('* alice joined (2 users online)');
  for (const l of lines) await bob.expect(`alice: ${l}`);
  await alice.sync();
  await bob.sync();
}));

// One byte more than --max-input waiting: dropped as flooding.
const INPUT_OVER = ['--burst-lines', '1', '--rate-lines', '1', '--max-input', '99'];
test('max_input_over_the_bound', (bin) => withServer(bin, INPUT_OVER, async ({ server, client, join }) => {
  const bob = await join('bob', 1);
  const alice = client('alice');
  await alice.expect(WELCOME);
  let waiting = '';
  for (let i = 0; i < 20; i++) waiting += `${String(i).padStart(3, '0')}\r\n`;
  alice.send(`alice\r\n${waiting}`);
  await alice.expect('Hello alice! 2 users online. Type help for the commands.');
  await alice.expect(SLOW_DOWN);
  await alice.expect(FLOODED);
  await alice.closedByServer();
  await bob.expect('* alice joined (2 users online)');
  await bob.expect('* alice was dropped: flooding (1 user online)');
  await server.log(/dropped alice: flooding, over 99 bytes waiting/);
}));

// A client's own replies count too, and are paced rather than punished: a
// client asking for the list thousands of times in one go while reading
// nothing is read no further while its answers wait, stays connected, and
// gets every answer once it reads. The server's memory meanwhile grows by
// far less than the answers (about 20 MB).
test('own_replies_pause_its_input', (bin) => withServer(bin, [...UNPACED, '--max-per-ip', '0'], async ({ server, join }) => {
  const users = [];
  for (let i = 0; i < 30; i++) users.push(await join(`${'u'.repeat(28)}${String(i).padStart(4, '0')}`, i + 1));
  const alice = await join('alice', 31);
  for (const u of users) await pastJoins(u, '* alice joined (31 users online)');
  alice.say('l');
  const listLine = await alice.line();
  const before = server.rss().now;
  alice.socket.pause();
  const N = 20000;
  alice.send('l\n'.repeat(N));
  // The others go on meanwhile.
  const still = `${users[0].name}: still here`;
  users[0].say('still here');
  for (const u of users.slice(1)) await u.expect(still);
  const grown = server.rss().peak - before;
  alice.socket.resume();
  let got = 0;
  for (;;) {
    const l = await alice.line();
    if (l === listLine) got++;
    else if (l !== still) throw new Error(`alice got ${JSON.stringify(l.slice(0, 60))}`);
    if (got === N) break;
  }
  await alice.sync();
  console.log(`own_replies_pause_its_input: ${N} answers of ${listLine.length} bytes, peak RSS grew ${grown} KiB`);
  if (grown > 8 << 10) throw new Error(`RSS grew by ${grown} KiB`);
}));

// Memory has a bound: max-users x (max-queue + max-input + 16 KiB) plus a
// constant (here: what the server holds once ICU is loaded, measured after
// the first join). 200 users with long nicknames; attackers each send 64
// KiB of `l` and read nothing (each answer is 18 KiB). Paced (the
// defaults), two are throttled and two that send twice as much are dropped
// as flooders; unpaced, every attacker is paused by its own answers. The
// peak RSS stays under the bound either way, and no reader is dropped.
async function memoryBound(bin, paced) {
  const room = ['--max-users', '210', '--max-queue', '64K', '--max-input', '64K', '--max-per-ip', '0'];
  const server = new Server(bin, paced ? room : [...room, ...UNPACED]);
  const port = await server.listening();
  const all = [];
  try {
    const nick = (i) => `${'长'.repeat(28)}${String(i).padStart(4, '0')}`;
    for (let i = 0; i < 200; i++) {
      const c = new Client(port, { name: `u${i}` });
      all.push(c);
      await c.join(nick(i), i + 1);
    }
    const base = server.rss().now;
    const bound = base + 210 * (64 + 64 + 16);
    const attackers = all.slice(196);
    const readers = all.slice(0, 196);
    const flood = 'l\n'.repeat(32768);
    for (const a of attackers) a.socket.pause();
    for (const a of attackers.slice(0, 2)) a.send(flood);
    if (paced) {
      for (const a of attackers.slice(2)) { a.send(flood); a.send(flood); }
      // Every reader hears of both flooders, in whichever order.
      const dropped = new RegExp(`^\\* (${nick(198)}|${nick(199)}) was dropped: flooding \\(19[89] users online\\)$`);
      for (const r of readers) {
        const seen = new Set();
        while (seen.size < 2) {
          const l = await r.line();
          const m = dropped.exec(l);
          if (m) seen.add(m[1]);
          else if (!/^\* .* joined \(\d+ users online\)$/.test(l)) throw new Error(`${r.name}: ${l.slice(0, 80)}`);
        }
      }
    } else {
      for (const a of attackers.slice(2)) a.send(flood);
    }
    // The readers talk meanwhile: every one hears the first.
    readers[0].say('and yet it moves');
    for (const r of readers.slice(1)) await pastJoins(r, `${nick(0)}: and yet it moves`);
    for (const r of readers.slice(1, 11)) await r.sync();
    const { peak } = server.rss();
    console.log(`memory_bound (${paced ? 'paced' : 'unpaced'}): base ${base} KiB, peak ${peak} KiB, bound ${bound} KiB`);
    if (peak > bound) throw new Error(`peak RSS ${peak} KiB over the bound ${bound} KiB`);
    // Attackers that read nothing may be dropped as not reading; no reader.
    for (const m of server.stderr.matchAll(/ dropped (\S+): more than/g)) {
      if (!attackers.some((a) => nick(Number(a.name.slice(1))) === m[1]))
        throw new Error(`a reader was dropped: ${m[0]}`);
    }
  } finally {
    for (const c of all) c.destroy();
  }
  await server.stop();
}

test('memory_bound_paced', (bin) => memoryBound(bin, true));
test('memory_bound_unpaced', (bin) => memoryBound(bin, false));

// A paste of 2 000 lines in one go reaches every reader whole and in order,
// with nothing written after it to push it out.
test('paste_2000_lines', (bin) => withServer(bin, UNPACED, async ({ join }) => {
  const bob = await join('bob', 1);
  const carol = await join('carol', 2);
  await bob.expect('* carol joined (2 users online)');
  const alice = await join('alice', 3);
  for (const c of [bob, carol]) await c.expect('* alice joined (3 users online)');
  const lines = [];
  for (let i = 0; i < 2000; i++) lines.push(`${i} pasted line`);
  alice.send(lines.map((l) => `${l}\r\n`).join(''));
  for (const c of [bob, carol]) for (const l of lines) await c.expect(`alice: ${l}`);
}));


// A client asking for help 129 times (1 032 lines) and then ending its side
// gets every line and then the server's end; while it keeps its socket the
// server stays idle (under 5 % of a CPU over two seconds).
test('help_then_half_close', (bin) => withServer(bin, UNPACED, async ({ server, join }) => {
  const alice = await join('alice', 1);
  alice.socket.end('help\r\n'.repeat(129));
  for (let i = 0; i < 129; i++) await alice.expectAll(HELP);
  await alice.until(() => alice.ended, "the server's end");
  await server.log(/left: alice/);
  const cpu0 = server.cpu();
  const t0 = Date.now();
  await new Promise((resolve) => setTimeout(resolve, 2000)); // the window measured
  const share = (server.cpu() - cpu0) / ((Date.now() - t0) / 1000);
  if (share > 0.05) throw new Error(`the server used ${(share * 100).toFixed(1)} % of a CPU`);
}));

// A nickname must come within --login-timeout: a silent connection and one
// trickling bytes that never make a line are both told and closed, not
// before the timeout; a user who joined in time stays.
test('login_timeout', (bin) => withServer(bin, ['--login-timeout', '1'], async ({ server, client, join }) => {
  const alice = await join('alice', 1);
  const t0 = Date.now();
  const silent = client('silent');
  const slow = client('slow');
  await silent.expect(WELCOME);
  await slow.expect(WELCOME);
  const trickle = setInterval(() => slow.send('b'), 200);
  try {
    for (const c of [silent, slow]) {
      await c.expect('error: no nickname within 1 s; goodbye');
      await c.closedByServer();
    }
  } finally {
    clearInterval(trickle);
  }
  const waited = Date.now() - t0;
  if (waited < 1000) throw new Error(`closed after ${waited} ms`);
  await alice.sync();
  await server.log(/127\.0\.0\.1:\d+ dropped: no nickname within 1 s/);
}));

// --idle-timeout: a user who sends no line for that long is told and
// dropped, the others are told; one who keeps talking stays.
test('idle_timeout', (bin) => withServer(bin, ['--idle-timeout', '1'], async ({ server, client, join }) => {
  const alice = client('alice');
  await alice.expect(WELCOME);
  const t0 = Date.now();
  alice.say('alice');
  await alice.expect('Hello alice! 1 user online. Type help for the commands.');
  const bob = await join('bob', 2);
  await alice.expect('* bob joined (2 users online)');
  await new Promise((resolve) => setTimeout(resolve, 500)); // bob speaks up half-way
  bob.say('still here');
  await alice.expect('bob: still here');
  await alice.expect('* you were idle for 1 s; goodbye');
  await alice.closedByServer();
  const waited = Date.now() - t0;
  if (waited < 1000) throw new Error(`dropped after ${waited} ms`);
  await bob.expect('* alice was dropped: idle (1 user online)');
  await bob.sync();
  await server.log(/dropped alice: idle/);
}));

// --max-per-ip: two from 127.0.0.1 at most; the third is told and closed;
// 127.0.0.2 is another address; a seat given up is free again.
test('max_per_ip', (bin) => withServer(bin, ['--max-per-ip', '2'], async ({ server, client, join }) => {
  const a = await join('a', 1);
  const b = await join('b', 2);
  await a.expect('* b joined (2 users online)');
  const c = client('c');
  await c.expect('Sorry, too many connections from your address (2). Try again later.');
  await c.closedByServer();
  await server.log(/127\.0\.0\.1:\d+ refused: too many connections from the address \(2\)/);
  const d = await join('d', 3, { localAddress: '127.0.0.2' });
  await a.expect('* d joined (3 users online)');
  await b.expect('* d joined (3 users online)');
  b.say('quit');
  await b.expect('* goodbye, b!');
  await a.expect('* b left (2 users online)');
  await join('e', 3);
  await a.expect('* e joined (3 users online)');
  await d.expect('* b left (2 users online)');
  await d.expect('* e joined (3 users online)');
}));

// Slowloris, scaled down: every seat held by a connection that never sends
// a nickname, and real users still get in, each taking the seat of the
// oldest silent one.
test('silent_connections_never_keep_users_out', (bin) => withServer(bin, ['--max-users', '50', '--max-per-ip', '0'],
                                                                    async ({ server, client, join }) => {
  const silent = [];
  for (let i = 0; i < 50; i++) {
    const c = client(`s${i}`);
    await c.expect(WELCOME);
    silent.push(c);
  }
  const users = [];
  for (let k = 0; k < 5; k++) {
    users.push(await join(`user${k}`, k + 1));
    await silent[k].expect('Sorry, the room is full (50 users). Try again later.');
    await silent[k].closedByServer();
  }
  await pastJoins(users[0], '* user4 joined (5 users online)');
  await users[0].sync();
  await server.until(() => (server.stderr.match(/ made way: /g) || []).length === 5, 'five that made way');
}));

// Nothing a user sends can drive another user's terminal: C0 controls and
// escape sequences, DEL, C1, bidi and other format characters are removed,
// invalid UTF-8 becomes U+FFFD as Node's toString() makes it, and no byte
// 0xFF reaches a client that never negotiated telnet (the clients here fail
// on one).
function cleanLikeNode(buf) {
  return buf.toString('utf8').replace(/[\x00-\x08\x0a-\x1f\x7f-\x9f\p{Cf}]/gu, '').replace(/[ \t]+$/, '');
}

test('hostile_text_is_cleaned', (bin) => withServer(bin, UNPACED, async ({ join }) => {
  const bob = await join('bob', 1);
  const mal = await join('mal', 2);
  await bob.expect('* mal joined (2 users online)');
  const cases = [
    // what mal sends (after "b:"), what bob sees after "mal: "
    [Buffer.from('clear\x1b[2J \x1b]0;pwned\x07screen'), 'clear 0;pwnedscreen'],
    [Buffer.from('c1 \u009b2J \u009d0;t\u0007 \u0085nel'), 'c1 2J 0;t nel'],
    [Buffer.from('bidi \u202eevil\u202c \u2066iso\u2069 \u200fr'), 'bidi evil iso r'],
    [Buffer.from('zw a\u200bb\u200cc\u200dd\u2060e\u00adf\ufeffg'), 'zw abcdefg'],
    [Buffer.from([0x69, 0x61, 0x63, 0xff, 0xff, 0xfa, 0x21]), 'iac\ufffd\ufffd!'], // IAC IAC SB
    [Buffer.from([0x62, 0xc3, 0x28, 0xe0, 0x80, 0xed, 0xa0, 0x80, 0xf0, 0x9f, 0x8c]), 'b\ufffd(\ufffd\ufffd\ufffd\ufffd\ufffd\ufffd'],
    [Buffer.from('tab\tstays 中文 🌏'), 'tab\tstays 中文 🌏'],
  ];
  for (const [bytes] of cases) mal.send(Buffer.concat([Buffer.from('b:'), bytes, Buffer.from('\r\n')]));
  for (const [bytes, want] of cases) {
    const got = await bob.line();
    if (got !== `mal: ${want}`) throw new Error(`got ${JSON.stringify(got)}, want ${JSON.stringify(`mal: ${want}`)}`);
  }
  // Echoed back to the sender too: an error line carries what was typed.
  mal.send(Buffer.concat([Buffer.from('c:'), Buffer.from([0x9b]), Buffer.from('2J\u202e:hi\r\n')]));
  await mal.expect('error: no user called \ufffd2J');
  // Random bytes against Node's own decoding (seeded: the same every run).
  // The bytes avoid what the telnet layer edits (C0 but tab, DEL, 0xFF).
  let seed = 12345;
  const rnd = (n) => {
    seed = (seed + 0x6D2B79F5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) % n;
  };
  const pool = ['\u009b', '\u0085', '\u202e', '\u2067', '\u200d', '\u00ad', '\u061c', '\ufeff', '\u{e0001}',
                '\u{1d173}', '中', 'é', '🌏', '\u0301', '\ufffd'].map((c) => Buffer.from(c));
  const sent = [];
  for (let i = 0; i < 300; i++) {
    const parts = [Buffer.from(`b:${i} `)];
    const n = 1 + rnd(24);
    for (let k = 0; k < n; k++) {
      const kind = rnd(4);
      if (kind === 0) parts.push(pool[rnd(pool.length)]);
      else if (kind === 1) parts.push(Buffer.from([0x20 + rnd(0x5f)]));
      else {
        parts.push(Buffer.from([0x80 + rnd(0x7f)])); // 0x80-0xFE
      }
      if (rnd(8) === 0) parts.push(Buffer.from('\t'));
    }
    const line = Buffer.concat(parts);
    sent.push(line);
    mal.send(Buffer.concat([line, Buffer.from('\r\n')]));
  }
  for (const line of sent) {
    const want = `mal: ${cleanLikeNode(line.subarray(2))}`;
    const got = await bob.line();
    if (got !== want)
      throw new Error(`sent ${line.toString('hex')}: got ${JSON.stringify(got)}, want ${JSON.stringify(want)}`);
  }
  await bob.sync();
}));

// Nicknames are compared by their Unicode skeleton: each lookalike of a
// name online is refused, at the prompt and as a rename; once the original
// has left, the name is free.
test('lookalike_nicknames_refused', (bin) => withServer(bin, [], async ({ client, join }) => {
  const alice = await join('alice', 1);
  const kate = await join('kate', 2);
  await alice.expect('* kate joined (2 users online)');
  const c = client('mimic');
  await c.expect(WELCOME);
  const taken = (n) => `error: the nickname ${n} is taken`;
  const tries = [
    ['\u0430lice', taken('\u0430lice')], // Cyrillic a
    ['\uff41lice', taken('alice')],      // fullwidth a, NFKC
    ['alice\u200d', taken('alice')],     // ZWJ
    ['alice\u200c', taken('alice')],     // ZWNJ
    ['alice\u2060', taken('alice')],     // word joiner
    ['ali\u00adce', taken('alice')],     // soft hyphen
    ['alice\u0301', taken('alic\u00e9')], // combining acute, NFC
    ['\u202ealice', taken('alice')],     // RLO
    ['alice\u3164', taken('alice')],     // Hangul filler
    ['alice\u2800', 'error: a nickname cannot contain spaces'], // braille blank
    ['\u212aate', taken('Kate')],        // Kelvin sign
    ['ALICE', taken('ALICE')],
  ];
  for (const [nick, error] of tries) {
    c.say(nick);
    await c.expect(error);
    await c.expect(PROMPT);
  }
  kate.say('n:\u0430lice');
  await kate.expect(taken('\u0430lice'));
  alice.say('quit');
  await alice.expect('* goodbye, alice!');
  await kate.expect('* alice left (1 user online)');
  c.say('\u0430lice');
  await c.expect('Hello \u0430lice! 2 users online. Type help for the commands.');
  await kate.expect('* \u0430lice joined (2 users online)');
}));

if (require.main === module) main();
