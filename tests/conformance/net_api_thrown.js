// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
// What Node throws from inside a call, as code, class (err.name) and
// message: cnet returns the code and keeps the rest for cnet_last_error().
'use strict';
const net = require('net');
const dgram = require('dgram');
const { t } = require(__dirname + '/lib/trace');

function thrown(label, fn) {
  try {
    fn();
    t(label, 'no throw');
  } catch (e) {
    t(label, e.code, e.name, e.message);
  }
}

thrown('connect {}', () => net.connect({}));
thrown('connect host only', () => net.connect({ host: '127.0.0.1' }));
thrown('connect port 70000', () => net.connect({ port: 70000 }));
thrown('connect bad localAddress', () =>
  net.connect({ port: 80, localAddress: 'x' }));
const s = new net.Socket();
thrown('setEncoding', () => s.setEncoding('utf-9'));
thrown('write encoding', () => s.write('x', 'utf-9'));
s.destroy();
const srv = net.createServer();
thrown('listen 70000', () => srv.listen({ port: 70000 }));
thrown('listen path empty', () => srv.listen({ path: '' }));
thrown('createSocket udp5', () => dgram.createSocket('udp5'));
const u = dgram.createSocket('udp4');
thrown('setTTL unbound', () => u.setTTL(1));
u.close();
thrown('send after close', () => u.send('x', 9, '127.0.0.1'));
