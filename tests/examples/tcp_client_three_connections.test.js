// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
'use strict';
// tcp_client_three_connections with its server of the same seed,
// tcp_server_write_drain: three connections, each in its own order (the
// connections interleave as the kernel completes them), as the seed shows.
const { run, inOrder } = require('./lib/harness');

const MESSAGES = { Dwarves: 'More Axes', Elves: 'More Arrows', Hobbits: 'More Pipe Weed' };

run(async ({ start, startPartner }) => {
  const server = startPartner([0]);
  const port = await server.listeningPort();
  await server.expect(`Server listening: {"address":"::","family":"IPv6","port":${port}}`);
  const client = start([port]);
  await client.exit();
  const lines = client.lines;

  // Client: "<name> Connected: " with its two address lines right after.
  const localPorts = {};
  for (const [name, msg] of Object.entries(MESSAGES)) {
    const i = lines.indexOf(`${name} Connected: `);
    if (i < 0) throw new Error(`no "${name} Connected: " in\n${lines.join('\n')}`);
    const m = lines[i + 1].match(/^\tlocal = 127\.0\.0\.1:(\d+)$/);
    if (!m || lines[i + 2] !== `\tremote = undefined:${port}`)
      throw new Error(`addresses of ${name}:\n${lines.slice(i, i + 3).join('\n')}`);
    localPorts[name] = Number(m[1]);
    inOrder(lines, [`${name} Connected: `, `${name} From Server: Sending: ${msg}`,
                    `${name} Client disconnected`]);
  }
  if (lines.filter((l) => l === 'Socket Closed').length !== 3 || lines.length !== 18)
    throw new Error(`client printed:\n${lines.join('\n')}`);

  // Server: each message with the byte counts, from the client's port.
  for (let i = 0; i < 3; i++) await server.waitFor(/^Remaining Connections: [0-3]$/);
  const sl = server.lines;
  for (const [name, msg] of Object.entries(MESSAGES)) {
    const i = sl.indexOf(`Received data from client on port ${localPorts[name]}: ${msg}`);
    if (i < 0 || sl[i + 1] !== ` Bytes received: ${msg.length}` ||
        sl[i + 2] !== ` Bytes sent: ${'Sending: '.length + msg.length}`)
      throw new Error(`server, ${name}:\n${sl.join('\n')}`);
    const j = sl.indexOf(`\tremote = undefined:${localPorts[name]}`);
    if (j < 2 || sl[j - 2] !== 'Client connection: ' ||
        sl[j - 1] !== `\tlocal = ::ffff:127.0.0.1:${port}`)
      throw new Error(`server, connection of ${name}:\n${sl.join('\n')}`);
  }
  sl.forEach((l, i) => {
    if (l === 'Client disconnected' && !/^Remaining Connections: [0-3]$/.test(sl[i + 1] || ''))
      throw new Error(`server, no count after a disconnection:\n${sl.join('\n')}`);
  });
  if (sl.length !== 1 + 9 + 9 + 6)
    throw new Error(`server printed:\n${sl.join('\n')}`);
  await server.kill();
});
