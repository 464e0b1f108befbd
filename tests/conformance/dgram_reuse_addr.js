// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
// reuseAddr lets a second socket bind the same address and port; without
// it the second bind fails with EADDRINUSE. Bad types throw.
'use strict';
const dgram = require('dgram');
const { t } = require(__dirname + '/lib/trace');
const { tr } = require(__dirname + '/lib/dgram');

tr('type udp5', () => dgram.createSocket('udp5'));
tr('options type tcp', () => dgram.createSocket({ type: 'tcp' }));
tr('options without type', () => dgram.createSocket({}));
const a = dgram.createSocket({ type: 'udp4', reuseAddr: true });
a.bind(0, '127.0.0.1', () => {
  const port = a.address().port;
  const b = dgram.createSocket({ type: 'udp4', reuseAddr: true });
  b.bind(port, '127.0.0.1', () => {
    t('b bound to the same port', b.address().port === port);
    const c = dgram.createSocket('udp4');
    c.on('error', (e) => {
      t('c error', e.code);
      c.close();
      b.close();
      a.close();
    });
    c.bind(port, '127.0.0.1');
  });
});
