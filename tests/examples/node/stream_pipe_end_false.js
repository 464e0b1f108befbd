// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
// Seed 000 / 003, "pipe" with {end: false}: the file stays open when the
// client ends; the server then ends it with 'over' and unpipes. The seed
// shows no listen(); this listens on the chapter's port (8080). The port
// and the file may be given (tests; the seed writes msg.txt next to the
// script).
let net = require('net');
let path = require('path');
const port = Number(process.argv[2] || 8080);
let ws = require('fs').createWriteStream(process.argv[3] || path.resolve(__dirname, 'msg.txt'));
let server = net.createServer(function (socket) {
  socket.on('data', function (data) {
    console.log(data);
  });
  socket.pipe(ws, { end: false });
  socket.on('end', function () {
    ws.end('over', function () {
      socket.unpipe(ws);
    });
  });
});
server.listen(port);
