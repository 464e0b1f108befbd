// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
// ALPN's choice: the server's preference when both offer several, no
// overlap, and a client that offers nothing. Each round traces the
// server's 'secureConnection' or 'tlsClientError' and the client's
// 'secureConnect' or 'error', then the next round starts once the
// client's socket closed.
'use strict';
const tls = require('tls');
const fs = require('fs');
const { execFileSync } = require('child_process');
const { t } = require(__dirname + '/lib/trace');

execFileSync('sh', [__dirname + '/../tls/make-certs.sh', '.']);
const key = fs.readFileSync('server.key');
const cert = fs.readFileSync('server.pem');
const ca = fs.readFileSync('ca.pem');

const rounds = [
  [['h2', 'http/1.1'], ['http/1.1', 'h2']],
  [['h2'], ['x']],
  [['h2'], undefined],
];

function round(i) {
  if (i === rounds.length) return t('done');
  const [sp, cp] = rounds[i];
  t('round', i);
  const server = tls.createServer({ key, cert, ALPNProtocols: sp }, (s) => {
    t('S secureConnection', s.alpnProtocol);
    s.end();
  });
  server.on('tlsClientError', (e) => t('S tlsClientError', e.code));
  server.listen(0, '127.0.0.1', () => {
    const c = tls.connect({ port: server.address().port, host: '127.0.0.1', ca,
                            ALPNProtocols: cp }, () => {
      t('C secureConnect', c.alpnProtocol);
      c.end();
    });
    c.on('error', (e) => t('C error', e.code));
    c.on('close', () => server.close(() => round(i + 1)));
  });
}

round(0);
