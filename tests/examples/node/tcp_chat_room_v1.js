// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
// Seed 000, 1.2.7 "chat room 1.0", as the seed has it, bugs included:
// broadcast() destroys the sender as soon as it has written to another
// user, so whoever joins while someone is in the room is told nothing and
// disconnected; the room keeps users who left.
let net = require('net');
let util = require('util');
const port = Number(process.argv[2] || 8088);
let clients = {};
let server = net.createServer(function (socket) {
  server.getConnections(function (err, count) {
    socket.write(`welcome,there is ${count} users now,please input your username\r\n`);
  });
  let nickname;
  socket.setEncoding('utf8');
  socket.on('data', function (data) {
    data = data.replace(/\r\n/, '');
    if (data == 'byebye') {
      socket.end();
    } else {
      if (nickname) {
        broadcast(nickname, `${nickname}:${data}`);
      } else {
        nickname = data;
        clients[nickname] = socket;
        broadcast(nickname, `welcome ${nickname} joined us!`);
      }
    }
  })
  socket.on('close', function () {
    socket.destroy();
  });
}).listen(port);

function broadcast(nickname, msg) {
  for (let key in clients) {
    if (key != nickname) {
      clients[key].write(msg + '\r\n');
      clients[nickname].destroy();
      delete clients[nickname];
    }
  }
}
