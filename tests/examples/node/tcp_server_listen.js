// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
// Seed 001, 1.1.2 "Using a TCP server" (seed 000 has the same program).
const net = require('net');
const port = Number(process.argv[2] || 8080);
const server = net.createServer(function (socket) {
  console.log('Client connected');
});
server.listen(port, 'localhost', function () {
  console.log('Server started listening');
});
