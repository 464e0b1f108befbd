'use strict';
// tcp_server_listen: prints when it listens, then once per client.
const { run, freePort, Client } = require('./lib/harness');

run(async ({ start }) => {
  const port = await freePort();
  const server = start([port]);
  await server.expect('Server started listening');
  for (let i = 0; i < 2; i++) {
    const c = new Client({ port, host: '127.0.0.1' });
    await c.event('connect');
    await server.expect('Client connected');
    c.socket.destroy();
  }
  server.noMoreLines();
  await server.kill();
});
