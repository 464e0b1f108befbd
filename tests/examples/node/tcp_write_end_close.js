// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
// Seed 000, 1.2.x "write, end, error, destroy, close": a server and a
// client in one process (seed 001, 1.3.2 is the same program with the typo
// socket.destory(), which throws; this is seed 000's, on seed 001's port).
// A second argument shortens the client's 5 s wait before end() (tests).
let net = require('net');
const port = Number(process.argv[2] || 8080);
const delay = Number(process.argv[3] || 5000);
let server = net.createServer(function (socket) {
  console.log("client has connected");
  socket.setEncoding('utf8');
  socket.on('data', function (data) {
    console.log("received data from the client:" + data);
    socket.write('server:' + data);
  })
  socket.on('error', function (err) {
    console.log('error while talking to the client, error code ' + err.code);
    socket.destroy();
  });
  socket.on('end', function (err) {
    console.log('the client closed the connection');
    socket.destroy();
  });
  socket.on('close', function (hasError) {
    console.log(hasError ? 'closed abnormally' : 'closed normally');
  });
});
server.listen(port, function () {
  let client = new net.Socket();
  client.setEncoding('utf8');
  client.connect(port, '127.0.0.1', function () {
    console.log('client connected');
    client.write('hello');
    setTimeout(function () {
      client.end('byebye');
    }, delay);
  });
  client.on('data', function (data) {
    console.log('received data from the server:' + data);
  });
  client.on('error', function (err) {
    console.log('error while talking to the server, error code ' + err.code);
    client.destroy();
  });
});
