// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
'use strict';
// tcp_server_connections: the first client is shown and counted; with
// maxConnections now 1, a second client is dropped while the first is
// connected, even when both arrive at once (Node runs the nextTick queue,
// where getConnections answers, after each connection); once the first
// left, the next client is accepted again.
const { run, Client, untilAny } = require('./lib/harness');

run(async ({ start }) => {
  const server = start([0]);
  const port = await server.listeningPort();
  const addressLine = `client address { address: '::ffff:127.0.0.1', family: 'IPv6', port: ${port} }`;

  // Two clients at once, the program's first: one is kept, the other
  // dropped. They are sent once the program listens (listeningPort: a pair
  // tried while it starts could have its first refused and its second
  // accepted), and while it is stopped, so that both wait in its accept
  // queue.
  server.stop();
  const a = new Client({ port, host: '127.0.0.1' });
  const b = new Client({ port, host: '127.0.0.1' });
  await untilAny([a, b], () => [a, b].every((c) => c.events.includes('connect')), 'both connected');
  server.cont();
  await server.expect(addressLine);
  await server.expect('max connections 1, current connections 1');
  await untilAny([a, b], () => a.events.includes('close') || b.events.includes('close'), 'a drop');
  const [kept, dropped] = a.events.includes('close') ? [b, a] : [a, b];
  if (dropped.data !== '') throw new Error('the dropped client got data');
  server.noMoreLines();

  // While it stays, a third is dropped too.
  const third = new Client({ port, host: '127.0.0.1' });
  await third.event('close');
  server.noMoreLines();

  kept.socket.end();
  await kept.event('close');
  const fourth = new Client({ port, host: '127.0.0.1' });
  await fourth.event('connect');
  await server.expect(addressLine);
  await server.expect('max connections 1, current connections 1');
  fourth.socket.end();
  await fourth.event('close');
  server.noMoreLines();
  await server.kill();
});
