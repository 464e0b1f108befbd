// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
// setTimeout(0) disables the idle timeout and removes the callback given
// with it; a later setTimeout(ms) arms it again.
'use strict';
const net = require('net');
const { t } = require(__dirname + '/lib/trace');

const server = net.createServer((s) => s.on('close', () => server.close()));
server.listen(0, '127.0.0.1', () => {
  const c = net.connect(server.address().port, '127.0.0.1', () => {
    const cb = () => t('C cb (never)');
    c.setTimeout(30, cb);
    t('C set 30', c.timeout, c.listenerCount('timeout'));
    c.setTimeout(0, cb);
    t('C set 0', c.timeout, c.listenerCount('timeout'));
    // Several idle periods of 30 ms: nothing may fire.
    setTimeout(() => {
      t('C quiet', c.readyState);
      c.setTimeout(30, () => t('C cb'));
    }, 120);
  });
  c.on('timeout', () => {
    t('C timeout', c.timeout);
    c.end();
  });
  c.on('close', (h) => t('C close', h));
});
