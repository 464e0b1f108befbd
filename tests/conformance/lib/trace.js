// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
// The trace format shared with trace.h: one observable event per line,
// fields separated by single spaces. Ports are masked by run.sh.
'use strict';
function trace(...fields) {
  process.stdout.write(fields.map(String).join(' ') + '\n');
}
module.exports = { trace, t: trace };
