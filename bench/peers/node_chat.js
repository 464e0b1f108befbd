// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
// node_chat: the Node chat room of cnet's benchmarks (scenario S7),
// the tutorials' chat room 2.0 as a competent Node programmer finishes it.
// The seed's own chat room 1.0 cannot serve: its broadcast() destroys the
// sender's socket. This one speaks the words of cnet-chat that S7 uses, so
// that one load generator drives both: a welcome ending in "Please enter
// your nickname:", the nickname as the first line, "Hello NICK! N users
// online.", "* NICK joined (N users online)" to the others, and every later
// line said to everyone else as "NICK: text". noDelay as on every peer; no
// log line per event (cnet-chat logs joins to stderr, run.sh discards it).
// Like cnet-chat, it corks each client it writes to while it handles one
// 'data' event and uncorks them at the end (Node's writable.cork() idiom):
// the lines of one burst leave in one writev per client.
//   node node_chat.js [port]   port 0 (the default) picks one; prints port=N
'use strict';
const net = require('net');

const users = new Set(); // sockets that chose a nickname, in join order
const nicks = new Set(); // their nicknames, lower-cased

const plural = (n) => `${n} ${n === 1 ? 'user' : 'users'} online`;

const corked = [];
function announce(from, line) {
  for (const s of users) {
    if (s === from) continue;
    if (!s.isCorked) { s.cork(); s.isCorked = true; corked.push(s); }
    s.write(line);
  }
}
function uncorkAll() {
  for (const s of corked) { s.isCorked = false; s.uncork(); }
  corked.length = 0;
}

function leave(s) {
  if (!users.delete(s)) return;
  nicks.delete(s.nick.toLowerCase());
  announce(s, `* ${s.nick} left (${plural(users.size)})\r\n`);
}

function onLine(s, line) {
  if (line === '') return;
  if (s.nick === undefined) {
    const key = line.toLowerCase();
    if (key === 'quit' || key === 'byebye') return s.end('* goodbye!\r\n');
    if (/[\s:]/.test(line) || [...line].length > 32) {
      return s.write('error: invalid nickname\r\nPlease enter your nickname:\r\n');
    }
    if (nicks.has(key)) {
      return s.write(`error: the nickname ${line} is taken\r\nPlease enter your nickname:\r\n`);
    }
    s.nick = line;
    nicks.add(key);
    users.add(s);
    s.write(`Hello ${line}! ${plural(users.size)}. Type help for the commands.\r\n`);
    announce(s, `* ${line} joined (${plural(users.size)})\r\n`);
    return;
  }
  const key = line.toLowerCase();
  if (key === 'quit' || key === 'byebye') {
    s.end(`* goodbye, ${s.nick}!\r\n`);
    leave(s);
    return;
  }
  announce(s, `${s.nick}: ${line}\r\n`);
}

const server = net.createServer({ noDelay: true }, (s) => {
  let buf = '';
  s.setEncoding('utf8');
  s.on('error', () => {}); // a reset client only leaves; 'close' follows
  s.on('close', () => leave(s));
  s.on('data', (chunk) => {
    buf += chunk;
    let from = 0;
    let i;
    while ((i = buf.indexOf('\n', from)) >= 0) {
      onLine(s, buf.slice(from, i).replace(/\s+$/, ''));
      from = i + 1;
    }
    buf = buf.slice(from);
    uncorkAll();
  });
  s.write(`Welcome to node-chat! ${plural(users.size)}. Please enter your nickname:\r\n`);
});
server.listen(Number(process.argv[2] || 0), '127.0.0.1', 511, () => {
  console.log(`port=${server.address().port}`);
});
