// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
// node_udp_echo: Node's dgram echo server of cnet's benchmarks
// (scenario S6), the program cnet_udp_echo.c is the twin of.
//   node node_udp_echo.js [port]   port 0 (the default) picks one; prints port=N
'use strict';
const dgram = require('dgram');

const s = dgram.createSocket('udp4');
s.on('message', (msg, rinfo) => s.send(msg, rinfo.port, rinfo.address));
s.bind(Number(process.argv[2] || 0), '127.0.0.1', () => {
  console.log(`port=${s.address().port}`);
});
