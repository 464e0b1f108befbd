// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
// destroy(err): 'error' with the error given (code, message, no syscall)
// on a later tick, then 'close' with had_error true; a second destroy(err2)
// changes nothing. The peer sees 'end'.
'use strict';
const net = require('net');
const { t } = require(__dirname + '/lib/trace');

const server = net.createServer((s) => {
  s.write('hi');
  s.on('end', () => t('S end'));
  s.on('error', (err) => t('S error', err.code));
  s.on('close', (h) => { t('S close', h); server.close(); });
});
server.listen(0, '127.0.0.1', () => {
  const c = net.connect(server.address().port, '127.0.0.1');
  c.on('data', (d) => {
    t('C data', JSON.stringify(d.toString()));
    const err = new Error('boom');
    err.code = 'ECONNABORTED';
    c.destroy(err);
    t('C after destroy', c.destroyed, c.readyState);
    const err2 = new Error('second');
    err2.code = 'EPIPE';
    c.destroy(err2);
    process.nextTick(() => t('C tick after destroy'));
  });
  c.on('end', () => t('C end'));
  c.on('error', (err) => t('C error', err.code, err.message, err.syscall, c.destroyed));
  c.on('close', (h) => t('C close', h, c.readyState));
});
