// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
// net.connect({highWaterMark}): the new socket's writable mark, given
// (1234, and 0, which is a mark too) and not (16 KiB).
'use strict';
const net = require('net');
const { t } = require(__dirname + '/lib/trace');

const server = net.createServer((s) => s.destroy());
server.listen(0, '127.0.0.1', () => {
  const port = server.address().port;
  for (const [name, opts] of [['1234', { highWaterMark: 1234 }], ['0', { highWaterMark: 0 }],
                              ['none', {}]]) {
    const c = net.connect({ port, host: '127.0.0.1', ...opts });
    t('highWaterMark', name, c.writableHighWaterMark);
    c.destroy();
  }
  server.close(() => t('closed'));
});
