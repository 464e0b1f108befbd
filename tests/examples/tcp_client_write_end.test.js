// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
'use strict';
// tcp_client_write_end against a server like seed 004's (it confirms every
// message; it ends its side after the client's end): both answers are
// printed and the client exits. Then against a closed port: ECONNREFUSED.
const net = require('net');
const { run, freePort } = require('./lib/harness');

run(async ({ start }) => {
  const server = net.createServer((socket) => {
    socket.setEncoding('utf8');
    socket.on('data', (data) => socket.write('confirmed data: ' + data));
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const prog = start([server.address().port, 300]);
  await prog.expect('connected to the server.');
  await prog.expect('received data from the server: confirmed data: hello!');
  await prog.expect('received data from the server: confirmed data: goodbye!');
  await prog.exit();
  prog.noMoreLines();
  server.close();

  const port = await freePort();
  const refused = start([port, 300]);
  await refused.expect('an error occurred while connecting to or talking to the server, error code ECONNREFUSED');
  await refused.exit();
  refused.noMoreLines();
});
