// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
// Seed 001, 1.3.6 "keepAlive" (seeds 000 and 004 describe it too): the
// seeds show only socket.setKeepAlive([enable], [initialDelay]); this
// server turns it on for every client, with probes after 1 s of silence.
const net = require('net');
const port = Number(process.argv[2] || 8080);
const server = net.createServer(function (socket) {
  socket.setKeepAlive(true, 1000);
  console.log('keep-alive on for %s:%d', socket.remoteAddress, socket.remotePort);
  socket.on('end', function () {
    console.log('client closed');
  });
});
server.listen(port, function () {
  console.log('listening on %d', server.address().port);
});
