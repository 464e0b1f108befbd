// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
// socket.connect() with a bad port on a new net.Socket: the call throws
// ERR_SOCKET_BAD_PORT; the socket's state before and after the throw, and
// its 'close' when destroyed.
'use strict';
const net = require('net');
const { t } = require(__dirname + '/lib/trace');

const st = (s) => [s.readyState, s.pending, s.connecting, s.destroyed].join(' ');
const s = new net.Socket();
t('new', st(s));
try {
  s.connect(-1, '127.0.0.1');
  t('no throw');
} catch (e) {
  t('throw', e.code);
}
t('after throw', st(s));
s.on('error', (e) => t('error', e.code));
s.on('close', (h) => t('close', h, st(s)));
s.destroy();
t('after destroy', st(s));
