// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
// allowHalfOpen false (the default) on both sides: the server's 'end' makes
// it end its own side on the next tick; a write made inside the 'end'
// listener still goes out. readyState and writableEnded at each event.
'use strict';
const net = require('net');
const { t } = require(__dirname + '/lib/trace');

let client;
const server = net.createServer((s) => {
  t('S connection', s.readyState);
  s.on('data', (d) => {
    t('S data', JSON.stringify(d.toString()), s.readyState);
    client.end(() => t('C end cb', client.readyState));
  });
  s.on('end', () => {
    t('S end', s.readyState, s.writable, s.writableEnded);
    const r = s.write('bye', () => t('S write cb', s.readyState, s.writableEnded));
    t('S write returned', r);
    process.nextTick(() => t('S tick after end', s.readyState, s.writableEnded));
  });
  s.on('finish', () => t('S finish', s.readyState));
  s.on('close', (h) => { t('S close', h, s.readyState); server.close(); });
});
server.listen(0, '127.0.0.1', () => {
  client = net.connect(server.address().port, '127.0.0.1');
  client.on('connect', () => client.write('ping'));
  // The server's data and its 'finish' come in the same poll: the client
  // prints what it got at 'end' so that the trace does not depend on
  // which socket the poll reports first.
  let got = '';
  client.on('data', (d) => { got += d; });
  client.on('end', () => t('C end', client.readyState, JSON.stringify(got)));
  client.on('finish', () => t('C finish', client.readyState));
  client.on('close', (h) => t('C close', h, client.readyState));
});
server.on('close', () => t('server close'));
