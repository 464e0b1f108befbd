// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
// cork(): writes are buffered (write() still returns true, writableLength
// grows, no callback runs); uncork() sends them as one writev, their
// callbacks run in order on the next tick. The server (pauseOnConnect) only
// starts reading once every callback has run, and gets them in one 'data'.
'use strict';
const net = require('net');
const { t } = require(__dirname + '/lib/trace');

let ssock, client;
let ready = 0;
function both() {
  if (++ready < 2) return;
  client.cork();
  let done = 0;
  for (const chunk of ['a', 'bb', 'ccc']) {
    const r = client.write(chunk, (err) => {
      t('C write cb', chunk, err, client.writableLength);
      if (++done === 3) ssock.resume();
    });
    t('C write', chunk, r, client.writableLength);
  }
  process.nextTick(() => t('C tick while corked', client.writableLength));
  setImmediate(() => {
    t('C uncork', client.writableLength);
    client.uncork();
    t('C after uncork', client.writableLength);
  });
}
const server = net.createServer({ pauseOnConnect: true }, (s) => {
  ssock = s;
  s.on('data', (d) => {
    t('S data', JSON.stringify(d.toString()));
    client.end();
  });
  s.on('end', () => t('S end'));
  s.on('close', () => server.close());
  both();
});
server.listen(0, '127.0.0.1', () => {
  client = net.connect(server.address().port, '127.0.0.1', both);
  client.on('close', (h) => t('C close', h));
});
