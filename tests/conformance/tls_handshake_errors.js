// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
// Handshakes under the context's options, and the codes each side
// reports when they fail: plain HTTP and bytes that are no TLS at a TLS
// server, versions that do not meet, no cipher in common (TLS 1.2 and
// 1.3, and a server left with none), the protocol and cipher a server's
// ciphers option gives, the server's cipher order or the client's
// (honorCipherOrder), ecdhCurve (the group the client sees; none in
// common), the client's sigalgs (what the server shares; none it can
// sign with), secureOptions without TLS 1.3, and a client's crl (a
// server certificate on it, and one that is not), a server's key and
// certificate from a PKCS#12 file (pfx). Each case traces the
// server's side, then the client's, once both are over (the two sides'
// order between them is not Node's to keep).
'use strict';
const crypto = require('crypto');
const tls = require('tls');
const net = require('net');
const fs = require('fs');
const { execFileSync } = require('child_process');
const { t } = require(__dirname + '/lib/trace');

execFileSync('sh', [__dirname + '/../tls/make-certs.sh', '.']);
const read = (f) => fs.readFileSync(f, 'latin1');
const ca = read('ca.pem');
const AES128_FIRST = 'ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384';
const AES256_FIRST = 'ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-ECDSA-AES128-GCM-SHA256';
const cases = [
  ['http', {}, 'GET / HTTP/1.1\r\nHost: localhost\r\n\r\n'],
  ['not tls', {}, 'A'.repeat(64)],
  ['client max 1.2, server min 1.3', { minVersion: 'TLSv1.3' }, { maxVersion: 'TLSv1.2' }],
  ['client min 1.3, server max 1.2', { maxVersion: 'TLSv1.2' }, { minVersion: 'TLSv1.3' }],
  ['no shared cipher, 1.2', { ciphers: 'ECDHE-ECDSA-AES256-GCM-SHA384', maxVersion: 'TLSv1.2' },
   { ciphers: 'ECDHE-ECDSA-AES128-GCM-SHA256' }],
  ['no shared suite, 1.3', { ciphers: 'TLS_AES_256_GCM_SHA384' },
   { ciphers: 'TLS_AES_128_GCM_SHA256' }],
  ['server has no cipher', { ciphers: 'TLS_AES_128_GCM_SHA256', maxVersion: 'TLSv1.2' }, {}],
  ['server 1.2 ciphers only', { ciphers: 'ECDHE-ECDSA-AES128-GCM-SHA256' }, {}],
  ['server 1.3 suite only', { ciphers: 'TLS_AES_128_GCM_SHA256' }, {}],
  ['both 1.2, cipher given', { ciphers: 'ECDHE-ECDSA-AES256-GCM-SHA384' }, { maxVersion: 'TLSv1.2' }],
  ['server order, the default', { ciphers: AES128_FIRST, maxVersion: 'TLSv1.2' },
   { ciphers: AES256_FIRST }],
  ['client order', { ciphers: AES128_FIRST, maxVersion: 'TLSv1.2', honorCipherOrder: false },
   { ciphers: AES256_FIRST }],
  ['server curve P-256', { ecdhCurve: 'P-256' }, {}],
  ['no shared group', { ecdhCurve: 'X25519' }, { ecdhCurve: 'P-384' }],
  ['client sigalgs', {}, { sigalgs: 'ECDSA+SHA384' }],
  ['client sigalgs, shared', {}, { sigalgs: 'ECDSA+SHA256:RSA-PSS+SHA256' }],
  ['server without TLS 1.3', { secureOptions: crypto.constants.SSL_OP_NO_TLSv1_3 }, {}],
  ['revoked', { key: read('revoked.key'), cert: read('revoked.pem') }, { crl: read('ca.crl') }],
  ['not revoked', {}, { crl: read('ca.crl') }],
  ['server pfx', { key: undefined, cert: undefined, pfx: fs.readFileSync('server.pfx'),
                   passphrase: 'secret' }, {}],
];

function run(i) {
  if (i === cases.length) return t('done');
  const [name, sopts, copts] = cases[i];
  const s = [], c = [];
  let pending = 2;
  const next = () => {
    if (--pending) return;
    server.close(() => {
      t('case', name);
      for (const line of s) t('S', ...line);
      for (const line of c) t('C', ...line);
      run(i + 1);
    });
  };
  const server = tls.createServer({ key: read('server.key'), cert: read('server.pem'), ...sopts },
                                  (so) => {
    s.push(['secureConnection', so.getProtocol(), so.getCipher().name,
            so.getSharedSigalgs().join(':')]);
    so.on('close', next);
    so.end();
  });
  server.on('tlsClientError', (e) => { s.push(['tlsClientError', e.code]); next(); });
  server.listen(0, '127.0.0.1', () => {
    const port = server.address().port;
    let k;
    if (typeof copts === 'string') {
      k = net.connect(port, '127.0.0.1', () => k.write(copts));
      k.on('data', () => {});
    } else {
      k = tls.connect({ port, host: '127.0.0.1', ca, ...copts }, () => {
        const eph = k.getEphemeralKeyInfo();
        c.push(['secureConnect', k.getProtocol(), k.getCipher().name, eph.name, eph.size,
                k.authorized]);
      });
      k.on('data', () => {});
    }
    k.on('error', (e) => c.push(['error', e.code]));
    k.on('close', () => { c.push(['close']); next(); });
  });
}
run(0);
