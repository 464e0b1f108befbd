'use strict';
// tcp_server_pause_on_connect, resuming after 1 s: what the client sent at
// once is printed only then; later data at once.
const { run, freePort, Client } = require('./lib/harness');

run(async ({ start }) => {
  const port = await freePort();
  const server = start([port, 1000]);
  await server.expect(`Connected on ${port}!`);
  const c = new Client({ port, host: '127.0.0.1' });
  await c.event('connect');
  const t0 = Date.now();
  c.socket.write('abc');
  await server.expect('data : abc');
  const waited = Date.now() - t0;
  if (waited < 800) throw new Error(`data printed after ${waited} ms, before the resume`);
  c.socket.write('你好');
  await server.expect('data : 你好');
  c.socket.end();
  await c.event('close');
  server.noMoreLines();
  await server.kill();
});
