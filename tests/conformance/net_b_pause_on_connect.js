// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
// pauseOnConnect: the accepted socket is paused and a 'data' listener does
// not start it; nothing is read until resume(); bytesRead after resume.
'use strict';
const net = require('net');
const { t } = require(__dirname + '/lib/trace');

let ssock, client;
let connected = 0;
function both() {
  if (++connected < 2) return;
  client.write('hello', () => {
    t('C write cb');
    // Leave the server a chance to (wrongly) read before resuming.
    setTimeout(() => {
      t('S resume', ssock.isPaused(), ssock.bytesRead);
      ssock.resume();
      t('S after resume', ssock.isPaused(), ssock.bytesRead);
    }, 50);
  });
}
const server = net.createServer({ pauseOnConnect: true }, (s) => {
  ssock = s;
  t('S connection', s.isPaused(), s.readyState, s.bytesRead);
  s.on('data', (d) => {
    t('S data', JSON.stringify(d.toString()), s.bytesRead, s.isPaused());
    client.end();
  });
  t('S after on data', s.isPaused());
  s.on('pause', () => t('S pause'));
  s.on('resume', () => t('S resume event', s.bytesRead));
  s.on('end', () => t('S end', s.bytesRead));
  s.on('close', (h) => { t('S close', h); server.close(); });
  both();
});
server.listen(0, '127.0.0.1', () => {
  client = net.connect(server.address().port, '127.0.0.1', both);
  client.on('close', (h) => t('C close', h));
});
