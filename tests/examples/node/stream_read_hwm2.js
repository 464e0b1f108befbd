// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
// Seed 000, "write": a file read 2 bytes at a time (highWaterMark: 2) is
// written to each client, printing write()'s result, bufferSize and
// bytesWritten; what the client sends is printed as text. The seed shows
// no listen(); this listens on the chapter's port (8080). The port and
// the file may be given (tests; the seed reads a.txt next to the script).
let net = require('net');
let fs = require('fs');
let path = require('path');
const port = Number(process.argv[2] || 8080);
const file = process.argv[3] || path.resolve(__dirname, 'a.txt');
let server = net.createServer({ allowHalfOpen: true }, function (socket) {
  console.log("客户端已经连接");
  socket.setEncoding('utf8');
  let rs = fs.createReadStream(file, { highWaterMark: 2 });
  rs.on('data', function (data) {
    let flag = socket.write(data);
    console.log("flag:", flag);
    console.log("缓存字节:" + socket.bufferSize);
    console.log("已发送字节:" + socket.bytesWritten);
  })
  socket.on('data', function (data) {
    console.log('data', data);
  });
  socket.on('drain', function (err) {
    "缓存区已全部发送"
  });
});
server.listen(port);
