// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
// Bind errors arrive as 'error' with Node's text: EADDRINUSE with the
// address and port, EINVAL for an IPv6 address on udp4 and for ipv6Only
// on udp4. After a failed bind the socket can bind again.
'use strict';
const dgram = require('dgram');
const { t } = require(__dirname + '/lib/trace');
const { tr, addr } = require(__dirname + '/lib/dgram');

const a = dgram.createSocket('udp4');
a.bind(0, '127.0.0.1', () => {
  const port = a.address().port;
  const b = dgram.createSocket('udp4');
  b.on('error', (e) => {
    t('b error', e.code, '|', e.message, '|', e.syscall, e.address, e.port === port);
    addr('b address after error', b.address());
    tr('b bind again', () => b.bind(0, '127.0.0.1', () => {
      t('b listening', b.address().port !== port);
      b.close();
      next();
    }));
  });
  b.bind(port, '127.0.0.1', () => t('never'));
});

function next() {
  const c = dgram.createSocket('udp4');
  c.on('error', (e) => {
    t('c error', e.code, '|', e.message, '|', e.syscall, e.address, e.port);
    tr('c address after error', () => c.address());
    c.close(() => last());
  });
  c.bind(0, '::1');
}

function last() {
  const d = dgram.createSocket({ type: 'udp4', ipv6Only: true });
  d.on('error', (e) => {
    t('d error', e.code, '|', e.message);
    d.close();
    a.close(() => t('done'));
  });
  d.bind(0);
}
