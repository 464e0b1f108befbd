// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
// net.connect() with a bad port (-1, 65536), no arguments at all, or an
// invalid localAddress throws (cnet: returns the code); nothing else happens
// and the program ends by itself.
'use strict';
const net = require('net');
const { t } = require(__dirname + '/lib/trace');

function attempt(name, fn) {
  try {
    const c = fn();
    t(name, 'no throw');
    c.destroy();
  } catch (e) {
    t(name, e.code);
  }
}
attempt('port -1', () => net.connect(-1, '127.0.0.1'));
attempt('port 65536', () => net.connect(65536, '127.0.0.1'));
attempt('options port 65536', () => net.connect({ port: 65536, host: '127.0.0.1' }));
attempt('no arguments', () => net.connect());
attempt('bad localAddress', () => net.connect({ port: 80, host: '127.0.0.1', localAddress: 'foo' }));
setImmediate(() => t('immediate'));
process.on('exit', () => t('exit'));
