// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
// pause() on a client before connect(): 'pause' at once, isPaused() true,
// a 'data' listener does not resume it, no data until resume(); 'resume'
// comes on a later tick.
'use strict';
const net = require('net');
const { t } = require(__dirname + '/lib/trace');

let client, ssock;
let ready = 0;
function both() {
  if (++ready < 2) return;
  ssock.write('greeting', () => {
    t('S write cb');
    setTimeout(() => {
      t('C resume', client.isPaused(), client.bytesRead);
      client.resume();
      t('C after resume', client.isPaused());
    }, 50);
  });
}
const server = net.createServer((s) => {
  ssock = s;
  s.on('end', () => t('S end'));
  s.on('close', () => server.close());
  both();
});
server.listen(0, '127.0.0.1', () => {
  client = new net.Socket();
  client.on('pause', () => t('C pause event'));
  client.on('resume', () => t('C resume event', client.isPaused()));
  t('C new', client.isPaused());
  client.pause();
  t('C after pause', client.isPaused());
  client.pause();
  t('C after second pause', client.isPaused());
  client.on('data', (d) => {
    t('C data', JSON.stringify(d.toString()), client.bytesRead);
    client.end();
  });
  t('C after on data', client.isPaused());
  client.connect(server.address().port, '127.0.0.1', () => {
    t('C connect', client.isPaused(), client.bytesRead);
    both();
  });
  client.on('end', () => t('C end'));
  client.on('close', (h) => t('C close', h));
});
