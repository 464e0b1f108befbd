// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
// Seed 001, 1.2.1 "address" (seed 000 has the same program): getConnections,
// maxConnections and socket.address(). The seed shows no listen(); it
// listens on the port of the chapter (8080), on all interfaces.
const net = require('net');
const util = require('util');
const port = Number(process.argv[2] || 8080);
const server = net.createServer(function (socket) {
  server.getConnections((err, count) => {
    server.maxConnections = 1;
    console.log('max connections %d, current connections %d', server.maxConnections, count);
  });
  const address = socket.address();
  console.log('client address %s', util.inspect(address));
});
server.listen(port);
