// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
// Seed 000 / 003, "unpipe": the socket is piped into msg.txt with
// {end: false}; 5 s later the file is ended with 'bye bye' and the socket
// unpiped (which pauses it: what the client sends afterwards stays in the
// kernel). The port, the delay and the file may be given (tests).
const net = require("net");
const path = require("path");
const port = Number(process.argv[2] || 8080);
const delay = Number(process.argv[3] || 5000);
const file = require("fs").createWriteStream(process.argv[4] || path.join(__dirname, "msg.txt"));
const server = net.createServer(function (socket) {
  socket.pipe(file, {
    end: false,
  });
  setTimeout(function () {
    file.end("bye bye");
    socket.unpipe(file);
  }, delay);
});

server.listen(port);
