// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
// nextTick queue and immediates: ticks queued by ticks run first, a tick
// queued by an immediate runs before the next immediate, an immediate set
// by an immediate runs after those already queued, clearImmediate works.
'use strict';
const { trace } = require(__dirname + '/lib/trace');

const b = setImmediate(() => trace('never b'));
setImmediate(() => {
  trace('imm A');
  process.nextTick(() => trace('tick from A'));
  setImmediate(() => trace('imm C from A'));
  clearImmediate(d);
});
const d = setImmediate(() => trace('never d'));
setImmediate(() => trace('imm B'));
clearImmediate(b);
process.nextTick(() => {
  trace('tick 1');
  process.nextTick(() => trace('tick 3'));
});
process.nextTick(() => trace('tick 2'));
trace('main');
