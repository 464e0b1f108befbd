// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
// net.SocketAddress: construction with Node's validation and defaults, then
// the canonical text of generated IPv6 and IPv4 addresses. Each line is the
// options and either the resulting {address, port, family, flowlabel} or
// the error code.
'use strict';
const { SocketAddress } = require('net');
const { trace } = require('./lib/trace');

// [address, port, family, flowlabel]; undefined leaves the option out.
// cnet's family is a number: undefined is 0, 'ipv5' stands for a family
// Node rejects (cnet: 5).
const u = undefined;
const cases = [
  [u, u, u, u],
  [u, u, 'ipv4', u],
  [u, u, 'ipv6', u],
  ['1.2.3.4', 80, u, u],
  ['1.2.3.4', 0, 'ipv4', u],
  ['1.2.3.4', 65535, 'ipv4', u],
  ['1.2.3.4', 65536, 'ipv4', u],
  ['1.2.3.4', -1, 'ipv4', u],
  ['::1', 443, 'ipv6', u],
  ['::1', 443, 'ipv4', u],
  ['1.2.3.4', 443, 'ipv6', u],
  ['1.2.3.4', 0, 'ipv5', u],
  ['x', 0, 'ipv5', u],
  ['x', 70000, 'ipv4', u],
  ['x', 70000, 'ipv5', u],
  ['::', 0, 'ipv6', 0xfffff],
  ['::', 0, 'ipv6', 1],
  ['1.2.3.4', 0, 'ipv4', 5],
  ['1.2.3.4', 0, 'ipv4', 0xffffffff],
  [u, 8080, 'ipv6', 12345],
  ['', 0, 'ipv4', u],
  ['', 0, 'ipv6', u],
  ['01.2.3.4', 0, 'ipv4', u],
  ['1.2.3.4 ', 0, 'ipv4', u],
  ['1.2.3', 0, 'ipv4', u],
  ['256.1.1.1', 0, 'ipv4', u],
  ['255.255.255.255', 1, 'ipv4', u],
  ['0.0.0.0', 1, 'ipv4', u],
  ['localhost', 0, 'ipv4', u],
  ['::FFFF:1.2.3.4', 0, 'ipv6', u],
  ['::1.2.3.4', 0, 'ipv6', u],
  ['::ffff:0:0', 0, 'ipv6', u],
  ['::ffff:ffff:ffff', 0, 'ipv6', u],
  ['0:0:0:0:0:ffff:0:1', 0, 'ipv6', u],
  ['0:0:0:0:0:fffe:0:1', 0, 'ipv6', u],
  ['0:0:0:0:0:0:0:1', 0, 'ipv6', u],
  ['0:0:0:0:0:0:0:0', 0, 'ipv6', u],
  ['0:0:0:0:0:0:1:0', 0, 'ipv6', u],
  ['0:0:0:0:0:0:0.0.0.2', 0, 'ipv6', u],
  ['::0.1.0.0', 0, 'ipv6', u],
  ['1:0:0:1:0:0:0:1', 0, 'ipv6', u],
  ['1:0:0:0:1:0:0:1', 0, 'ipv6', u],
  ['0:0:1:0:0:1:0:0', 0, 'ipv6', u],
  ['1:0:1:1:1:1:1:1', 0, 'ipv6', u],
  ['1:1:1:1:1:1:1:0', 0, 'ipv6', u],
  ['1:0:0:0:0:0:0:0', 0, 'ipv6', u],
  ['ABCD:EF01:2345:6789:ABCD:EF01:2345:6789', 0, 'ipv6', u],
  ['2001:0db8:0000:0000:0000:0000:1428:57ab', 0, 'ipv6', u],
  ['fe80::1%lo', 0, 'ipv6', u],
  ['fe80::1%', 0, 'ipv6', u],
  ['fe80::1%@@', 0, 'ipv6', u],
  ['fe80::1%1', 0, 'ipv6', u],
  ['1111:2222:3333:4444:5555:6666:7777:88889%x', 0, 'ipv6', u],
  ['1111:2222:3333:4444:5555:6666:7777:8888:9%x', 0, 'ipv6', u],
  ['::ffff:255.255.255.255%x', 0, 'ipv6', u],
  ['0000:0000:0000:0000:0000:ffff:255.255.255.255%x', 0, 'ipv6', u],
  ['1::2::3', 0, 'ipv6', u],
  [':::', 0, 'ipv6', u],
  ['::1 ', 0, 'ipv6', u],
  ['[::1]', 0, 'ipv6', u],
];

const show = (v) => (v === undefined ? '-' : v === '' ? '""' : String(v));

for (const [address, port, family, flowlabel] of cases) {
  const opts = {};
  if (address !== undefined) opts.address = address;
  if (port !== undefined) opts.port = port;
  if (family !== undefined) opts.family = family;
  if (flowlabel !== undefined) opts.flowlabel = flowlabel;
  let r;
  try {
    const sa = new SocketAddress(opts);
    r = `${sa.address} ${sa.port} ${sa.family} ${sa.flowlabel}`;
  } catch (err) {
    r = err.code;
  }
  trace('sa', show(address), show(port), show(family), show(flowlabel),
        '=>', r);
}

// Generated addresses: groups drawn from zero (often), 1, ffff and random
// values, written out in full; Node prints them in canonical form.
let state = 2463534242;
function next() {
  state ^= state << 13; state >>>= 0;
  state ^= state >>> 17;
  state ^= state << 5; state >>>= 0;
  return state;
}
for (let n = 0; n < 3000; n++) {
  const groups = [];
  for (let g = 0; g < 8; g++) {
    const k = next() % 8;
    groups.push(k < 4 ? 0 : k === 4 ? 1 : k === 5 ? 0xffff : next() % 0x10000);
  }
  const text = groups.map((g) => g.toString(16)).join(':');
  trace('v6', text, new SocketAddress({ address: text, family: 'ipv6' }).address);
}
for (let n = 0; n < 500; n++) {
  const text = [next() % 256, next() % 256, next() % 256, next() % 256].join('.');
  trace('v4', text, new SocketAddress({ address: text }).address);
}
