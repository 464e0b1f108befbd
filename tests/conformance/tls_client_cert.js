// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
// Client certificates (requestCert), TLS 1.3 then 1.2: sent and
// verified (the server reads its fields), required and missing, signed
// by a CA the server does not trust, then the same two with
// rejectUnauthorized off (authorized false, and why). The server's
// 'secureConnection' or 'tlsClientError', the client's 'secureConnect',
// 'error' and 'close'. The client reads (cnet's reads only while it
// flows): TLS 1.3's refusal comes after its 'secureConnect'.
'use strict';
const tls = require('tls');
const fs = require('fs');
const { execFileSync } = require('child_process');
const { t } = require(__dirname + '/lib/trace');

execFileSync('sh', [__dirname + '/../tls/make-certs.sh', '.']);
const read = (f) => fs.readFileSync(f, 'latin1');
const client = { key: read('client.key'), cert: read('client.pem') };
const stranger = { key: read('stranger.key'), cert: read('stranger.pem') };
const cases = [
  ['sent', true, client],
  ['missing', true, {}],
  ['bad ca', true, stranger],
  ['not rejected', false, stranger],
  ['not rejected, missing', false, {}],
];

function show(c) {
  t('S peer', c.subject.CN, c.subject.OU.join('+'), c.issuer.CN, c.ca, c.bits, c.exponent,
    c.pubkey.length, c.modulus.length, c.fingerprint256.length, c.ext_key_usage.join('+'));
  t('S peer san', c.subjectaltname);
  for (const [k, v] of Object.entries(c.infoAccess)) t('S peer infoAccess', k, v.join('+'));
  t('S peer issuer', c.issuerCertificate.subject.CN, c.issuerCertificate.ca,
    c.issuerCertificate.issuerCertificate === c.issuerCertificate);
}

function run(i) {
  if (i === cases.length * 2) return t('done');
  const [name, rejectUnauthorized, opts] = cases[i >> 1];
  const maxVersion = i & 1 ? 'TLSv1.2' : 'TLSv1.3';
  t('case', name, maxVersion);
  let pending = 2;
  const next = () => { if (--pending === 0) server.close(() => run(i + 1)); };
  const server = tls.createServer({ key: read('server.key'), cert: read('server.pem'),
                                    ca: read('ca.pem'), maxVersion, requestCert: true,
                                    rejectUnauthorized }, (s) => {
    t('S secureConnection', s.authorized, s.authorizationError);
    if (s.authorized) show(s.getPeerCertificate(true));
    s.on('close', next);
    s.end();
  });
  server.on('tlsClientError', (e) => { t('S tlsClientError', e.code); next(); });
  server.listen(0, '127.0.0.1', () => {
    const c = tls.connect({ port: server.address().port, host: '127.0.0.1', ca: read('ca.pem'),
                            ...opts }, () => {
      t('C secureConnect', c.authorized);
    });
    c.on('data', () => {});
    c.on('error', (e) => t('C error', e.code));
    c.on('close', () => { t('C close'); next(); });
  });
}
run(0);
