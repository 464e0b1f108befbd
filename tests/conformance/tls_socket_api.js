// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
// net.Socket's getters on TLS sockets through an exchange: readyState,
// pending, connecting, writableLength, and bytesRead / bytesWritten,
// which count plaintext on a TLS socket (the handshake is not in them).
'use strict';
const tls = require('tls');
const fs = require('fs');
const { execFileSync } = require('child_process');
const { t } = require(__dirname + '/lib/trace');

execFileSync('sh', [__dirname + '/../tls/make-certs.sh', '.']);
const key = fs.readFileSync('server.key');
const cert = fs.readFileSync('server.pem');
const ca = fs.readFileSync('ca.pem');

const server = tls.createServer({ key, cert }, (s) => {
  t('S secure', s.bytesRead, s.bytesWritten, s.readyState, s.pending, s.connecting);
  s.on('data', (d) => {
    t('S data', d.length, s.bytesRead);
    s.write(d);
    t('S written', s.bytesWritten, s.writableLength);
  });
  s.on('end', () => { t('S end', s.bytesRead, s.bytesWritten); s.end(); });
  s.on('close', () => { t('S close', s.bytesRead, s.bytesWritten); server.close(); });
});
server.listen(0, '127.0.0.1', () => {
  const c = tls.connect({ port: server.address().port, host: '127.0.0.1', ca }, () => {
    t('C secure', c.bytesRead, c.bytesWritten, c.readyState, c.pending, c.connecting,
      c.writableLength);
    c.end('hello');
  });
  t('C start', c.readyState, c.pending, c.connecting, c.bytesWritten);
  c.write('early');
  t('C early', c.bytesWritten, c.writableLength);
  c.on('connect', () => t('C connect', c.bytesRead, c.bytesWritten, c.readyState, c.connecting));
  c.on('data', (d) => t('C data', d.length, c.bytesRead));
  c.on('finish', () => t('C finish', c.bytesWritten, c.writableLength, c.readyState));
  c.on('close', () => t('C close', c.bytesRead, c.bytesWritten, c.readyState));
});
