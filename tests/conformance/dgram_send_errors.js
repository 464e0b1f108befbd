// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
// send()'s errors: bad ports throw ERR_SOCKET_BAD_PORT (0, 65536, -1);
// EMSGSIZE and an IPv6 address on udp4 go to the callback with Node's
// text (undefined where the address was omitted), or nowhere without one.
'use strict';
const dgram = require('dgram');
const { t } = require(__dirname + '/lib/trace');
const { tr, err } = require(__dirname + '/lib/dgram');

const s = dgram.createSocket('udp4');
tr('port 0', () => s.send('x', 0, '127.0.0.1'));
tr('port 65536', () => s.send('x', 65536, '127.0.0.1'));
tr('port -1', () => s.send('x', -1, '127.0.0.1'));
s.bind(0, '127.0.0.1', () => {
  const port = s.address().port;
  const big = Buffer.alloc(65508);
  tr('big', () => s.send(big, port, '127.0.0.1', (e, n) => { err('big cb', e); t('bytes', n); }));
  tr('big no address', () => s.send(big, port, (e, n) => err('big no address cb', e)));
  tr('big no callback', () => s.send(big, port, '127.0.0.1'));
  tr('ipv6 on udp4', () => s.send('x', port, '::1', (e) => { err('ipv6 cb', e); t('ipv6 fields', e.syscall, e.address, e.port === port); }));
  tr('ipv6 no callback', () => s.send('x', port, '::1'));
  tr('biggest', () => s.send(Buffer.alloc(65507), port, '127.0.0.1', (e, n) => t('biggest cb', e, n)));
  s.on('message', (m) => { t('message', m.length); s.close(); });
});
