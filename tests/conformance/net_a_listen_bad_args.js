// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
// server.listen() with a bad port (-1, 65536, with and without a host) or an
// empty path throws (cnet: returns the code), leaves the server not
// listening, and the same server can then listen on port 0.
'use strict';
const net = require('net');
const { t } = require(__dirname + '/lib/trace');

const server = net.createServer();
function attempt(name, fn) {
  try {
    fn();
    t(name, 'no throw');
  } catch (e) {
    t(name, e.code, server.listening);
  }
}
server.on('error', (e) => t('error', e.code));
attempt('port -1', () => server.listen(-1));
attempt('port 65536', () => server.listen(65536));
attempt('port -1 with host', () => server.listen(-1, '127.0.0.1'));
attempt('options port 65536', () => server.listen({ port: 65536 }));
attempt('empty path', () => server.listen({ path: '' }));
server.listen(0, '127.0.0.1', () => {
  t('listening', server.listening, server.address().port > 0);
  server.close(() => t('closed'));
});
