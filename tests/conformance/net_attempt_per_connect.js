// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
// autoSelectFamily and autoSelectFamilyAttemptTimeout given to one
// connect() win over the process's defaults: off for one connect while
// the default is on, then on (with a 5 ms timeout, raised to 10 as Node
// does) while the default is off. Where localhost is both ::1 and
// 127.0.0.1, the first tries one address and the second both.
'use strict';
const net = require('net');
const { t } = require(__dirname + '/lib/trace');

function run(label, port, opts, done) {
  t(label);
  const c = net.connect({ port, host: 'localhost', ...opts });
  c.on('lookup', (e, ip, family, host) => t('lookup', e, ip, family, host));
  c.on('connectionAttempt', (ip, p, family) => t('attempt', ip, p, family));
  c.on('connectionAttemptFailed', (ip, p, family, e) =>
    t('attempt failed', ip, p, family, e.code));
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
    run('off for this connect', refused, { autoSelectFamily: false }, () => {
      net.setDefaultAutoSelectFamily(false);
      run('on for this connect', open,
          { autoSelectFamily: true, autoSelectFamilyAttemptTimeout: 5 }, () => {
            t('done');
            server.close();
          });
    });
  });
}));
