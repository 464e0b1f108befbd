// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
// A TLS exchange, TLS 1.3 then 1.2: 'connect', 'secureConnect' with the
// protocol, authorization and ALPN choice, the server's
// 'secureConnection', a write made before the handshake, then end() on
// both sides: 'end', 'finish' and 'close' in Node's order. The next round
// starts once both sockets closed.
'use strict';
const tls = require('tls');
const fs = require('fs');
const { execFileSync } = require('child_process');
const { t } = require(__dirname + '/lib/trace');

execFileSync('sh', [__dirname + '/../tls/make-certs.sh', '.']);
const key = fs.readFileSync('server.key');
const cert = fs.readFileSync('server.pem');
const ca = fs.readFileSync('ca.pem');

function round(maxVersion, next) {
  let closes = 0;
  const closed = () => { if (++closes === 2) server.close(next); };
  const server = tls.createServer({ key, cert, maxVersion, ALPNProtocols: ['h2', 'http/1.1'] },
    (s) => {
      t('S secureConnection', s.getProtocol(), s.alpnProtocol, s.authorized);
      s.on('data', (d) => t('S data', d.toString()));
      s.on('end', () => t('S end'));
      s.on('finish', () => t('S finish'));
      s.on('close', () => { t('S close'); closed(); });
    });
  server.listen(0, '127.0.0.1', () => {
    const c = tls.connect({ port: server.address().port, host: '127.0.0.1', ca,
                            ALPNProtocols: ['x', 'http/1.1'] }, () => {
      t('C secureConnect', c.getProtocol(), c.authorized, c.authorizationError,
        c.alpnProtocol, c.getCipher().version);
      c.end('bye');
    });
    c.write('early');
    c.on('connect', () => t('C connect'));
    c.on('data', (d) => t('C data', d.toString()));
    c.on('end', () => t('C end'));
    c.on('finish', () => t('C finish'));
    c.on('close', (e) => { t('C close', e); closed(); });
  });
}

round('TLSv1.3', () => round('TLSv1.2', () => t('done')));
