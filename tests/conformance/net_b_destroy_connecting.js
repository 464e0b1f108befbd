// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
// destroy() right after connect(), with writes and an end() callback
// waiting for the connection: the ticks queued after destroy() run first;
// then, from the handle's close, every write callback and the end callback
// get ERR_SOCKET_CLOSED_BEFORE_CONNECTION, then 'close' (had_error false,
// no 'error' event).
'use strict';
const net = require('net');
const { t } = require(__dirname + '/lib/trace');

const server = net.createServer();
server.listen(0, '127.0.0.1', () => {
  const c = net.connect(server.address().port, '127.0.0.1');
  for (const chunk of ['a', 'b', 'c'])
    c.write(chunk, (err) => t('C write cb', chunk, err && err.code, err && err.message));
  c.end((err) => t('C end cb', err && err.code, err && err.message));
  t('C before destroy', c.writableLength);
  c.destroy();
  t('C after destroy', c.writableLength);
  process.nextTick(() => t('C tick'));
  c.on('error', (err) => t('C error', err.code));
  c.on('close', (h) => {
    t('C close', h, c.writableLength);
    server.close();
  });
});
