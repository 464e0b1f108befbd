// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
// Node's tls as the TLS tests' peer.
//   node peer.js server <certdir> <maxVersion>
//     listens on 127.0.0.1, prints "PORT <n>", answers the one client's
//     bytes upper-cased, ends when the client ends, then exits.
//   node peer.js client <certdir> <port> <maxVersion> <text>
//     connects with the test CA, writes text, ends, prints
//     "<protocol> <authorized> <what came back>" and exits.
//   node peer.js resume <certdir> <port> <maxVersion>
//     connects, keeps the last 'session', connects again with it and
//     prints "resumed <isSessionReused of each>".
//   node peer.js keylog <certdir> <port> <maxVersion>
//     connects, prints each 'keylog' line as it is, then "end".
//   node peer.js tickets <certdir> <maxVersion> <ticketKeys hex>
//     as server, with those ticketKeys and sessionIdContext 'cnet-test',
//     for two clients.
//   node peer.js cert <certdir> <file>
//     prints the certificate as getPeerCertificate() gives it (Node's
//     X509ToObject, through X509Certificate.toLegacyObject()), one
//     "field value" a line: test_tls.c prints cnet's the same way.
'use strict';
const tls = require('tls');
const fs = require('fs');
const path = require('path');
const [mode, dir] = process.argv.slice(2, 4);
const read = (f) => fs.readFileSync(path.join(dir, f));

function dumpCert(c) {
  const out = [];
  for (const [field, v] of Object.entries(c)) {
    if (field === 'subject' || field === 'issuer') {
      for (const [k, x] of Object.entries(v))
        for (const one of [].concat(x)) out.push(`${field} ${k}=${one}`);
    } else if (field === 'infoAccess') {
      for (const [k, x] of Object.entries(v)) for (const one of x) out.push(`${field} ${k}=${one}`);
    } else if (Array.isArray(v)) {
      for (const one of v) out.push(`${field} ${one}`);
    } else {
      out.push(`${field} ${Buffer.isBuffer(v) ? v.toString('hex') : v}`);
    }
  }
  console.log(out.join('\n'));
}

if (mode === 'cert') {
  const { X509Certificate } = require('crypto');
  dumpCert(new X509Certificate(read(process.argv[4])).toLegacyObject());
} else if (mode === 'server' || mode === 'tickets') {
  const maxVersion = process.argv[4];
  const ticketKeys = mode === 'tickets' ? Buffer.from(process.argv[5], 'hex') : undefined;
  let clients = mode === 'tickets' ? 2 : 1;
  const server = tls.createServer(
    { key: read('server.key'), cert: read('server.pem'), maxVersion, ticketKeys,
      sessionIdContext: ticketKeys && 'cnet-test' }, (c) => {
      c.on('data', (d) => c.write(d.toString('latin1').toUpperCase()));
      c.on('end', () => c.end());
      c.on('close', () => { if (--clients === 0) server.close(); });
    });
  server.listen(0, '127.0.0.1', () => console.log(`PORT ${server.address().port}`));
} else if (mode === 'resume' || mode === 'keylog') {
  const [port, maxVersion] = process.argv.slice(4);
  const reused = [];
  const go = (session) => {
    const c = tls.connect({ port: Number(port), host: '127.0.0.1', ca: read('ca.pem'),
                            maxVersion, session }, () => {
      reused.push(c.isSessionReused());
      c.end('x');
    });
    let last;
    c.on('session', (s) => { last = s; });
    if (mode === 'keylog') c.on('keylog', (line) => process.stdout.write(line));
    c.on('data', () => {});
    c.on('close', () => {
      if (mode === 'resume' && !session) go(last);
      else console.log(mode === 'resume' ? `resumed ${reused.join(' ')}` : 'end');
    });
  };
  go(undefined);
} else {
  const [port, maxVersion, text] = process.argv.slice(4);
  const c = tls.connect({ port: Number(port), host: '127.0.0.1', ca: read('ca.pem'),
                          maxVersion }, () => {
    c.end(text);
  });
  let got = '';
  c.on('data', (d) => { got += d; });
  c.on('end', () => console.log(`${c.getProtocol()} ${c.authorized} ${got}`));
  c.on('error', (e) => console.log(`error ${e.code}`));
}
