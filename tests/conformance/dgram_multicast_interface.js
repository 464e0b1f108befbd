// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
// setMulticastInterface: an address of an interface, the wildcard, text
// that is no address, an IPv6 address on udp4, a missing argument.
'use strict';
const dgram = require('dgram');
const { tr } = require(__dirname + '/lib/dgram');

const s = dgram.createSocket('udp4');
s.bind(0, () => {
  tr('loopback', () => s.setMulticastInterface('127.0.0.1'));
  tr('any', () => s.setMulticastInterface('0.0.0.0'));
  tr('not an address', () => s.setMulticastInterface('nope'));
  tr('ipv6 on udp4', () => s.setMulticastInterface('::1'));
  tr('missing', () => s.setMulticastInterface());
  const s6 = dgram.createSocket('udp6');
  s6.bind(0, '::', () => {
    tr('udp6 any', () => s6.setMulticastInterface('::'));
    tr('udp6 ipv4', () => s6.setMulticastInterface('127.0.0.1'));
    s6.close();
    s.close();
  });
});
