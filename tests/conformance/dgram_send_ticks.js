// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
// When send callbacks run relative to other ticks: two ticks after the
// call on a socket that is not connected (lookup, then nextTick), one on
// a connected socket; a send whose socket closes in the same tick never
// calls back.
'use strict';
const dgram = require('dgram');
const { t } = require(__dirname + '/lib/trace');

const r = dgram.createSocket('udp4');
r.bind(0, '127.0.0.1', () => {
  const port = r.address().port;
  const s = dgram.createSocket('udp4');
  s.bind(0, '127.0.0.1', () => {
    process.nextTick(() => t('T0'));
    s.send('a', port, '127.0.0.1', () => t('a cb'));
    process.nextTick(() => t('T1'));
    s.send('b', port, '127.0.0.1', () => t('b cb'));
    process.nextTick(() => { t('T2'); process.nextTick(() => t('T2.1')); });
    setImmediate(() => {
      t('immediate');
      s.connect(port, '127.0.0.1', () => {
        process.nextTick(() => t('C0'));
        s.send('c', () => t('c cb'));
        process.nextTick(() => t('C1'));
        s.send('d', () => t('d cb'));
        setImmediate(() => {
          const u = dgram.createSocket('udp4');
          u.bind(0, '127.0.0.1', () => {
            u.send('e', port, '127.0.0.1', () => t('e cb never'));
            u.close(() => t('u closed'));
            s.close(() => t('s closed'));
            r.close(() => t('r closed'));
          });
        });
      });
    });
  });
});
