// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
// close() on a server with two open connections: it stops listening at once
// (a new client is refused), the connections keep working, and 'close'
// (with the close callback) comes only once the last one is destroyed --
// on the tick after, so before that socket's own 'close'.
'use strict';
const net = require('net');
const { t } = require(__dirname + '/lib/trace');

const clients = [];
let accepted = 0;
const server = net.createServer((s) => {
  const id = ++accepted;
  t('connection', id);
  s.setEncoding('utf8');
  s.on('data', (d) => {
    t('S data', id, d);
    s.write(d.toUpperCase());
  });
  s.on('end', () => s.end());
  s.on('close', () => t('S close', id));
  if (id === 1) clients.push(connectClient());
  else closeWhileConnected();
});
server.on('close', () => t('server close event'));

function connectClient() {
  const c = net.connect(server.address().port, '127.0.0.1');
  c.setEncoding('utf8');
  c.on('data', (d) => {
    t('C data', d);
    clients[1].end();
  });
  return c;
}

function closeWhileConnected() {
  const port = server.address().port;
  server.close(() => t('close cb'));
  t('listening', server.listening);
  const late = net.connect(port, '127.0.0.1');
  late.on('error', (e) => t('late client', e.code));
  late.on('close', () => clients[0].write('still here'));
  clients[1].on('close', () => {
    t('C2 close');
    clients[0].end();
  });
  clients[0].on('close', () => t('C1 close'));
}

server.listen(0, '127.0.0.1', () => clients.push(connectClient()));
