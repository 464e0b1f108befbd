// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
// A client that rejects the server's certificate, one case after the
// other: no trusted CA, self-signed, a root in the chain the client does
// not trust, expired, a name the certificate does not carry, a
// signature that does not verify, an issuer that is no CA, a client's
// certificate served by a server, then the same self-signed server with
// rejectUnauthorized off. The client's 'error' (code and message) and
// 'close', the server's 'tlsClientError'.
'use strict';
const tls = require('tls');
const fs = require('fs');
const { execFileSync } = require('child_process');
const { t } = require(__dirname + '/lib/trace');

execFileSync('sh', [__dirname + '/../tls/make-certs.sh', '.']);
const read = (f) => fs.readFileSync(f, 'latin1');
const cases = [
  ['no ca', 'server.pem', 'server.key', {}],
  ['self-signed', 'self.pem', 'self.key', { ca: read('ca.pem') }],
  ['root in chain', 'server.pem ca.pem', 'server.key', { ca: read('self.pem') }],
  ['expired', 'expired.pem', 'expired.key', { ca: read('ca.pem') }],
  ['altname', 'server.pem', 'server.key', { ca: read('ca.pem'), servername: 'foo.example' }],
  ['signature', 'tampered.pem', 'server.key', { ca: read('ca.pem') }],
  ['not a ca', 'notca.pem server.pem', 'notca.key', { ca: read('ca.pem') }],
  ['purpose', 'client.pem', 'client.key', { ca: read('ca.pem') }],
  ['not rejected', 'self.pem', 'self.key', { ca: read('ca.pem'), rejectUnauthorized: false }],
];

function run(i) {
  if (i === cases.length) return t('done');
  const [name, certs, key, opts] = cases[i];
  t('case', name);
  const cert = certs.split(' ').map(read).join('');
  let pending = 2;
  const next = () => { if (--pending === 0) server.close(() => run(i + 1)); };
  const server = tls.createServer({ key: read(key), cert }, (s) => {
    t('S secureConnection');
    s.on('close', next);
    s.end();
  });
  server.on('tlsClientError', (e) => { t('S tlsClientError', e.code, e.message); next(); });
  server.listen(0, '127.0.0.1', () => {
    const c = tls.connect({ port: server.address().port, host: '127.0.0.1', ...opts }, () => {
      t('C secureConnect', c.authorized, c.authorizationError);
    });
    c.on('error', (e) => t('C error', e.code, e.message));
    c.on('close', () => { t('C close'); next(); });
  });
}
run(0);
