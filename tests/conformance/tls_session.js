// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
// Sessions, TLS 1.3 then 1.2: a first connection and its 'session'
// events (1.3: two, after 'secureConnect', with the tickets that follow
// the server's first write; 1.2: one, right after 'secureConnect'), a
// second that resumes the last one (isSessionReused on both sides), a
// third given bytes that are no session (ignored: a full handshake), and
// each side's 'keylog' labels in order.
'use strict';
const tls = require('tls');
const fs = require('fs');
const { execFileSync } = require('child_process');
const { t } = require(__dirname + '/lib/trace');

execFileSync('sh', [__dirname + '/../tls/make-certs.sh', '.']);
const key = fs.readFileSync('server.key');
const cert = fs.readFileSync('server.pem');
const ca = fs.readFileSync('ca.pem');
const label = (line) => line.toString().split(' ')[0] + (line[line.length - 1] === 10 ? '' : '?');

function round(maxVersion, next) {
  const server = tls.createServer({ key, cert, maxVersion }, (s) => {
    t('S secureConnection', s.getProtocol(), s.isSessionReused());
    s.write('hi');
    s.on('end', () => s.end());
  });
  server.on('keylog', (line, s) => t('S keylog', label(line), s.encrypted));
  let last = null;
  const conn = (n, session) => {
    const c = tls.connect({ port: server.address().port, host: '127.0.0.1', ca, session }, () => {
      t('C secureConnect', n, c.getProtocol(), c.isSessionReused(), c.authorized);
    });
    c.on('session', (s) => { t('C session', n, s[0]); last = s; });
    c.on('keylog', (line) => t('C keylog', label(line)));
    c.on('data', (d) => { t('C data', d.toString()); c.end(); });
    c.on('close', () => {
      t('C close', n);
      if (n === 1) conn(2, last);
      else if (n === 2) conn(3, Buffer.from('no session'));
      else server.close(next);
    });
  };
  server.listen(0, '127.0.0.1', () => conn(1, undefined));
}

round('TLSv1.3', () => round('TLSv1.2', () => t('done')));
