// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
// The option setters on a bound socket: their return values (setTTL and
// setMulticastTTL return the ttl, setMulticastLoopback its flag) and their
// range errors in Node's words.
'use strict';
const dgram = require('dgram');
const { t } = require(__dirname + '/lib/trace');
const { tr } = require(__dirname + '/lib/dgram');

function run(type, address, done) {
  const s = dgram.createSocket(type);
  s.bind(0, address, () => {
    t(type);
    t('setTTL 128 returns', tr('setTTL 128', () => s.setTTL(128)));
    t('setTTL 1 returns', tr('setTTL 1', () => s.setTTL(1)));
    t('setTTL 255 returns', tr('setTTL 255', () => s.setTTL(255)));
    tr('setTTL 0', () => s.setTTL(0));
    tr('setTTL 256', () => s.setTTL(256));
    tr('setTTL 1000', () => s.setTTL(1000));
    t('setMulticastTTL 0 returns', tr('setMulticastTTL 0', () => s.setMulticastTTL(0)));
    t('setMulticastTTL 128 returns', tr('setMulticastTTL 128', () => s.setMulticastTTL(128)));
    tr('setMulticastTTL 256', () => s.setMulticastTTL(256));
    tr('setMulticastTTL -1', () => s.setMulticastTTL(-1));
    t('setMulticastLoopback true returns', tr('setMulticastLoopback true', () => s.setMulticastLoopback(true)));
    t('setMulticastLoopback false returns', tr('setMulticastLoopback false', () => s.setMulticastLoopback(false)));
    t('setBroadcast true returns', tr('setBroadcast true', () => s.setBroadcast(true)));
    t('setBroadcast false returns', tr('setBroadcast false', () => s.setBroadcast(false)));
    s.close(done);
  });
}
run('udp4', '127.0.0.1', () => run('udp6', '::1', () => t('done')));
