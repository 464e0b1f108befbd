// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
// SNI: a server with its own certificate (localhost) and two more added
// with addContext (alpha.test, *.beta.test); clients asking for each
// name, for a name the wildcard does not cover (two labels), for a name
// nobody has, and for none. Then a server whose SNICallback answers on
// a later turn, and one whose SNICallback fails. Each connection traces
// the certificate the client got, the servername both sides see, and
// the client's verdict.
'use strict';
const tls = require('tls');
const fs = require('fs');
const { execFileSync } = require('child_process');
const { t } = require(__dirname + '/lib/trace');

execFileSync('sh', [__dirname + '/../tls/make-certs.sh', '.']);
const read = (f) => fs.readFileSync(f, 'latin1');
const ca = read('ca.pem');
const own = { key: read('server.key'), cert: read('server.pem') };
const alpha = tls.createSecureContext({ key: read('alpha.key'), cert: read('alpha.pem') });
const wild = { key: read('wild.key'), cert: read('wild.pem') };

const names = ['alpha.test', 'x.beta.test', 'a.b.beta.test', 'nobody.test', null];

function connect(server, name, done) {
  const opts = { port: server.address().port, host: '127.0.0.1', ca, rejectUnauthorized: false };
  if (name) opts.servername = name;
  const c = tls.connect(opts, () => {
    t('C secureConnect', c.getPeerCertificate().subject.CN, c.servername, c.authorized,
      c.authorizationError);
    c.end();
  });
  c.on('data', () => {});
  c.on('error', (e) => t('C error', e.code, e.message));
  c.on('close', () => { t('C close'); done(); });
}

function serve(opts, list, then) {
  const server = tls.createServer({ ...own, ...opts }, (s) => {
    t('S secureConnection', s.servername);
  });
  server.on('tlsClientError', (e) => t('S tlsClientError', e.message));
  return server;
}

function each(server, list, i, then) {
  if (i === list.length) return server.close(then);
  t('name', list[i]);
  connect(server, list[i], () => each(server, list, i + 1, then));
}

function contexts(then) {
  t('addContext');
  const server = serve({}, names);
  server.addContext('alpha.test', alpha);
  server.addContext('*.beta.test', wild);
  server.listen(0, '127.0.0.1', () => each(server, names, 0, then));
}

function later(then) {
  t('SNICallback later');
  const server = serve({
    SNICallback: (name, cb) => {
      t('S SNICallback', name);
      setImmediate(() => cb(null, name === 'alpha.test' ? alpha : undefined));
    },
  });
  server.listen(0, '127.0.0.1', () => each(server, ['alpha.test', 'nobody.test'], 0, then));
}

function failing(then) {
  t('SNICallback error');
  const server = serve({
    SNICallback: (name, cb) => cb(new Error('no certificate for ' + name)),
  });
  server.listen(0, '127.0.0.1', () => each(server, ['alpha.test'], 0, then));
}

contexts(() => later(() => failing(() => t('done'))));
