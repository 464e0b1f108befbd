// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
// Seed 003, 4.1: the same client to connect to /tmp/echo.sock:
// net.createConnection({ path: '/tmp/echo.sock' }).
const net = require('net');
const path = process.argv[2] || '/tmp/echo.sock';
const client = net.createConnection({ path: path }, () => {
  // 'connect' listener
  console.log('connected to server');
  client.write('hello world!\r\n');
});
client.on('data', (data) => {
  console.log(data.toString());
  client.end();
});
client.on('end', () => {
  console.log('disconnected from server');
});
