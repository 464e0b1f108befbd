// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
// connect()'s argument and state errors, disconnect() and remoteAddress()
// in every state, and sends that do not fit the state.
'use strict';
const dgram = require('dgram');
const { t } = require(__dirname + '/lib/trace');
const { tr } = require(__dirname + '/lib/dgram');

const peer = dgram.createSocket('udp4');
peer.bind(0, '127.0.0.1', () => {
  const port = peer.address().port;
  const c = dgram.createSocket('udp4');
  tr('connect port 0', () => c.connect(0, '127.0.0.1'));
  tr('connect port 65536', () => c.connect(65536));
  tr('connect port -1', () => c.connect(-1));
  tr('disconnect before', () => c.disconnect());
  tr('remoteAddress before', () => c.remoteAddress());
  tr('connect', () => c.connect(port, '127.0.0.1'));
  tr('connect while connecting', () => c.connect(port, '127.0.0.1'));
  tr('disconnect while connecting', () => c.disconnect());
  tr('remoteAddress while connecting', () => c.remoteAddress());
  tr('send without port while connecting', () => c.send('x'));
  c.once('connect', () => {
    t('connect');
    tr('connect when connected', () => c.connect(port, '127.0.0.1'));
    tr('send range with port', () => c.send(Buffer.from('abc'), 0, 3, port));
    tr('send range with port and address', () => c.send(Buffer.from('abc'), 0, 3, port, '127.0.0.1'));
    tr('send range out of bounds', () => c.send(Buffer.from('abc'), 4, 1, port));
    tr('disconnect', () => c.disconnect());
    tr('remoteAddress after disconnect', () => c.remoteAddress());
    tr('disconnect again', () => c.disconnect());
    tr('send without port after disconnect', () => c.send('x'));
    tr('connect again', () => c.connect(port, '127.0.0.1', () => {
      t('connected again', c.remoteAddress().port === port);
      c.close();
      tr('remoteAddress after close', () => c.remoteAddress());
      peer.close();
    }));
  });
});
