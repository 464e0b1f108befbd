// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
// A send to a name ('localhost') looks it up first (family 4 on udp4);
// bind and connect take names too.
'use strict';
const dgram = require('dgram');
const { t } = require(__dirname + '/lib/trace');

let s, port;
const r = dgram.createSocket('udp4', (msg, ri) => {
  t('message', JSON.stringify(msg.toString()), ri.address);
  if (msg.toString() === 'by name') {
    s.connect(port, 'localhost', () => {
      t('connected', s.remoteAddress().address);
      s.send('connected');
    });
  } else {
    r.close();
    s.close();
  }
});
r.bind(0, 'localhost', () => {
  t('bound', r.address().address);
  port = r.address().port;
  s = dgram.createSocket('udp4');
  s.send('by name', port, 'localhost', (e, n) => t('send cb', e, n));
});
