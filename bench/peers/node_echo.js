// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
// node_echo: Node's net echo server of cnet's benchmarks, the
// idiom cnet reproduces in C: s.pipe(s) (backpressure included). noDelay is
// set on every peer alike; the 'error' listener keeps a reset connection
// from ending the process, as any real Node server has.
//   node node_echo.js [port]   port 0 (the default) picks one; prints port=N
'use strict';
const net = require('net');

const server = net.createServer({ noDelay: true }, (s) => {
  s.on('error', () => {});
  s.pipe(s);
});
server.listen(Number(process.argv[2] || 0), '127.0.0.1', 511, () => {
  console.log(`port=${server.address().port}`);
});
