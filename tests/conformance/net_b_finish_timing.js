// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
// When end() has nothing left to write, the shutdown runs at the start of
// the next turn (libuv feeds it to the pending queue), so the FIN reaches
// the peer in time for that turn's poll: the server's 'end' comes before
// the 'close' of the client destroyed from its 'finish' listener.
'use strict';
const net = require('net');
const { t } = require(__dirname + '/lib/trace');

const server = net.createServer({ allowHalfOpen: true }, (s) => {
  s.on('data', (d) => t('S data', JSON.stringify(d.toString())));
  s.on('end', () => {
    t('S end', s.readyState);
    setImmediate(() => s.end());
  });
  s.on('finish', () => t('S finish'));
  s.on('close', (h) => { t('S close', h); server.close(); });
});
server.listen(0, '127.0.0.1', () => {
  const c = net.connect(server.address().port, '127.0.0.1', () => {
    c.end('x');
  });
  c.on('finish', () => {
    t('C finish', c.readyState);
    c.destroy();
  });
  c.on('close', (h) => t('C close', h));
});
