// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
// Seed 003, 2.2/2.3: server.listen(path) for an IPC server, whose
// address() is the path as a string; seed 003's address() server on a
// Unix domain socket.
const net = require('net');
const path = process.argv[2] || '/tmp/echo.sock';
const server = net.createServer((socket) => {
  socket.end('goodbye\n');
}).on('error', (err) => {
  // handle errors here
  throw err;
});

server.listen(path, () => {
  console.log('opened server', server.address());
});
