// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
// Seed 003, 2.2 "server.listen()": on EADDRINUSE, retry after a second.
// The seed shows the error listener only; PORT and HOST come from the
// arguments, and a 'listening' listener shows when the retry succeeds.
const net = require('net');
const PORT = Number(process.argv[2] || 8080);
const HOST = process.argv[3] || '127.0.0.1';
const server = net.createServer();

server.on('error', (e) => {
  if (e.code === 'EADDRINUSE') {
    console.log('Address in use, retrying...');
    setTimeout(() => {
      server.close();
      server.listen(PORT, HOST);
    }, 1000);
  }
});
server.on('listening', () => {
  console.log('listening on', server.address());
});
server.listen(PORT, HOST);
