// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
// destroy() without an error: destroyed and readyState "closed" at once, no
// 'end', 'finish' or 'error' on the destroyed socket, 'close' with
// had_error false after the current callback; the peer sees 'end'.
'use strict';
const net = require('net');
const { t } = require(__dirname + '/lib/trace');

const server = net.createServer((s) => {
  s.write('hi');
  s.on('end', () => t('S end', s.readyState));
  s.on('finish', () => t('S finish', s.readyState));
  s.on('error', (err) => t('S error', err.code));
  s.on('close', (h) => { t('S close', h, s.readyState); server.close(); });
});
server.listen(0, '127.0.0.1', () => {
  const c = net.connect(server.address().port, '127.0.0.1');
  c.on('data', (d) => {
    t('C data', JSON.stringify(d.toString()));
    c.destroy();
    t('C after destroy', c.destroyed, c.readyState, c.writable, c.readable, c.pending);
    process.nextTick(() => t('C tick after destroy'));
    c.destroy();
    t('C after second destroy', c.destroyed);
  });
  c.on('end', () => t('C end'));
  c.on('finish', () => t('C finish'));
  c.on('error', (err) => t('C error', err.code));
  c.on('close', (h) => t('C close', h, c.readyState, c.destroyed));
});
