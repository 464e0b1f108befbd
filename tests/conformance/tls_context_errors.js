// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
// tls.createSecureContext's options that it refuses or takes: ciphers
// (TLS 1.2's, TLS 1.3's, both, none, unknown), versions, keys and
// certificates that do not read or match, an encrypted key with and
// without its passphrase, CAs with no certificate in them, ecdhCurve,
// sigalgs, crl and pfx. Each case traces "ok" or the error's class, code and
// message.
'use strict';
const tls = require('tls');
const fs = require('fs');
const { execFileSync } = require('child_process');
const { t } = require(__dirname + '/lib/trace');

execFileSync('sh', [__dirname + '/../tls/make-certs.sh', '.']);
execFileSync('openssl', ['pkey', '-in', 'server.key', '-aes256', '-passout', 'pass:secret',
                         '-out', 'encrypted.key']);
const read = (f) => fs.readFileSync(f, 'latin1');
const server = { key: read('server.key'), cert: read('server.pem') };
const cases = [
  ['tls12 cipher', { ciphers: 'ECDHE-ECDSA-AES128-GCM-SHA256' }],
  ['tls13 suite', { ciphers: 'TLS_AES_128_GCM_SHA256' }],
  ['both', { ciphers: 'TLS_CHACHA20_POLY1305_SHA256:ECDHE-ECDSA-AES128-GCM-SHA256' }],
  ['empty', { ciphers: '' }],
  ['colons', { ciphers: ':' }],
  ['unknown cipher', { ciphers: 'nonsense' }],
  ['unknown suite', { ciphers: 'TLS_nonsense' }],
  ['unknown suite, known cipher', { ciphers: 'ECDHE-ECDSA-AES128-GCM-SHA256:TLS_nonsense' }],
  ['tls13 suite, max 1.2', { ciphers: 'TLS_AES_128_GCM_SHA256', maxVersion: 'TLSv1.2' }],
  ['min TLSv1', { minVersion: 'TLSv1' }],
  ['min TLSv1.1', { minVersion: 'TLSv1.1' }],
  ['min TLSv1.9', { minVersion: 'TLSv1.9' }],
  ['max x', { maxVersion: 'x' }],
  ['min above max', { minVersion: 'TLSv1.3', maxVersion: 'TLSv1.2' }],
  ['key garbage', { key: 'garbage', cert: server.cert }],
  ['key cut short', { key: server.key.slice(0, 100), cert: server.cert }],
  ['cert garbage', { key: server.key, cert: 'garbage' }],
  ['key mismatch', { key: read('self.key'), cert: server.cert }],
  ['encrypted key', { key: read('encrypted.key'), cert: server.cert }],
  ['encrypted key, passphrase', { key: read('encrypted.key'), passphrase: 'secret', cert: server.cert }],
  ['encrypted key, wrong passphrase', { key: read('encrypted.key'), passphrase: 'wrong', cert: server.cert }],
  ['ca garbage', { ca: 'garbage' }],
  ['ca a key', { ca: read('self.key') }],
  ['ca bad base64', { ca: '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n' }],
  ['ca key then cert', { ca: read('self.key') + read('ca.pem') }],
  ['ecdhCurve unknown', { ecdhCurve: 'nonsense' }],
  ['ecdhCurve empty', { ecdhCurve: '' }],
  ['ecdhCurve auto', { ecdhCurve: 'auto' }],
  ['ecdhCurve list', { ecdhCurve: 'X25519:P-256' }],
  ['sigalgs empty', { sigalgs: '' }],
  ['sigalgs list', { sigalgs: 'ECDSA+SHA256:RSA-PSS+SHA256' }],
  ['crl garbage', { crl: 'garbage' }],
  ['crl', { crl: read('ca.crl') }],
  ['pfx', { pfx: fs.readFileSync('server.pfx'), passphrase: 'secret' }],
  ['pfx without passphrase', { pfx: fs.readFileSync('server.pfx') }],
  ['pfx, wrong passphrase', { pfx: fs.readFileSync('server.pfx'), passphrase: 'wrong' }],
  ['pfx garbage', { pfx: Buffer.from('garbage') }],
];
for (const [name, opts] of cases) {
  try {
    tls.createSecureContext(opts);
    t(name, 'ok');
  } catch (e) {
    // Node's errors of a PKCS#12 file carry no code; cnet's is EINVAL.
    t(name, e.name, e.code === undefined ? 'EINVAL' : e.code, e.message);
  }
}
