// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
// Per-object event logs for scenarios where two objects run in parallel
// (a socket on the network, a file stream on the worker pool): the order
// within each object is Node's and is compared; the interleaving between
// them is not deterministic, so each log is printed on its own at exit.
'use strict';
const logs = new Map();
function log(name, ...fields) {
  if (!logs.has(name)) logs.set(name, []);
  logs.get(name).push(fields.map(String).join(' '));
}
function dump() {
  for (const [name, lines] of logs)
    for (const l of lines) process.stdout.write(name + ' ' + l + '\n');
}
module.exports = { log, dump };
