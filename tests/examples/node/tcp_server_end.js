// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
// Seed 001, 1.2.3 "Listening for the close" (seed 000 has the same
// program): the 'end' event. The seed shows no listen(); it listens on the
// port of the chapter (8080), on all interfaces.
const net = require('net');
const port = Number(process.argv[2] || 8080);
const server = net.createServer(function (socket) {
  socket.on('end', function () {
    console.log('client closed');
  });
});
server.listen(port);
