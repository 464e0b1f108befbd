// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
// connect(port, address, cb) on an unbound socket: implicit bind, then
// 'connect' (a listener added before comes first), remoteAddress(), sends
// without an address (callback one tick later), replies from the peer.
'use strict';
const dgram = require('dgram');
const { t } = require(__dirname + '/lib/trace');
const { tr, addr } = require(__dirname + '/lib/dgram');

let c;
const server = dgram.createSocket('udp4', (msg, ri) => {
  t('server message', JSON.stringify(msg.toString()), ri.port === c.address().port);
  server.send('re:' + msg, ri.port, ri.address);
});
server.bind(0, '127.0.0.1', () => {
  const port = server.address().port;
  c = dgram.createSocket('udp4', (msg, ri) => {
    t('client message', JSON.stringify(msg.toString()), ri.port === port);
    if (msg.toString() === 're:second') { c.close(); server.close(); }
  });
  c.on('listening', () => t('listening'));
  c.on('connect', () => t('connect event'));
  tr('connect', () => c.connect(port, '127.0.0.1', () => {
    t('connect cb');
    const r = c.remoteAddress();
    t('remote', r.address, r.family, r.port === port);
    addr('local', { ...c.address(), port: 0 });
    process.nextTick(() => t('tick 1'));
    tr('send', () => c.send('first', (e, n) => t('first cb', e, n)));
    process.nextTick(() => t('tick 2'));
    tr('send range', () => c.send(Buffer.from('xsecondx'), 1, 6, (e, n) => t('second cb', e, n)));
  }));
  tr('remoteAddress while connecting', () => c.remoteAddress());
});
