// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
// dns.lookup: the answers for local names, IP literals and empty names
// (address, family; all: true arrays), its errors (code, errno, syscall,
// hostname, message), and when the callback runs: an IP literal answers
// on the next tick, in order with other ticks, before any immediate.
// Lookups run one after the other, so the trace does not depend on which
// worker thread finishes first.
'use strict';
const dns = require('dns');
const { t } = require(__dirname + '/lib/trace');

const longLabel = 'x'.repeat(64) + '.invalid';
const cases = [
  ['localhost', 'localhost', {}],
  ['localhost-all', 'localhost', { all: true }],
  ['localhost-4', 'localhost', { family: 4 }],
  ['localhost-6', 'localhost', { family: 6 }],
  ['localhost-6-all', 'localhost', { family: 6, all: true }],
  ['localhost-6-v4mapped', 'localhost', { family: 6, hints: dns.V4MAPPED }],
  ['localhost-ipv4first', 'localhost', { all: true, order: 'ipv4first' }],
  ['localhost-ipv6first', 'localhost', { all: true, order: 'ipv6first' }],
  ['127.0.0.1', '127.0.0.1', {}],
  ['127.0.0.1-all-6', '127.0.0.1', { all: true, family: 6 }],
  ['::1', '::1', {}],
  ['::1-4', '::1', { family: 4 }],
  ['127.1', '127.1', {}],
  ['empty', '', {}],
  ['empty-6', '', { family: 6 }],
  ['empty-all', '', { all: true }],
  ['nosuchhost', 'nosuchhost.invalid', {}],
  ['nosuchhost-all', 'nosuchhost.invalid', { all: true }],
  ['long-label', longLabel, {}],
];

function show(label, err, address, family) {
  if (err) {
    t(label, 'error', err.code, err.errno, err.syscall, err.hostname,
      err.message);
  } else if (Array.isArray(address)) {
    t(label, 'all', address.length,
      ...address.map((a) => `${a.address}/${a.family}`));
  } else {
    t(label, address === null ? 'null' : address, family);
  }
}

function run(i) {
  if (i === cases.length) return t('done');
  const [label, host, options] = cases[i];
  dns.lookup(host, options, (err, address, family) => {
    show(label, err, address, family);
    run(i + 1);
  });
}

setImmediate(() => {
  t('immediate');
  run(0);
});
process.nextTick(() => t('tick a'));
dns.lookup('127.0.0.1', (err, address, family) => t('lookup', address, family));
process.nextTick(() => t('tick b'));
t('sync');
