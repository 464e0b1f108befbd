// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
// Seed 003, 2.3 "server.address()": listen on a free port (or the one
// given) and print the address object.
const net = require('net');
const port = Number(process.argv[2] || 0);
const server = net.createServer((socket) => {
  socket.end('goodbye\n');
}).on('error', (err) => {
  // handle errors here
  throw err;
});

// grab an arbitrary unused port.
server.listen(port, () => {
  console.log('opened server', server.address());
});
