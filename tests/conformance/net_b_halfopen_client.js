// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
// allowHalfOpen on the client: the server ends first; the client, now
// writeOnly, writes in its 'end' listener and ends later.
'use strict';
const net = require('net');
const { t } = require(__dirname + '/lib/trace');

let client;
let seen = 0;
const server = net.createServer((s) => {
  t('S connection', s.readyState);
  s.on('data', (d) => {
    t('S data', JSON.stringify(d.toString()), s.readyState);
    if (++seen === 1) s.end(() => t('S end cb', s.readyState));
    else client.end(() => t('C end cb', client.readyState));
  });
  s.on('end', () => t('S end', s.readyState));
  s.on('finish', () => t('S finish', s.readyState));
  s.on('close', (h) => { t('S close', h, s.readyState); server.close(); });
});
server.listen(0, '127.0.0.1', () => {
  client = net.connect({ port: server.address().port, host: '127.0.0.1', allowHalfOpen: true });
  client.on('connect', () => {
    t('C connect', client.readyState);
    client.write('ping');
  });
  client.on('data', (d) => t('C data', JSON.stringify(d.toString())));
  client.on('end', () => {
    t('C end', client.readyState, client.writable);
    const r = client.write('late', () => t('C write cb', client.readyState));
    t('C write returned', r);
  });
  client.on('finish', () => t('C finish', client.readyState));
  client.on('close', (h) => t('C close', h, client.readyState));
});
server.on('close', () => t('server close'));
