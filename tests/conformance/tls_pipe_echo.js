// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
// TLS 1.3 then 1.2: the client end()s with 1 MiB and a server pipes the
// socket into itself (s.pipe(s)); or, with "half", a server that allows
// half-open connections counts the bytes and answers inside 'end'. What
// each side received, and 'end', 'finish' and 'close' on both sides in
// Node's order.
'use strict';
const tls = require('tls');
const fs = require('fs');
const { execFileSync } = require('child_process');
const { t } = require(__dirname + '/lib/trace');

execFileSync('sh', [__dirname + '/../tls/make-certs.sh', '.']);
const key = fs.readFileSync('server.key');
const cert = fs.readFileSync('server.pem');
const ca = fs.readFileSync('ca.pem');

function round(maxVersion, half, next) {
  t('round', maxVersion, half ? 'half-open' : 'pipe');
  let closes = 0;
  const closed = () => { if (++closes === 2) server.close(next); };
  const server = tls.createServer({ key, cert, maxVersion, allowHalfOpen: half }, (s) => {
    let n = 0;
    if (half) {
      s.on('data', (d) => { n += d.length; });
      s.on('end', () => { t('S end', n); s.end('got ' + n); });
    } else {
      s.pipe(s);
      s.on('end', () => t('S end'));
    }
    s.on('finish', () => t('S finish'));
    s.on('close', () => { t('S close'); closed(); });
  });
  server.listen(0, '127.0.0.1', () => {
    const c = tls.connect({ port: server.address().port, host: '127.0.0.1', ca,
                            allowHalfOpen: half }, () => {
      t('C secureConnect');
      c.end(Buffer.alloc(1 << 20, 'x'));
    });
    let n = 0;
    c.on('data', (d) => { n += d.length; });
    c.on('end', () => t('C end', n));
    c.on('finish', () => t('C finish'));
    c.on('close', (e) => { t('C close', e); closed(); });
  });
}

round('TLSv1.3', false, () => round('TLSv1.2', false, () =>
  round('TLSv1.3', true, () => round('TLSv1.2', true, () => t('done')))));
