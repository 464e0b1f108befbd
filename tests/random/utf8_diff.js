// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
'use strict';
// The differential UTF-8 validator test: byte strings chosen by a seed,
// leaning to what UTF-8 validators get wrong (overlong forms, surrogates,
// code points at and past U+10FFFF, sequences cut short, stray
// continuation bytes, runs of ASCII long enough for a fast path), are
// judged by Node's buffer.isUtf8 and by cnet_utf8_is_valid (utf8_diff.c).
// For cnet_utf8_valid_prefix Node's answer is the longest prefix that
// isUtf8 accepts.
//
//   node utf8_diff.js CNET_CHECKER SEED COUNT
//
// Exits 1 after printing each string on which the two differ.
const { execFileSync } = require('child_process');
const { isUtf8 } = require('buffer');
const { rng } = require('../lib/rng');

const [checker, seed, count] = [process.argv[2], Number(process.argv[3]),
  Number(process.argv[4])];
if (!checker || !Number.isInteger(seed) || !Number.isInteger(count)) {
  console.error('usage: node utf8_diff.js CNET_CHECKER SEED COUNT');
  process.exit(2);
}

const r = rng(seed);
const int = (lo, hi) => lo + Math.floor(r() * (hi - lo + 1));
const pick = (xs) => xs[Math.floor(r() * xs.length)];

// Lead bytes at the edges of their ranges, and the continuation bytes at
// the edges of the ranges those leads allow.
const LEADS = [0xc0, 0xc1, 0xc2, 0xdf, 0xe0, 0xe1, 0xec, 0xed, 0xee, 0xef,
  0xf0, 0xf1, 0xf3, 0xf4, 0xf5, 0xf7, 0xf8, 0xfe, 0xff];
const CONTS = [0x7f, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0xc0];

function encode(cp) {
  if (cp < 0x80) return [cp];
  if (cp < 0x800) return [0xc0 | cp >> 6, 0x80 | cp & 63];
  if (cp < 0x10000) return [0xe0 | cp >> 12, 0x80 | cp >> 6 & 63, 0x80 | cp & 63];
  return [0xf0 | cp >> 18, 0x80 | cp >> 12 & 63, 0x80 | cp >> 6 & 63, 0x80 | cp & 63];
}

// One piece of a string: mostly well-formed characters near the
// boundaries, sometimes broken on purpose.
function piece() {
  switch (int(0, 9)) {
    case 0: return Array.from({ length: int(1, 20) }, () => int(0x20, 0x7e));
    case 1: return encode(pick([0x80, 0x7ff, 0x800, 0xd7ff, 0xe000, 0xfffd,
      0xffff, 0x10000, 0x10ffff, int(0x80, 0x10ffff)]));
    case 2: { // a surrogate, or a code point past U+10FFFF, encoded anyway
      const cp = pick([0xd800, 0xdbff, 0xdc00, 0xdfff, 0x110000, 0x1fffff]);
      return cp < 0x10000 ? [0xed, 0x80 | cp >> 6 & 63, 0x80 | cp & 63] : encode(cp);
    }
    case 3: { // an overlong form of a small code point
      const cp = int(0, 0xffff);
      const n = int(cp < 0x80 ? 2 : cp < 0x800 ? 3 : 4, 4);
      if (n === 2) return [0xc0 | cp >> 6, 0x80 | cp & 63];
      if (n === 3) return [0xe0 | cp >> 12, 0x80 | cp >> 6 & 63, 0x80 | cp & 63];
      return [0xf0, 0x80 | cp >> 12 & 63, 0x80 | cp >> 6 & 63, 0x80 | cp & 63];
    }
    case 4: { // a character cut short
      const b = encode(int(0x80, 0x10ffff));
      return b.slice(0, int(1, b.length - 1));
    }
    case 5: return Array.from({ length: int(1, 3) }, () => int(0x80, 0xbf));
    case 6: return [pick(LEADS), ...Array.from({ length: int(0, 3) }, () => pick(CONTS))];
    case 7: return [int(0, 255)];
    default: return encode(int(0x80, 0x10ffff));
  }
}

function string() {
  const bytes = [];
  const pieces = int(0, 6);
  for (let i = 0; i < pieces; i++) bytes.push(...piece());
  return Buffer.from(bytes);
}

function validPrefix(b) {
  for (let n = b.length; n > 0; n--) if (isUtf8(b.subarray(0, n))) return n;
  return 0;
}

const cases = Array.from({ length: count }, string);
const input = cases.map((b) => `${isUtf8(b) ? 1 : 0} ${validPrefix(b)} ${b.toString('hex')}\n`).join('');
let out;
try {
  out = execFileSync(checker, { input, maxBuffer: 64 << 20 }).toString();
} catch (e) {
  out = e.stdout ? e.stdout.toString() : '';
  if (!out) {
    console.log(`${checker} failed: ${e.message}`);
    out = '';
  }
}
// exitCode, not exit(): a pipe takes process.stdout's writes later.
process.stdout.write(out);
process.exitCode = /^\d+ strings: Node and cnet agree\n$/.test(out) ? 0 : 1;
