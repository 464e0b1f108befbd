// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
'use strict';
// tcp_server_listen_retry: while the port is taken, "Address in use,
// retrying..." once a second; once it is free, the retry listens.
const net = require('net');
const { run } = require('./lib/harness');

run(async ({ start }) => {
  const blocker = net.createServer();
  await new Promise((r) => blocker.listen(0, '127.0.0.1', r));
  const port = blocker.address().port;
  // Measured from before the start: the program's first retry timer
  // starts later, so the wait is never shorter than the program's.
  const t0 = Date.now();
  const prog = start([port, '127.0.0.1']);
  await prog.expect('Address in use, retrying...');
  await prog.expect('Address in use, retrying...');
  if (Date.now() - t0 < 800) throw new Error(`retried after ${Date.now() - t0} ms`);
  await new Promise((r) => blocker.close(r));
  await prog.expect(`listening on { address: '127.0.0.1', family: 'IPv4', port: ${port} }`);
  await new Promise((resolve, reject) => {
    const c = net.connect(port, '127.0.0.1', () => { c.destroy(); resolve(); });
    c.on('error', reject);
  });
  prog.noMoreLines();
  await prog.kill();
});
