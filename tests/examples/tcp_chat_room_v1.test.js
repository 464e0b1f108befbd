// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
'use strict';
// tcp_chat_room_v1, the seed's chat room 1.0 with its bugs: the first user
// stays; a second one is announced to the first and disconnected; byebye
// ends a user; a user who joins after the first left is disconnected too
// (the room still lists the one who left, and writing to it does nothing).
const { run, Client, connectWhenListening } = require('./lib/harness');

const welcome = (n) => `welcome,there is ${n} users now,please input your username\r\n`;

run(async ({ start }) => {
  const server = start([0]);
  const port = await server.listeningPort();
  const alice = await connectWhenListening({ port, host: '127.0.0.1' });
  await alice.received(welcome(1));
  alice.socket.write('alice\r\n');

  const bob = new Client({ port, host: '127.0.0.1' });
  await bob.received(welcome(2));
  bob.socket.write('bob\r\n');
  await alice.received('welcome bob joined us!\r\n');
  await bob.event('close');
  if (bob.data !== welcome(2)) throw new Error(`bob got ${JSON.stringify(bob.data)}`);

  alice.socket.write('byebye\r\n');
  await alice.event('end');
  await alice.event('close');

  const carol = new Client({ port, host: '127.0.0.1' });
  await carol.until(() => /^welcome,there is [12] users now/.test(carol.data), 'welcome');
  carol.socket.write('carol\r\n');
  await carol.event('close');

  if (server.stderr !== '') throw new Error(`stderr: ${server.stderr}`);
  server.noMoreLines();
  await server.kill();
});
