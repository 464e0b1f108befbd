// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
'use strict';
// The scenario two seed servers share (seed 001's unref server and seed
// 004's close-to-refuse server): they print different words for the same
// events, given here as `say`. One client that ends lets the process
// exit; with two clients the server closes, refuses a third, and exits
// after 'close' once both have ended.
const { run, Client, connectWhenListening, untilAny } = require('./harness');

async function oneClient(start, say) {
  const prog = start([0]);
  const port = await prog.listeningPort();
  const c = await connectWhenListening({ port, host: '127.0.0.1' });
  await prog.expect(say.connected);
  c.socket.write('hi');
  await prog.expect('received data from the client: hi');
  await c.received(say.confirmed + 'hi');
  c.socket.end();
  await prog.expect(say.clientClosed);
  await prog.expect(say.socketClosed);
  await c.event('end');
  await c.event('close');
  await prog.exit();
  prog.noMoreLines();
}

async function twoClients(start, say) {
  const prog = start([0]);
  const port = await prog.listeningPort();
  const a = await connectWhenListening({ port, host: '127.0.0.1' });
  await prog.expect(say.connected);
  // Two more clients at once: the first accepted is the second
  // connection, and the listener is closed on the next tick (Node runs
  // the tick queue after each connection), so the other one, waiting in
  // the accept queue, is reset. Both are connected while the program is
  // stopped: a client whose connect came after the close could meet
  // whatever took the port since (another test's server, or itself: a
  // loopback connect to a free port in the ephemeral range can be given
  // that port as its own and connect to itself) instead of a refusal.
  prog.stop();
  const b0 = new Client({ port, host: '127.0.0.1' });
  const c0 = new Client({ port, host: '127.0.0.1' });
  await untilAny([b0, c0], () => [b0, c0].every((c) => c.events.includes('connect')),
                 'both connected');
  prog.cont();
  await prog.expect(say.connected);
  await untilAny([b0, c0], () => b0.events.includes('close') || c0.events.includes('close'),
                 'one of them refused');
  const [b, refused] = b0.events.includes('close') ? [c0, b0] : [b0, c0];
  if (!refused.events.includes('error ECONNREFUSED') &&
      !refused.events.includes('error ECONNRESET'))
    throw new Error(`third client: ${refused.events}`);
  await b.event('connect');
  a.socket.end();
  await prog.expect(say.clientClosed);
  await prog.expect(say.socketClosed);
  await a.event('close');
  // The last connection gone, the server's 'close' comes first: Node
  // emits it on the next tick after the socket is destroyed, the socket's
  // own 'close' once its handle has closed.
  b.socket.end();
  await prog.expect(say.clientClosed);
  await prog.expect(say.serverClosed);
  await prog.expect(say.socketClosed);
  await b.event('close');
  await prog.exit();
  prog.noMoreLines();
}

function runCloseRefuse(say) {
  run(async ({ start }) => {
    await oneClient(start, say);
    await twoClients(start, say);
  });
}

module.exports = { runCloseRefuse };
