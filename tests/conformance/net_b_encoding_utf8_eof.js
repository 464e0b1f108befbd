// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
// setEncoding('utf8') and a character cut off by the peer's FIN: the
// decoder's leftover comes out as U+FFFD in a last 'data', before 'end'.
'use strict';
const net = require('net');
const { t } = require(__dirname + '/lib/trace');

const server = net.createServer((s) => {
  s.end(Buffer.from('61e282', 'hex'));
  s.on('close', () => server.close());
});
server.listen(0, '127.0.0.1', () => {
  const c = net.connect(server.address().port, '127.0.0.1');
  c.setEncoding('utf8');
  c.on('data', (d) => t('C data', JSON.stringify(d), Buffer.from(d).toString('hex')));
  c.on('end', () => t('C end', c.bytesRead));
  c.on('close', (h) => t('C close', h));
});
