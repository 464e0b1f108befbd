// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
// Seed 001, 1.2.2 "Reading data" (seed 000 has the same program):
// setEncoding and bytesRead. The seed shows no listen(); it listens on the
// port of the chapter (8080), on all interfaces.
const net = require('net');
const port = Number(process.argv[2] || 8080);
const server = net.createServer(function (socket) {
  socket.setEncoding('utf8');
  socket.on('data', function (data) {
    console.log(
      'received this time: %s, bytes received so far: %d',
      data,
      socket.bytesRead
    );
  });
});
server.listen(port);
