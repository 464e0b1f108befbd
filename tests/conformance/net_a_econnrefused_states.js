// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
// A refused connection seen through readyState, pending, connecting and
// destroyed: right after connect(), on the next tick, in 'error' and in
// 'close'.
'use strict';
const net = require('net');
const { t } = require(__dirname + '/lib/trace');

const st = (c) => [c.readyState, c.pending, c.connecting, c.destroyed].join(' ');
const probe = net.createServer();
probe.listen(0, '127.0.0.1', () => {
  const port = probe.address().port;
  probe.close(() => {
    const c = net.connect(port, '127.0.0.1');
    t('after connect()', st(c));
    process.nextTick(() => t('next tick', st(c)));
    c.on('error', (e) => t('error', e.code, st(c)));
    c.on('close', (h) => t('close', h, st(c)));
  });
});
