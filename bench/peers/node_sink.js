// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
// node_sink: Node's server for scenario S8 of cnet's benchmarks,
// pipe socket -> file, the idiom cnet_sink.c reproduces in C: each
// connection is piped into a file of its own; after the client has ended
// and the file has emitted 'finish', one line reports bytesWritten, the
// file's size and its path, and the connection ends (the load generator
// checks the file and removes it).
//   node node_sink.js [port [dir]]   dir defaults to os.tmpdir(); prints port=N
'use strict';
const fs = require('fs');
const net = require('net');
const os = require('os');

const dir = process.argv[3] || os.tmpdir();
let seq = 0;

const server = net.createServer({ noDelay: true, allowHalfOpen: true }, (s) => {
  const path = `${dir}/node-sink-${process.pid}-${++seq}`;
  const ws = fs.createWriteStream(path);
  s.on('error', () => {});
  ws.on('error', () => {});
  ws.on('finish', () => {
    let size = -1;
    try { size = fs.statSync(path).size; } catch (e) { /* reported as -1 */ }
    s.end(`done bytes=${ws.bytesWritten} size=${size} path=${path}\n`);
  });
  s.on('close', () => {
    // A client that went away before 'end': its file is abandoned.
    if (!ws.writableFinished) {
      ws.destroy();
      fs.rm(path, { force: true }, () => {});
    }
  });
  s.pipe(ws);
});
server.listen(Number(process.argv[2] || 0), '127.0.0.1', 511, () => {
  console.log(`port=${server.address().port}`);
});
