// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
// A TLS client's ways out before or around the handshake, one case after
// another: destroy() right after connect(), destroy() in 'connect' (the
// server's 'tlsClientError'), a silent server and setTimeout(), write
// after end(), destroy(err) during the handshake.
'use strict';
const tls = require('tls');
const net = require('net');
const fs = require('fs');
const { execFileSync } = require('child_process');
const { t } = require(__dirname + '/lib/trace');

execFileSync('sh', [__dirname + '/../tls/make-certs.sh', '.']);
const key = fs.readFileSync('server.key');
const cert = fs.readFileSync('server.pem');
const ca = fs.readFileSync('ca.pem');
const cases = [];
function trace(who, s) {
  for (const e of ['connect', 'secureConnect', 'end', 'finish', 'timeout'])
    s.on(e, () => t(who, e));
  s.on('error', (e) => t(who, 'error', e.code, e.message));
  s.on('close', (h) => t(who, 'close', h));
}
// 1: destroy right after connect()
cases.push((next) => {
  const server = tls.createServer({ key, cert });
  server.listen(0, '127.0.0.1', () => {
    const c = tls.connect({ port: server.address().port, host: '127.0.0.1', ca });
    trace('1C', c);
    c.destroy();
    c.on('close', () => { server.close(); next(); });
  });
});
// 2: destroy in 'connect' (handshake under way)
cases.push((next) => {
  const server = tls.createServer({ key, cert });
  server.on('tlsClientError', (e) => t('2S tlsClientError', e.code, e.message));
  server.listen(0, '127.0.0.1', () => {
    const c = tls.connect({ port: server.address().port, host: '127.0.0.1', ca });
    trace('2C', c);
    c.on('connect', () => c.destroy());
    let n = 0;
    const both = () => { if (++n === 2) { server.close(); next(); } };
    server.on('tlsClientError', both);
    c.on('close', both);
  });
});
// 3: a silent TCP server; the TLS client times out
cases.push((next) => {
  const server = net.createServer((s) => s.resume());
  server.listen(0, '127.0.0.1', () => {
    const c = tls.connect({ port: server.address().port, host: '127.0.0.1', ca });
    trace('3C', c);
    c.setTimeout(100);
    c.on('timeout', () => c.destroy());
    c.on('close', () => { server.close(); next(); });
  });
});
// 4: write after end on a TLS socket
cases.push((next) => {
  const server = tls.createServer({ key, cert }, (s) => { s.resume(); });
  server.listen(0, '127.0.0.1', () => {
    const c = tls.connect({ port: server.address().port, host: '127.0.0.1', ca }, () => {
      c.end('a');
      c.write('b', (e) => t('4C write cb', e && e.code));
    });
    trace('4C', c);
    c.on('close', () => { server.close(); next(); });
  });
});
// 5: destroy with an error during the handshake
cases.push((next) => {
  const server = tls.createServer({ key, cert });
  server.listen(0, '127.0.0.1', () => {
    const c = tls.connect({ port: server.address().port, host: '127.0.0.1', ca });
    trace('5C', c);
    c.on('connect', () => c.destroy(Object.assign(new Error('boom'), { code: 'ECONNABORTED' })));
    c.on('close', () => { server.close(); next(); });
  });
});
let i = 0;
const run = () => { if (i < cases.length) cases[i++](run); else t('done'); };
run();
