// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
// Inside a timer callback: its nextTick runs before the next timer of the
// same turn, setImmediate runs before setTimeout(0).
'use strict';
const { trace } = require(__dirname + '/lib/trace');

setTimeout(() => {
  trace('timer A');
  setTimeout(() => trace('timeout 0 from A'), 0);
  setImmediate(() => trace('immediate from A'));
  process.nextTick(() => trace('tick from A'));
}, 5);
setTimeout(() => trace('timer B'), 5);
// Both timers are due before the loop starts, so one pass runs them both.
const start = Date.now();
while (Date.now() - start < 20);
