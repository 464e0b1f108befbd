// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
// Seed 003, 4.1 "net.connect() and net.createConnection()".
const net = require('net');
const port = Number(process.argv[2] || 8124);
const client = net.createConnection({ port: port }, () => {
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
