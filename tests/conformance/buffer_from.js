// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
// Buffer.from(string, encoding).toString('hex') for every encoding over
// the strings of buffer_from_inputs.txt and generated ones: mixed text with
// invalid UTF-8, hex-like and base64-like strings, and long strings (which
// Node decodes by another path). Each string is given as UTF-8 bytes and
// read as Node reads them (Buffer.toString('utf8')). Each line:
//   <label> <input, escaped> utf8=<hex> utf16le=<hex> ... base64url=<hex>
// Long strings print <bytes>:<FNV-1a> instead of hex.
'use strict';
const fs = require('fs');
const path = require('path');
const { trace } = require('./lib/trace');

const encodings = ['utf8', 'utf16le', 'latin1', 'ascii', 'hex', 'base64',
                   'base64url'];

let state = 2463534242;
function next() {
  state ^= state << 13; state >>>= 0;
  state ^= state >>> 17;
  state ^= state << 5; state >>>= 0;
  return state;
}

function fnv(buf) {
  let h = 2166136261;
  for (const b of buf) h = Math.imul(h ^ b, 16777619) >>> 0;
  return h;
}

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

let cases = 0;
function report(label, bytes, long) {
  const str = bytes.toString('utf8');
  const fields = [label, long ? bytes.length + ':' + fnv(bytes) : escape(bytes)];
  for (const enc of encodings) {
    const out = Buffer.from(str, enc);
    fields.push(enc + '=' + (long ? out.length + ':' + fnv(out) : out.toString('hex')));
    cases++;
  }
  trace(...fields);
}

const file = fs.readFileSync(path.join(__dirname, 'buffer_from_inputs.txt'));
let start = 0;
for (let i = 0; i < file.length; i++) {
  if (file[i] !== 0x0a) continue;
  const line = file.subarray(start, i);
  start = i + 1;
  if (line[0] === 0x23) continue; // '#'
  report('in', decode(line), false);
}

// Generated strings: pieces picked by xorshift32, as bytes.
function generate(pieces, count) {
  const parts = [];
  for (let k = 0; k < count; k++) parts.push(pieces[next() % pieces.length]);
  return Buffer.concat(parts);
}
const b = (s) => Buffer.from(s, 'latin1');
const mixed = ['a', 'Z', '0', '9', 'f', 'F', 'g', '+', '/', '-', '_', '=', ' ',
               '\n', '\t', '.', '\xc3\xa9', '\xc5\x81', '\xc5\xa1', '\xc4\xb1',
               '\xc4\xbd', '\xe2\x82\xac', '\xef\xbc\xa1', '\xf0\x9f\x98\x80',
               '\xff', '\x80', '\xc0\x80', '\xe2\x82', '\xf0\x9f\x98',
               '\xed\xa0\x80', '\xf4\x90\x80\x80', '\xc2'].map(b);
const hexish = ['0', '1', '7', '9', 'a', 'c', 'f', 'A', 'D', 'F', '0', '5', 'b',
                'e', 'E', '3', 'g', ' ', '\xc5\xa1', '\xc4\xb1', '\xc3\xa9',
                '\xff'].map(b);
const b64ish = ['A', 'Q', 'U', 'J', 'D', 'g', 'z', '0', '8', '+', '/', '-', '_',
                'w', 'Y', 'k', 'R', 'Z', 'x', 'P', 'v', '5', ' ', '\n', '\r', '\t',
                '=', '==', '.', '\xc5\x81', '\xc4\xbd', '\xc3\x85', '\xff',
                '\xf0\x9f\x98\x80'].map(b);
for (let n = 0; n < 2000; n++) report('mix', generate(mixed, next() % 16), false);
for (let n = 0; n < 1500; n++) {
  // Mostly hex digits, sometimes something else.
  const pieces = next() % 4 === 0 ? hexish : hexish.slice(0, 16);
  report('hex', generate(pieces, next() % 24), false);
}
for (let n = 0; n < 1500; n++) {
  const pieces = next() % 4 === 0 ? b64ish : b64ish.slice(0, 26);
  report('b64', generate(pieces, next() % 24), false);
}
// Long strings around Node's size thresholds (1024 and 4096 characters).
for (const count of [1023, 1024, 1500, 2047, 2048, 4095, 4096, 6000]) {
  report('longmix', generate(mixed, count), true);
  report('longhex', generate(hexish.slice(0, 16), count), true);
  report('longb64', generate(b64ish, count), true);
  report('longb64clean', generate(b64ish.slice(0, 22), count), true);
  report('longb64ws', generate(b64ish.slice(0, 26), count), true);
  report('longhexbad', Buffer.concat([generate(hexish.slice(0, 16), count), b('g'),
                                      generate(hexish.slice(0, 16), 10)]), true);
}
trace('cases', cases);
