// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
// allowHalfOpen on the server: after the client's FIN the server socket is
// writeOnly, still writes, and ends when it chooses; readyState at each event.
'use strict';
const net = require('net');
const { t } = require(__dirname + '/lib/trace');

let client;
const server = net.createServer({ allowHalfOpen: true }, (s) => {
  t('S connection', s.readyState);
  s.on('data', (d) => {
    t('S data', JSON.stringify(d.toString()), s.readyState);
    client.end();
  });
  s.on('end', () => {
    t('S end', s.readyState, s.writable);
    const r = s.write('late', () => t('S write cb', s.readyState));
    t('S write returned', r);
  });
  s.on('finish', () => t('S finish', s.readyState));
  s.on('close', (h) => { t('S close', h, s.readyState); server.close(); });
});
server.listen(0, '127.0.0.1', () => {
  client = net.connect(server.address().port, '127.0.0.1');
  client.on('connect', () => {
    t('C connect', client.readyState);
    client.write('ping');
  });
  client.on('data', (d) => {
    t('C data', JSON.stringify(d.toString()), client.readyState);
    server_socket_end();
  });
  client.on('end', () => t('C end', client.readyState));
  client.on('finish', () => t('C finish', client.readyState));
  client.on('close', (h) => t('C close', h, client.readyState));
});
server.on('connection', (s) => { server_socket_end = () => s.end(() => t('S end cb')); });
let server_socket_end;
server.on('close', () => t('server close'));
