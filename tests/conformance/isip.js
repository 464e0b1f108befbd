// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
// net.isIP / isIPv4 / isIPv6 over every input in isip_inputs.txt, then over
// generated inputs built from address-like pieces. Each line:
//   <input, escaped> <isIP> <isIPv4 as 0/1> <isIPv6 as 0/1>
// Inputs are handled as bytes (latin1 strings), which keeps JavaScript's
// view of each input identical to C's.
'use strict';
const fs = require('fs');
const path = require('path');
const net = require('net');
const { trace } = require('./lib/trace');

// Bytes outside '!'..'~', and the backslash, print as \xHH.
function escape(bytes) {
  let s = '';
  for (const b of bytes) {
    if (b > 0x20 && b < 0x7f && b !== 0x5c) s += String.fromCharCode(b);
    else s += '\\x' + b.toString(16).padStart(2, '0');
  }
  return s;
}

// The input file's notation: \xHH is a byte, \\ a backslash.
function decode(line) {
  const out = [];
  for (let i = 0; i < line.length; i++) {
    if (line[i] === 0x5c && line[i + 1] === 0x5c) {
      out.push(0x5c);
      i++;
    } else if (line[i] === 0x5c && line[i + 1] === 0x78) {
      out.push(parseInt(String.fromCharCode(line[i + 2], line[i + 3]), 16));
      i += 3;
    } else {
      out.push(line[i]);
    }
  }
  return Buffer.from(out);
}

function report(label, bytes) {
  const s = bytes.toString('latin1');
  trace(label, escape(bytes), net.isIP(s), +net.isIPv4(s), +net.isIPv6(s));
}

const file = fs.readFileSync(path.join(__dirname, 'isip_inputs.txt'));
const lines = [];
let start = 0;
for (let i = 0; i < file.length; i++) {
  if (file[i] === 0x0a) {
    lines.push(file.subarray(start, i));
    start = i + 1;
  }
}
let count = 0;
for (const line of lines) {
  if (line[0] === 0x23) continue; // '#'
  report('in', decode(line));
  count++;
}
trace('inputs', count);

// Generated inputs: xorshift32 picks pieces, so that both programs build
// the same strings.
let state = 2463534242;
function next() {
  state ^= state << 13; state >>>= 0;
  state ^= state >>> 17;
  state ^= state << 5; state >>>= 0;
  return state;
}
const pieces = ['0', '1', '00', '01', '9', '10', '99', '199', '249', '255', '256',
                '1000', 'a', 'f', 'F', 'ff', 'ffff', 'fffff', 'abcd', 'g', ':', ':',
                '::', '.', '.', '%', 'eth0', '-', '1.2.3.4', '255.255.255.255',
                '01.2.3.4', ' ', '::ffff:', 'fe80::'];
for (let n = 0; n < 4000; n++) {
  let s = '';
  const len = 1 + next() % 12;
  for (let k = 0; k < len; k++) s += pieces[next() % pieces.length];
  report('gen', Buffer.from(s, 'latin1'));
}

// Generated IPv6-shaped inputs: 0-9 groups of 0-5 hex digits, maybe one
// "::", maybe an IPv4 tail with good and bad octets, maybe a zone id.
const hex = '0123456789abcdefABCDEFg';
const octets = ['0', '00', '01', '9', '10', '99', '100', '199', '200', '249',
                '250', '255', '256', '260', '300'];
const zone = 'e0.:-_@% ';
function pick(str) { return str[next() % str.length]; }
for (let n = 0; n < 6000; n++) {
  const groups = next() % 10;
  const gap = next() % 3 === 0 ? -1 : next() % (groups + 1);
  let s = '';
  for (let g = 0; g < groups; g++) {
    if (g === gap) s += '::';
    else if (g > 0) s += ':';
    const digits = next() % 6;
    for (let d = 0; d < digits; d++) s += pick(hex);
  }
  if (gap === groups) s += '::';
  if (next() % 3 === 0) {
    if (s !== '' && !s.endsWith('::')) s += ':';
    const r = next() % 8;
    const parts = r === 0 ? 3 : r === 1 ? 5 : 4;
    for (let p = 0; p < parts; p++) s += (p ? '.' : '') + octets[next() % octets.length];
  }
  if (next() % 4 === 0) {
    s += '%';
    const k = next() % 4;
    for (let z = 0; z < k; z++) s += pick(zone);
  }
  report('gen6', Buffer.from(s, 'latin1'));
}
