// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
// Encoding names as Node reads them: new StringDecoder(name).encoding (or
// the error code it throws) and Buffer.from('é€', name) as hex (or the
// error code), over known names, case variants, random strings from the
// letters of the names, and near misses. Each line:
//   <name, or (undefined)> <decoder's encoding or error> <bytes or error>
'use strict';
const { StringDecoder } = require('string_decoder');
const { trace } = require('./lib/trace');

let state = 2463534242;
function next() {
  state ^= state << 13; state >>>= 0;
  state ^= state >>> 17;
  state ^= state << 5; state >>>= 0;
  return state;
}

function attempt(fn) {
  try {
    return fn();
  } catch (e) {
    return e.code;
  }
}

let cases = 0;
function report(name) {
  trace(name === undefined ? '(undefined)' : JSON.stringify(name),
        attempt(() => new StringDecoder(name).encoding),
        attempt(() => Buffer.from('é€', name).toString('hex')));
  cases += 2;
}

const valid = ['utf8', 'utf-8', 'ucs2', 'ucs-2', 'utf16le', 'utf-16le', 'latin1',
               'binary', 'ascii', 'hex', 'base64', 'base64url'];
const others = ['', 'UTF8', 'UTF-8', 'Utf-8', 'UCS2', 'UCS-2', 'UTF16LE',
                'UTF-16LE', 'LATIN1', 'BINARY', 'ASCII', 'HEX', 'BASE64',
                'BASE64URL', 'buffer', 'utf16', 'utf-16', 'utf32', 'latin-1',
                'iso-8859-1', 'utf 8', 'utf8 ', ' utf8', 'utf_8', 'base-64',
                'base64-url', 'ucs', 'ucs-2le', 'utf-16be', 'hex ', 'b64', 'raw',
                'raws', 'utf8\t', 'latın1', 'LATİN1', 'ütf8', 'a', 'utf-8-'];
report(undefined);
for (const name of valid.concat(others)) report(name);
// Case variants of every valid name.
for (const name of valid) {
  for (let k = 0; k < 12; k++) {
    let s = '';
    for (const c of name) s += next() % 2 ? c.toUpperCase() : c;
    report(s);
  }
}
// Random strings over the letters of the names.
const letters = 'utf8-16lebasxhinrycUTFLEBAS2 ';
for (let n = 0; n < 1000; n++) {
  const len = 1 + next() % 9;
  let s = '';
  for (let k = 0; k < len; k++) s += letters[next() % letters.length];
  report(s);
}
// Near misses: a valid name with one letter dropped, added or replaced.
for (let n = 0; n < 1000; n++) {
  const name = valid[next() % valid.length];
  const at = next() % (name.length + 1);
  const c = letters[next() % letters.length];
  const op = next() % 3;
  if (op === 0) report(name.slice(0, at) + name.slice(at + 1));
  else if (op === 1) report(name.slice(0, at) + c + name.slice(at));
  else report(name.slice(0, at) + c + name.slice(at + 1));
}
trace('cases', cases);
