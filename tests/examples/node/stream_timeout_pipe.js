// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
// Seed 000 / 003, "setTimeout": the socket gets a 5 s idle timeout and is
// paused; on 'timeout' it is piped into msg.txt (pipe resumes it). The
// port, the timeout and the file may be given (tests).
let net = require('net');
let path = require('path');
const port = Number(process.argv[2] || 8080);
const timeout = Number(process.argv[3] || 5 * 1000);
let ws = require('fs').createWriteStream(process.argv[4] || path.resolve(__dirname, 'msg.txt'));
let server = net.createServer(function (socket) {
  socket.setTimeout(timeout);
  socket.pause();
  socket.on('timeout', function () {
    socket.pipe(ws);
  });
});
server.listen(port);
