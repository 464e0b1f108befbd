// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
// server.setSecureContext(options): a server that began with a
// self-signed certificate takes the CA-signed one. A client connected
// before keeps its connection (its echo still comes back); a client
// connecting after gets the new certificate. Options that do not make a
// context are refused, and the server keeps the one it has.
'use strict';
const tls = require('tls');
const fs = require('fs');
const { execFileSync } = require('child_process');
const { t } = require(__dirname + '/lib/trace');

execFileSync('sh', [__dirname + '/../tls/make-certs.sh', '.']);
const read = (f) => fs.readFileSync(f, 'latin1');
const ca = read('ca.pem') + read('self.pem');
const server = tls.createServer({ key: read('self.key'), cert: read('self.pem') }, (s) => {
  s.on('data', (d) => s.write(d));
  s.on('end', () => s.end());
});

function client(name, then) {
  const c = tls.connect({ port: server.address().port, host: '127.0.0.1', ca }, () => {
    const cert = c.getPeerCertificate();
    t(name, 'secureConnect', c.authorized, cert.subject.CN, cert.issuer.CN);
    then(c);
  });
  c.on('data', (d) => t(name, 'data', String(d)));
  c.on('close', () => t(name, 'close'));
  return c;
}

server.listen(0, '127.0.0.1', () => {
  client('first', (first) => {
    try {
      server.setSecureContext({ key: 'garbage', cert: read('server.pem') });
    } catch (e) {
      t('refused', e.code);
    }
    server.setSecureContext({ key: read('server.key'), cert: read('server.pem') });
    t('set');
    client('second', (second) => {
      first.end('ping');
      first.on('close', () => {
        second.end('pong');
        second.on('close', () => server.close(() => t('closed')));
      });
    });
  });
});
