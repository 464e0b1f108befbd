// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
// The seed's pause-then-pipe: the server pauses the socket at once, the
// client's data waits (the seed waits 10 s; here 50 ms after the client's
// write completed), then resume() and pipe() carry it into the file, with
// what the client sends after that.
'use strict';
const net = require('net');
const fs = require('fs');
const { t } = require(__dirname + '/lib/trace');
const { log, dump } = require(__dirname + '/lib/objlog');

const ws = fs.createWriteStream('msg.txt');
let ssock, client;
let ready = 0;
function both() {
  if (++ready < 2) return;
  client.write('early data ', () => setTimeout(() => {
    log('S', 'before', ssock.isPaused(), ssock.readableFlowing);
    ssock.resume();
    log('S', 'resumed', ssock.isPaused(), ssock.readableFlowing);
    ssock.pipe(ws);
    log('S', 'piped', ssock.isPaused(), ssock.readableFlowing);
    ssock.write('go');
  }, 50));
}
ws.on('pipe', () => log('W', 'pipe'));
ws.on('unpipe', () => log('W', 'unpipe'));
ws.on('finish', () => log('W', 'finish', ws.bytesWritten));
ws.on('close', () => log('W', 'close'));

const server = net.createServer((s) => {
  ssock = s;
  s.pause();
  log('S', 'paused', s.isPaused(), s.readableFlowing);
  // After 'end', the file's 'finish' unpipes and pauses the socket while
  // the socket closes: which comes first is a race, so pause events are
  // only logged until then.
  s.on('pause', () => { if (!s.readableEnded) log('S', 'pause event'); });
  s.on('resume', () => log('S', 'resume event'));
  s.on('end', () => log('S', 'end'));
  s.on('close', () => { log('S', 'close'); server.close(); });
  both();
});
ws.on('open', () => server.listen(0, '127.0.0.1', () => {
  client = net.connect(server.address().port, '127.0.0.1', both);
  client.on('data', (d) => { log('C', 'data', JSON.stringify(d.toString())); client.end('late data'); });
}));
process.on('exit', () => {
  dump();
  t('file', JSON.stringify(fs.readFileSync('msg.txt', 'utf8')));
});
