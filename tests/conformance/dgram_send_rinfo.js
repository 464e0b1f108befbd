// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
// A datagram from one socket to another: the receiver's 'message' with
// rinfo {address, family, port, size}, the sender's callback with the byte
// count, and an echo back (the seed's echo server and client).
'use strict';
const dgram = require('dgram');
const { t } = require(__dirname + '/lib/trace');
const { rinfo } = require(__dirname + '/lib/dgram');

const server = dgram.createSocket('udp4');
server.on('message', (msg, ri) => {
  rinfo('server message', msg, ri);
  t('from client port', ri.port === client.address().port);
  server.send(msg, 0, msg.length, ri.port, ri.address, (e, n) => t('echo cb', e, n));
});
let client;
server.bind(0, '127.0.0.1', () => {
  client = dgram.createSocket('udp4', (msg, ri) => {
    rinfo('client message', msg, ri);
    t('from server port', ri.port === server.address().port);
    client.close();
    server.close(() => t('closed'));
  });
  client.send(Buffer.from('hello'), server.address().port, '127.0.0.1', (e, n) => t('send cb', e, n));
});
