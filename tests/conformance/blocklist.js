// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
// net.BlockList: the operations in blocklist_cases.txt, then generated
// lists of random rules each checked against a pool of addresses. Each
// operation prints one line: the operation and what Node answered (ok, an
// error code, true/false); 'rules' prints the count and one line per rule.
'use strict';
const fs = require('fs');
const path = require('path');
const { BlockList, SocketAddress } = require('net');
const { trace } = require('./lib/trace');

// Tokens split on spaces; "..." is one token (quotes removed).
function tokens(line) {
  const out = [];
  const re = /"([^"]*)"|(\S+)/g;
  let m;
  while ((m = re.exec(line))) out.push(m[1] !== undefined ? m[1] : m[2]);
  return out;
}

function attempt(fn) {
  try {
    const r = fn();
    return r === undefined ? 'ok' : String(r);
  } catch (err) {
    return err.code;
  }
}

function printRules(list) {
  const rules = list.rules;
  trace('rules', rules.length);
  for (const r of rules) trace('rule', r);
}

// A family token: '-' means the argument is left out.
const fam = (f) => (f === '-' ? [] : [f]);

let list = new BlockList();
const lines = fs.readFileSync(path.join(__dirname, 'blocklist_cases.txt'),
                              'utf8').split('\n');
for (const line of lines) {
  if (line === '' || line[0] === '#') continue;
  const [op, ...a] = tokens(line);
  let r;
  switch (op) {
    case 'new': list = new BlockList(); trace('new'); continue;
    case 'rules': printRules(list); continue;
    case 'addAddress':
      r = attempt(() => list.addAddress(a[0], ...fam(a[1])));
      break;
    case 'addRange':
      r = attempt(() => list.addRange(a[0], a[1], ...fam(a[2])));
      break;
    case 'addSubnet':
      r = attempt(() => list.addSubnet(a[0], Number(a[1]), ...fam(a[2])));
      break;
    case 'check':
      r = attempt(() => list.check(a[0], ...fam(a[1])));
      break;
    case 'checksa':
      r = attempt(() => list.check(new SocketAddress({ address: a[0],
                                                       family: a[1] })));
      break;
    default:
      throw new Error('unknown operation ' + op);
  }
  trace(line, '=>', r);
}

// Generated lists. xorshift32 drives both programs identically.
let state = 2463534242;
function next() {
  state ^= state << 13; state >>>= 0;
  state ^= state >>> 17;
  state ^= state << 5; state >>>= 0;
  return state;
}
const v4 = ['0.0.0.0', '1.2.3.4', '1.2.3.5', '10.0.0.0', '10.0.0.1', '10.0.0.10',
            '10.0.0.255', '10.0.1.0', '10.255.255.255', '11.0.0.0', '127.0.0.1',
            '170.85.170.85', '192.168.1.1', '255.255.255.255', '9.255.255.255',
            '128.0.0.0', '127.255.255.255', '1.2.3.255', '1.2.2.0'];
const v6 = ['::', '::1', '::2', '::ffff:1.2.3.4', '::ffff:10.0.0.1',
            '::ffff:10.0.0.255', '::ffff:0.0.0.0', '::ffff:255.255.255.255',
            '::1.2.3.4', 'fe80::1', 'fe80::2', 'fe80::ffff:1.2.3.4', '2001:db8::',
            '2001:db8::1', '2001:db8:ffff:ffff:ffff:ffff:ffff:ffff', '2001:db9::',
            'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', '8592:757c:efae:4e45::1',
            '::fffe:1.2.3.4', '0:0:0:0:0:1:ffff:1.2.3.4', '::ffff:170.85.170.85',
            '::ffff:1.2.2.0', '::ffff:127.255.255.255'];
const prefixes4 = [0, 1, 7, 8, 9, 15, 16, 17, 23, 24, 25, 31, 32];
const prefixes6 = [0, 1, 8, 63, 64, 65, 80, 81, 95, 96, 97, 104, 111, 112, 120,
                   127, 128];
const pick = (arr) => arr[next() % arr.length];

for (let n = 0; n < 300; n++) {
  list = new BlockList();
  const rules = 1 + next() % 5;
  for (let k = 0; k < rules; k++) {
    const six = next() % 2 === 1;
    const pool = six ? v6 : v4;
    const family = six ? 'ipv6' : 'ipv4';
    let r;
    switch (next() % 3) {
      case 0:
        r = attempt(() => list.addAddress(pick(pool), family));
        break;
      case 1: {
        const s = pick(pool);
        const e = pick(pool);
        r = attempt(() => list.addRange(s, e, family));
        break;
      }
      default: {
        const net = pick(pool);
        const prefix = pick(six ? prefixes6 : prefixes4);
        r = attempt(() => list.addSubnet(net, prefix, family));
      }
    }
    if (r !== 'ok') trace('gen', n, 'add', r);
  }
  printRules(list);
  let bits = '';
  for (const a of v4) bits += +list.check(a, 'ipv4');
  bits += ' ';
  for (const a of v6) bits += +list.check(a, 'ipv6');
  trace('gen', n, 'check', bits);
}
