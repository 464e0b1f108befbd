// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
// Two connected clients destroyed in the same callback: their 'close'
// events come in the close phase of that turn, the socket destroyed last
// first (libuv's closing list is last in, first out).
'use strict';
const net = require('net');
const { t } = require(__dirname + '/lib/trace');

const server = net.createServer();
server.listen(0, '127.0.0.1', () => {
  let n = 0;
  const a = net.connect(server.address().port, '127.0.0.1', go);
  const b = net.connect(server.address().port, '127.0.0.1', go);
  a.on('close', (h) => t('a close', h));
  b.on('close', (h) => t('b close', h));
  function go() {
    if (++n < 2) return;
    a.destroy();
    b.destroy();
    t('destroyed');
    process.nextTick(() => t('tick'));
    setImmediate(() => t('immediate'));
    server.close();
  }
});
