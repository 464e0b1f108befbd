// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
// Seed 000 / 003, "pause & resume": the socket is paused at once; 10 s
// later it is resumed and piped into msg.txt: what the client sent
// meanwhile waited (in the kernel) and lands in the file. The port, the
// delay and the file may be given (tests).
const net = require("net");
const path = require("path");
const port = Number(process.argv[2] || 8080);
const delay = Number(process.argv[3] || 10 * 1000);
const file = require("fs").createWriteStream(process.argv[4] || path.join(__dirname, "msg.txt"));

const server = net.createServer(function (socket) {
  socket.pause();
  setTimeout(function () {
    socket.resume();
    socket.pipe(file);
  }, delay);
});
server.listen(port);
