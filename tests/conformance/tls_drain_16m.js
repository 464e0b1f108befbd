// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
// 16 MiB written at once on a TLS socket just secure: write() returns
// false with all of it buffered, one 'drain' once the server has taken
// enough, then the write callback; the server gets every byte.
'use strict';
const tls = require('tls');
const fs = require('fs');
const { execFileSync } = require('child_process');
const { t } = require(__dirname + '/lib/trace');

execFileSync('sh', [__dirname + '/../tls/make-certs.sh', '.']);
const key = fs.readFileSync('server.key');
const cert = fs.readFileSync('server.pem');
const ca = fs.readFileSync('ca.pem');

const SIZE = 16 * 1024 * 1024;
let total = 0;
let drains = 0;
const server = tls.createServer({ key, cert }, (s) => {
  s.on('data', (d) => { total += d.length; });
  s.on('end', () => t('S end', total, total === SIZE));
  s.on('close', () => { t('S close'); server.close(); });
});
server.listen(0, '127.0.0.1', () => {
  const c = tls.connect({ port: server.address().port, host: '127.0.0.1', ca }, () => {
    const r = c.write(Buffer.alloc(SIZE, 'x'), (err) => t('C write cb', err, c.writableLength));
    t('C write', r, c.writableLength);
  });
  c.on('drain', () => {
    drains++;
    t('C drain', c.writableLength);
    c.end();
  });
  c.on('close', () => t('C close', drains));
});
