// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
// addSourceSpecificMembership / dropSourceSpecificMembership: join, leave,
// leave twice, and the errors for bad sources, groups and mixed families.
'use strict';
const dgram = require('dgram');
const { tr } = require(__dirname + '/lib/dgram');

const s = dgram.createSocket('udp4');
s.bind(0, () => {
  tr('add', () => s.addSourceSpecificMembership('127.0.0.1', '232.1.1.1', '127.0.0.1'));
  tr('add twice', () => s.addSourceSpecificMembership('127.0.0.1', '232.1.1.1', '127.0.0.1'));
  tr('add other source', () => s.addSourceSpecificMembership('127.0.0.2', '232.1.1.1', '127.0.0.1'));
  tr('drop', () => s.dropSourceSpecificMembership('127.0.0.1', '232.1.1.1', '127.0.0.1'));
  tr('drop other source', () => s.dropSourceSpecificMembership('127.0.0.2', '232.1.1.1', '127.0.0.1'));
  tr('drop twice', () => s.dropSourceSpecificMembership('127.0.0.1', '232.1.1.1', '127.0.0.1'));
  tr('bad source', () => s.addSourceSpecificMembership('x', '232.1.1.1'));
  tr('bad group', () => s.addSourceSpecificMembership('127.0.0.1', 'y'));
  tr('ipv6 source ipv4 group', () => s.addSourceSpecificMembership('::1', '232.1.1.1'));
  tr('bad interface', () => s.addSourceSpecificMembership('127.0.0.1', '232.1.1.1', 'zz'));
  tr('missing source', () => s.addSourceSpecificMembership(undefined, '232.1.1.1'));
  tr('missing group', () => s.dropSourceSpecificMembership('127.0.0.1'));
  s.close();
});
