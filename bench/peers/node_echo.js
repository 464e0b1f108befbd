// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
// node_echo: Node's net echo server of cnet's benchmarks, the
// idiom cnet reproduces in C: s.pipe(s) (backpressure included). noDelay is
// set on every peer alike; the 'error' listener keeps a reset connection
// from ending the process, as any real Node server has. With --tls it is
// tls.createServer({key, cert}) with the same pipe (S9, S10).
//   node node_echo.js [--tls CERT KEY] [port]   port 0 (the default) picks
//                                               one; prints port=N
'use strict';
const fs = require('fs');
const net = require('net');
const tls = require('tls');

const args = process.argv.slice(2);
const echo = (s) => {
  s.on('error', () => {});
  s.pipe(s);
};
let server;
if (args[0] === '--tls') {
  const [, cert, key] = args.splice(0, 3);
  server = tls.createServer(
    { noDelay: true, cert: fs.readFileSync(cert), key: fs.readFileSync(key) }, echo);
} else {
  server = net.createServer({ noDelay: true }, echo);
}
server.listen(Number(args[0] || 0), '127.0.0.1', 511, () => {
  console.log(`port=${server.address().port}`);
});
