// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
// Connecting to "localhost": one 'lookup' per address, then for each
// address tried 'connectionAttempt' and, if it fails,
// 'connectionAttemptFailed' before the next; with autoSelectFamily off,
// one 'lookup' and one attempt. Where localhost is both ::1 and 127.0.0.1,
// ::1 is refused (the server is on 127.0.0.1) and 127.0.0.1 tried next.
'use strict';
const net = require('net');
const { t } = require(__dirname + '/lib/trace');

function run(label, port, done) {
  t(label);
  const c = net.connect(port, 'localhost');
  c.on('lookup', (e, ip, family, host) => t('lookup', e, ip, family, host));
  c.on('connectionAttempt', (ip, p, family) => t('attempt', ip, p, family));
  c.on('connectionAttemptFailed', (ip, p, family, e) =>
    t('attempt failed', ip, p, family, e.code, e.message));
  c.on('connectionAttemptTimeout', (ip, p, family) => t('attempt timeout', ip, p, family));
  c.on('connect', () => { t('connect'); c.destroy(); });
  c.on('error', (e) => t('error', e.code));
  c.on('close', (h) => { t('close', h); done(); });
}

const server = net.createServer((s) => s.destroy());
const probe = net.createServer();
server.listen(0, '127.0.0.1', () => probe.listen(0, '127.0.0.1', () => {
  const open = server.address().port;
  const refused = probe.address().port;
  probe.close(() => {
    run('default open', open, () =>
      run('default refused', refused, () => {
        net.setDefaultAutoSelectFamily(false);
        run('autoSelectFamily false open', open, () =>
          run('autoSelectFamily false refused', refused, () => {
            t('done');
            server.close();
          }));
      }));
  });
}));
