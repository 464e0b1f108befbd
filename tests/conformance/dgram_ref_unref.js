// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
// An unref'd socket does not keep the program running, bound or not; ref()
// makes it count again; ref/unref return the socket and work at any time.
'use strict';
const dgram = require('dgram');
const { t } = require(__dirname + '/lib/trace');

const a = dgram.createSocket('udp4');
t('unref before bind', a.unref() === a);
a.bind(0, '127.0.0.1', () => {
  t('a listening');
  const b = dgram.createSocket('udp4');
  b.bind(0, '127.0.0.1', () => {
    t('b listening');
    b.unref();
    b.ref();
    setTimeout(() => {
      t('timer');
      b.unref();
      const c = dgram.createSocket('udp4');
      c.unref();
      c.ref();
      c.bind(0, '127.0.0.1', () => { t('c listening'); c.unref(); });
    }, 20);
  });
});
process.on('exit', () => t('exit'));
