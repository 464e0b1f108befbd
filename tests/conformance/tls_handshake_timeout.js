// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
// handshakeTimeout: a plain TCP client that connects and sends nothing,
// then one that sends half a ClientHello (bytes do not push the deadline
// back). The server's 'connection', its 'tlsClientError' with
// ERR_TLS_HANDSHAKE_TIMEOUT (the socket not yet destroyed), which
// destroys the socket as https's listener does; the client sees the
// connection end.
'use strict';
const tls = require('tls');
const net = require('net');
const fs = require('fs');
const { execFileSync } = require('child_process');
const { t } = require(__dirname + '/lib/trace');

execFileSync('sh', [__dirname + '/../tls/make-certs.sh', '.']);
const key = fs.readFileSync('server.key');
const cert = fs.readFileSync('server.pem');

// A handshake record that announces 512 bytes, then 40 of them.
const half = Buffer.concat([Buffer.from([0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xfc]),
                            Buffer.alloc(31)]);

const server = tls.createServer({ key, cert, handshakeTimeout: 200 }, () => t('S secureConnection'));
server.on('connection', () => t('S connection'));
server.on('tlsClientError', (err, s) => {
  t('S tlsClientError', err.code, err.message, s.destroyed);
  s.destroy();
});

function client(n, bytes, next) {
  const c = net.connect(server.address().port, '127.0.0.1', () => {
    t('C connect', n);
    if (bytes) c.write(bytes);
  });
  c.on('data', (d) => t('C data', d.length));
  c.on('end', () => t('C end', n));
  c.on('close', () => { t('C close', n); next(); });
}

server.listen(0, '127.0.0.1', () => {
  client(1, null, () => client(2, half, () => server.close(() => t('done'))));
});
