// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
// Seed 001, 1.3.4 "unref & ref" (seed 000 has the same program on port
// 808): allowHalfOpen, so the server ends its side itself, then unref()s
// so that the process exits once its connections are gone; close() after
// the second connection.
const net = require("net");
const port = Number(process.argv[2] || 8080);
const server = net.createServer({ allowHalfOpen: true }, function (socket) {
  console.log("client has connected");
  socket.setEncoding("utf8");
  socket.on("data", function (data) {
    console.log("received data from the client: %s", data);
    socket.write("server confirms data: " + data);
  });
  socket.on("error", function (err) {
    console.log("error while talking to the client, error code %s", err.code);
    socket.destroy();
  });
  socket.on("end", function (err) {
    console.log("the client closed the connection");
    socket.end();
    server.unref();
  });
  socket.on("close", function (hasError) {
    if (hasError) {
      console.log("socket closed because of an error");
      server.unref();
    } else {
      console.log("socket closed normally");
    }
  });

  server.getConnections((err, count) => {
    if (count == 2) server.close();
  });
});

server.listen(port, function () {});
server.on("close", function () {
  console.log("server closed");
});
