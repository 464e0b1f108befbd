// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
// A refused connection to an IP address (one address, no lookup):
// 'connectionAttempt' when connect() is called, on the tick Node connects
// on, then 'connectionAttemptFailed' with the error, 'error' and 'close'.
// The same with autoSelectFamily off, which changes nothing for an IP.
'use strict';
const net = require('net');
const { t } = require(__dirname + '/lib/trace');

function run(label, port, done) {
  t(label);
  const c = net.connect(port, '127.0.0.1');
  process.nextTick(() => t('tick'));
  c.on('lookup', () => t('lookup'));
  c.on('connectionAttempt', (ip, p, family) => t('attempt', ip, p, family));
  c.on('connectionAttemptFailed', (ip, p, family, e) =>
    t('attempt failed', ip, p, family, e.code, e.message));
  c.on('connectionAttemptTimeout', (ip, p, family) => t('attempt timeout', ip, p, family));
  c.on('connect', () => t('unexpected connect'));
  c.on('error', (e) => t('error', e.code, e.message));
  c.on('close', (h) => { t('close', h); done(); });
}

const probe = net.createServer();
probe.listen(0, '127.0.0.1', () => {
  const port = probe.address().port;
  probe.close(() => {
    run('default', port, () => {
      net.setDefaultAutoSelectFamily(false);
      run('autoSelectFamily false', port, () => t('done'));
    });
  });
});
