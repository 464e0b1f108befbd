// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
// The TLSSocket methods past the handshake's getters, TLS 1.3 then 1.2:
// getEphemeralKeyInfo (client and server), getFinished and
// getPeerFinished (lengths; one side's is the other's peer's),
// getSharedSigalgs, exportKeyingMaterial (both sides agree; with and
// without a context; length 0; TLS 1.2's reserved labels) and
// setMaxSendFragment's answers. First, the client's answers before its
// handshake.
'use strict';
const tls = require('tls');
const fs = require('fs');
const { execFileSync } = require('child_process');
const { t } = require(__dirname + '/lib/trace');

execFileSync('sh', [__dirname + '/../tls/make-certs.sh', '.']);
const read = (f) => fs.readFileSync(f, 'latin1');
const hex = (b) => (b === undefined ? 'undefined' : b.toString('hex'));
const info = (i) => (i === null ? 'null' : `${i.type} ${i.name} ${i.size}`);
const ekm = (s, len, label, ctx) => {
  try {
    return s.exportKeyingMaterial(len, label, ctx);
  } catch (e) {
    return `${e.code} ${e.message}`;
  }
};

function run(versions, i) {
  if (i === versions.length) return t('done');
  const maxVersion = versions[i];
  t('case', maxVersion);
  let s, c;
  let pending = 2;
  const both = () => { if (--pending === 0) check(s, c); };
  const server = tls.createServer({ key: read('server.key'), cert: read('server.pem'), maxVersion },
                                  (so) => {
    s = so;
    s.on('data', () => {});
    s.on('close', () => server.close());
    both();
  });
  server.on('close', () => run(versions, i + 1));
  server.listen(0, '127.0.0.1', () => {
    c = tls.connect({ port: server.address().port, host: '127.0.0.1', ca: read('ca.pem') }, both);
    t('C before', info(c.getEphemeralKeyInfo()), hex(c.getFinished()), hex(c.getPeerFinished()),
      c.getSharedSigalgs().length, ekm(c, 16, 'EXPORTER-cnet'));
    c.on('data', () => {});
  });
}

function check(s, c) {
  t('C ephemeral', info(c.getEphemeralKeyInfo()));
  t('S ephemeral', info(s.getEphemeralKeyInfo()));
  t('finished', c.getFinished().length, c.getPeerFinished().length,
    c.getFinished().equals(s.getPeerFinished()), c.getPeerFinished().equals(s.getFinished()));
  t('C sigalgs', c.getSharedSigalgs().join(':'));
  t('S sigalgs', s.getSharedSigalgs().join(':'));
  const a = ekm(c, 32, 'EXPORTER-cnet', Buffer.from('ctx'));
  t('ekm agree', a.length, a.equals(ekm(s, 32, 'EXPORTER-cnet', Buffer.from('ctx'))));
  t('ekm contexts differ', !a.equals(ekm(c, 32, 'EXPORTER-cnet')),
    !ekm(c, 32, 'EXPORTER-cnet').equals(ekm(c, 32, 'EXPORTER-cnet', Buffer.alloc(0))));
  t('ekm 0', ekm(c, 0, 'EXPORTER-cnet'));
  const reserved = ekm(c, 16, 'client finished');
  t('ekm reserved', Buffer.isBuffer(reserved) ? 'ok' : reserved);
  for (const n of [511, 512, 16384, 16385]) t('setMaxSendFragment', n, c.setMaxSendFragment(n));
  c.end();
}
run(['TLSv1.3', 'TLSv1.2'], 0);
