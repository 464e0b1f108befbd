// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
// udp6 on ::1: bind, address(), a datagram to itself with an IPv6 rinfo,
// connect; ipv6Only; an IPv4 address on udp6 fails as Node's send6 does.
'use strict';
const dgram = require('dgram');
const { t } = require(__dirname + '/lib/trace');
const { tr, addr, err } = require(__dirname + '/lib/dgram');

const s = dgram.createSocket('udp6');
t('type', s.type);
s.bind(0, '::1', () => {
  const port = s.address().port;
  addr('address', { ...s.address(), port: 0 });
  s.once('message', (msg, ri) => {
    t('message', JSON.stringify(msg.toString()), ri.address, ri.family, ri.port === port, ri.size);
    s.send('v4', port, '127.0.0.1', (e) => {
      err('ipv4 on udp6 cb', e);
      const c = dgram.createSocket('udp6', (m, r) => {
        t('c message', JSON.stringify(m.toString()), r.address, r.family, r.port === port);
        c.close();
        only();
      });
      c.connect(port, '::1', () => {
        const r = c.remoteAddress();
        t('remote', r.address, r.family, r.port === port);
        c.send('hello over v6');
      });
      s.on('message', (m, r) => s.send('re:' + m, r.port, r.address));
    });
  });
  s.send('six', port, '::1', (e, n) => t('send cb', e, n));
});

function only() {
  const o = dgram.createSocket({ type: 'udp6', ipv6Only: true });
  o.bind(0, () => {
    addr('ipv6Only address', { ...o.address(), port: 0 });
    o.close();
    s.close(() => t('closed'));
  });
}
