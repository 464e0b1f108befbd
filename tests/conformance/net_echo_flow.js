// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
// A whole conversation: connect, write while connecting, server greets,
// client ends with data; every event with readyState, in Node's order.
'use strict';
const net = require('net');
const { t } = require(__dirname + '/lib/trace');

const server = net.createServer((s) => {
  t('S connection', s.readyState);
  s.on('data', (d) => t('S data', JSON.stringify(d.toString())));
  s.on('end', () => t('S end', s.readyState));
  s.on('finish', () => t('S finish', s.readyState));
  s.on('close', (h) => { t('S close', h, s.readyState); server.close(); });
  s.write('hello', () => t('S write cb'));
});
server.on('listening', () => t('listening'));
server.on('close', () => t('server close'));
server.listen(0, '127.0.0.1', () => {
  t('listen cb');
  const c = net.connect(server.address().port, '127.0.0.1', () => t('C connect cb', c.readyState));
  t('C after connect', c.readyState, c.pending, c.connecting);
  c.on('connect', () => t('C connect'));
  c.on('ready', () => t('C ready'));
  c.on('data', (d) => {
    t('C data', JSON.stringify(d.toString()));
    c.end('bye', () => t('C end cb'));
  });
  c.on('end', () => t('C end', c.readyState));
  c.on('finish', () => t('C finish', c.readyState));
  c.on('close', (h) => t('C close', h, c.readyState));
  c.write('hi', () => t('C write cb'));
  t('C bufferSize', c.bufferSize, c.writableLength);
});
