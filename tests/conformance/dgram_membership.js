// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
// addMembership / dropMembership on the loopback interface: joining,
// joining twice, leaving, leaving twice, bad groups and interfaces, a
// missing group, an IPv6 group on udp4.
'use strict';
const dgram = require('dgram');
const { tr } = require(__dirname + '/lib/dgram');

const s = dgram.createSocket('udp4');
s.bind(0, () => {
  const G = '230.185.192.108';
  tr('add', () => s.addMembership(G, '127.0.0.1'));
  tr('add twice', () => s.addMembership(G, '127.0.0.1'));
  tr('drop', () => s.dropMembership(G, '127.0.0.1'));
  tr('drop twice', () => s.dropMembership(G, '127.0.0.1'));
  tr('add empty', () => s.addMembership(''));
  tr('drop empty', () => s.dropMembership(''));
  tr('add unicast', () => s.addMembership('1.2.3.4', '127.0.0.1'));
  tr('add name', () => s.addMembership('nope', '127.0.0.1'));
  tr('add bad interface', () => s.addMembership(G, 'xx'));
  tr('add ipv6 interface', () => s.addMembership(G, '::1'));
  tr('add ipv6 group', () => s.addMembership('ff02::1'));
  tr('add second group', () => s.addMembership('230.185.192.109', '127.0.0.1'));
  tr('drop second group', () => s.dropMembership('230.185.192.109', '127.0.0.1'));
  s.close();
});
