// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
// A connected socket's send error: Node's ExceptionWithHostPort gets
// neither address nor port (both undefined), so the message is the call
// and the code alone ("send EMSGSIZE"), and err.address and err.port are
// undefined. The socket still sends after it.
'use strict';
const dgram = require('dgram');
const { t } = require(__dirname + '/lib/trace');
const { tr, err } = require(__dirname + '/lib/dgram');

const server = dgram.createSocket('udp4', (msg) => {
  t('server message', msg.length);
  c.close();
  server.close();
});
const c = dgram.createSocket('udp4');
server.bind(0, '127.0.0.1', () => {
  tr('connect', () => c.connect(server.address().port, '127.0.0.1', () => {
    tr('big', () => c.send(Buffer.alloc(65508), (e, n) => {
      err('big cb', e);
      t('fields', e.errno, e.syscall, e.address, e.port, n);
      tr('small', () => c.send('x', (e2, n2) => t('small cb', e2, n2)));
    }));
  }));
});
