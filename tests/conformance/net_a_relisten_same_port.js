// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
// A closed server listens again on the port it had, from its close
// callback: 'listening' again, address() has the same port, a client gets
// through, and a second close ends it.
'use strict';
const net = require('net');
const { t } = require(__dirname + '/lib/trace');

let listenings = 0;
let closes = 0;
const server = net.createServer((s) => {
  t('connection');
  s.end('bye');
});
server.on('close', () => t('close event', ++closes));
server.on('listening', () => t('listening', ++listenings));
server.listen(0, '127.0.0.1', () => {
  const port = server.address().port;
  server.close(() => {
    t('closed', server.listening);
    server.listen(port, '127.0.0.1', () => {
      t('again', server.listening, server.address().port === port);
      const c = net.connect(port, '127.0.0.1');
      c.setEncoding('utf8');
      c.on('data', (d) => t('client data', d));
      c.on('close', () => server.close(() => t('closed again')));
    });
  });
});
