// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
// socket.allowHalfOpen, readableEncoding, server and errored, and
// destroy(new Error('boom')): an error with a message and no code.
'use strict';
const net = require('net');
const { t } = require(__dirname + '/lib/trace');

const srv = net.createServer({ allowHalfOpen: true }, (c) => {
  t('accepted allowHalfOpen', c.allowHalfOpen, 'server', c.server === srv);
  c.on('error', (e) => t('accepted error', e.code, e.name, e.message));
  c.on('close', (h) => {
    t('accepted close', h, 'errored', c.errored && c.errored.message);
    srv.close(() => t('server closed'));
  });
  c.destroy(new Error('boom'));
});
srv.listen(0, '127.0.0.1', () => {
  const s = new net.Socket();
  t('client allowHalfOpen', s.allowHalfOpen, 'encoding', s.readableEncoding,
    'server', s.server === undefined ? null : s.server, 'errored', s.errored);
  s.setEncoding('binary');
  t('encoding', s.readableEncoding);
  s.setEncoding('UTF-8');
  t('encoding', s.readableEncoding);
  s.on('error', (e) => t('client error', e.code));
  s.on('close', () => t('client close errored', s.errored));
  s.connect(srv.address().port, '127.0.0.1');
  s.resume();
});
