// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
// cork() twice needs uncork() twice: after one uncork() the writes stay
// buffered (no callback by the next immediate); end() uncorks fully and
// sends them with the FIN. Callbacks in order, then the end callback.
'use strict';
const net = require('net');
const { t } = require(__dirname + '/lib/trace');

const server = net.createServer((s) => {
  let got = '';
  s.on('data', (d) => { got += d; });
  s.on('end', () => t('S end', JSON.stringify(got)));
  s.on('close', () => server.close());
});
server.listen(0, '127.0.0.1', () => {
  const c = net.connect(server.address().port, '127.0.0.1', () => {
    c.cork();
    c.cork();
    c.write('x', (err) => t('C write cb x', err));
    c.write('yy', (err) => t('C write cb yy', err));
    c.uncork();
    t('C after one uncork', c.writableLength);
    setImmediate(() => {
      t('C immediate', c.writableLength);
      c.end('z', (err) => t('C end cb', err));
      t('C after end', c.writableLength);
    });
  });
  c.on('finish', () => t('C finish'));
  c.on('close', (h) => t('C close', h));
});
