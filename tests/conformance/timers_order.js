// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
// Timers fire in due order; a cleared one never fires; an interval repeats
// until cleared; nextTick runs before any timer. Dues are far apart: Node
// reads the clock at each setTimeout, so close dues could swap under load.
'use strict';
const { trace } = require(__dirname + '/lib/trace');

trace('start');
setTimeout(() => trace('timeout', 200), 200);
setTimeout(() => trace('timeout', 10), 10);
setTimeout(() => trace('timeout', 100), 100);
const never = setTimeout(() => trace('never'), 15);
clearTimeout(never);
process.nextTick(() => trace('tick'));
let n = 0;
const iv = setInterval(() => {
  trace('interval', ++n);
  if (n === 3) clearInterval(iv);
}, 300);
trace('main done');
