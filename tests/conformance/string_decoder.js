// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
// StringDecoder for every encoding over many inputs: those of
// string_decoder_inputs.txt, random bytes, and random strings of tricky
// UTF-8 and UTF-16 pieces. Each input is fed whole (then again to the same
// decoder after end()), byte by byte, in the chunks the file gives, and in
// random chunks of 0 to 5 bytes. Each line shows every write's text as the
// hex of its UTF-8 bytes, then end()'s:
//   <encoding> <feed> <write1>,<write2>,... end:<end>
// Long inputs print <bytes>:<FNV-1a> per write instead of the hex.
'use strict';
const fs = require('fs');
const path = require('path');
const { StringDecoder } = require('string_decoder');
const { trace } = require('./lib/trace');

const encodings = ['utf8', 'utf16le', 'latin1', 'ascii', 'hex', 'base64',
                   'base64url'];

// xorshift32, in the same 32-bit arithmetic as the C twin.
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

let long = false;
function show(str) {
  const b = Buffer.from(str, 'utf8');
  return long ? b.length + ':' + fnv(b) : b.toString('hex');
}

function feed(d, chunks) {
  return chunks.map((c) => show(d.write(c))).join(',') + ' end:' + show(d.end());
}

// Random chunks of 0 to max bytes (empty writes included).
function randomChunks(buf, max) {
  const chunks = [];
  let pos = 0;
  while (pos < buf.length) {
    const n = Math.min(next() % (max + 1), buf.length - pos);
    chunks.push(buf.subarray(pos, pos + n));
    pos += n;
  }
  return chunks;
}

let cases = 0;
function run(buf, given) {
  trace('in', long ? buf.length + ':' + fnv(buf) : buf.toString('hex'));
  for (const enc of encodings) {
    const d = new StringDecoder(enc);
    trace(enc, 'whole', feed(d, [buf]));
    trace(enc, 'reuse', feed(d, [buf]));
    cases += 2;
    if (!long) {
      const bytes = [];
      for (let i = 0; i < buf.length; i++) bytes.push(buf.subarray(i, i + 1));
      trace(enc, 'bytes', feed(new StringDecoder(enc), bytes));
      cases++;
    }
    if (given) {
      trace(enc, 'given', feed(new StringDecoder(enc), given));
      cases++;
    }
    for (let k = 0; k < 3; k++) {
      const chunks = randomChunks(buf, long ? 1024 : 5);
      trace(enc, 'split' + k, feed(new StringDecoder(enc), chunks));
      cases++;
    }
  }
}

// The file's inputs.
const text = fs.readFileSync(path.join(__dirname, 'string_decoder_inputs.txt'), 'latin1');
const lines = text.split('\n');
if (lines[lines.length - 1] === '') lines.pop(); // after the last newline
for (const line of lines) {
  if (line.startsWith('#')) continue;
  const parts = line.split('|');
  const given = parts.length > 1 ? parts.map((p) => Buffer.from(p, 'hex')) : null;
  run(Buffer.from(parts.join(''), 'hex'), given);
}

// Random bytes.
for (let n = 0; n < 150; n++) {
  const len = next() % 24;
  const b = Buffer.alloc(len);
  for (let i = 0; i < len; i++) b[i] = next() & 0xff;
  run(b, null);
}

// Random strings of pieces: characters, their prefixes, invalid bytes,
// UTF-16LE units and surrogates.
const pieces = ['41', '7a', '00', '7f', 'c3a9', 'e282ac', 'f09f9880', 'f48fbfbf',
                'efbfbd', 'c2', 'e2', 'e282', 'f0', 'f09f', 'f09f98', '80', 'bf',
                'c0', 'c1', 'c080', 'e08080', 'eda080', 'edbfbf', 'f4908080', 'f5',
                'f8', 'fe', 'ff', '3dd8', '00de', '00dc', '00d8', '4100', 'e900'];
function pieceString(count) {
  const parts = [];
  for (let k = 0; k < count; k++) parts.push(pieces[next() % pieces.length]);
  return Buffer.from(parts.join(''), 'hex');
}
for (let n = 0; n < 250; n++) run(pieceString(next() % 12), null);

// Long inputs, fed in chunks of up to 1 KiB.
long = true;
for (let n = 0; n < 4; n++) run(pieceString(1000 + next() % 1000), null);
trace('cases', cases);
