// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
// A connect that fails (an IPv6 address on udp4): the callback gets the
// error ('connect EINVAL ::1:9') and no 'error' is emitted; without a
// callback, the error is emitted. The socket stays usable.
'use strict';
const dgram = require('dgram');
const { t } = require(__dirname + '/lib/trace');
const { tr, err } = require(__dirname + '/lib/dgram');

const c = dgram.createSocket('udp4');
c.on('error', (e) => {
  err('error event', e);
  t('fields', e.syscall, e.address, e.port);
  tr('connect again', () => c.connect(9, () => { t('connected', c.remoteAddress().address); c.close(); }));
});
c.on('connect', () => t('connect event'));
tr('connect with cb', () => c.connect(9, '::1', (e) => {
  err('connect cb', e);
  t('listeners', c.listenerCount('connect'));
  tr('connect without cb', () => c.connect(9, '::1'));
}));
process.nextTick(() => t('tick'));
