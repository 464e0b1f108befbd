// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
// allowHalfOpen false: once the automatic end() has run (the tick after
// 'end'), a write fails with EPIPE "This socket has been ended by the other
// party": callback error, 'error', then 'close' with had_error.
'use strict';
const net = require('net');
const { t } = require(__dirname + '/lib/trace');

let client;
const server = net.createServer((s) => {
  s.on('data', (d) => {
    t('S data', JSON.stringify(d.toString()));
    client.end();
  });
  s.on('end', () => {
    t('S end', s.readyState);
    // The first tick runs before the automatic end(), the nested one after.
    process.nextTick(() => process.nextTick(() => {
      t('S before write', s.readyState, s.writable);
      const r = s.write('too late', (err) => t('S write cb', err.code, err.message));
      t('S write returned', r, s.destroyed);
    }));
  });
  s.on('error', (err) => t('S error', err.code, err.message, err.syscall));
  s.on('finish', () => t('S finish', s.readyState));
  s.on('close', (h) => { t('S close', h, s.readyState); server.close(); });
});
server.listen(0, '127.0.0.1', () => {
  client = net.connect(server.address().port, '127.0.0.1');
  client.on('connect', () => client.write('ping'));
  let got = '';
  client.on('data', (d) => { got += d; });
  client.on('end', () => t('C end', JSON.stringify(got)));
  client.on('close', (h) => t('C close', h));
});
server.on('close', () => t('server close'));
