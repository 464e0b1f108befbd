// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
// close() twice in a row: each call schedules a 'close' (Node emits it
// twice); both callbacks run on the first 'close', the second with
// ERR_SERVER_NOT_RUNNING; a third close() later gets the same error.
'use strict';
const net = require('net');
const { t } = require(__dirname + '/lib/trace');

const server = net.createServer();
let closes = 0;
server.on('close', () => t('close event', ++closes));
server.listen(0, '127.0.0.1', () => {
  server.close((e) => t('cb1', e ? e.code : 'none'));
  server.close((e) => t('cb2', e ? e.code : 'none', e ? e.message : ''));
  t('after two closes', server.listening);
  setImmediate(() => {
    t('immediate', closes);
    server.close((e) => t('cb3', e ? e.code : 'none'));
  });
});
