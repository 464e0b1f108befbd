// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
// listen() on a listening server throws ERR_SERVER_ALREADY_LISTEN and leaves
// the server listening on its first address.
'use strict';
const net = require('net');
const { t } = require(__dirname + '/lib/trace');

const server = net.createServer();
let listenings = 0;
server.on('listening', () => t('listening', ++listenings));
server.on('close', () => t('close'));
server.listen(0, '127.0.0.1', () => {
  const port = server.address().port;
  try {
    server.listen(0, '127.0.0.1');
    t('no throw');
  } catch (e) {
    t('throw', e.code, e.message);
  }
  t('still', server.listening, server.address().port === port);
  setImmediate(() => {
    t('immediate', listenings, server.address().port === port);
    server.close();
  });
});
