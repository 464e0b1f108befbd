// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
// The seed's logger: every accepted socket is piped into
// fs.createWriteStream('msg.txt'). The file opens first; the client writes
// and ends; 'end' on the socket ends the file, whose 'finish' unpipes it.
'use strict';
const net = require('net');
const fs = require('fs');
const { t } = require(__dirname + '/lib/trace');
const { log, dump } = require(__dirname + '/lib/objlog');

const ws = fs.createWriteStream('msg.txt');
t('W created', ws.pending, ws.writableLength, ws.writableHighWaterMark, ws.bytesWritten);
let ssock;
ws.on('open', (fd) => log('W', 'open', typeof fd, ws.pending));
ws.on('ready', () => log('W', 'ready'));
ws.on('pipe', (src) => log('W', 'pipe', src === ssock));
ws.on('unpipe', (src) => log('W', 'unpipe', src === ssock, ssock.readableFlowing));
ws.on('finish', () => log('W', 'finish', ws.bytesWritten, ws.writableFinished));
ws.on('close', () => { log('W', 'close', ws.bytesWritten, ws.closed); server.close(); });

const server = net.createServer((s) => {
  ssock = s;
  log('S', 'connection', s.readableFlowing);
  s.on('end', () => log('S', 'end', s.bytesRead));
  s.on('close', (h) => log('S', 'close', h));
  s.pipe(ws);
  log('S', 'piped', s.readableFlowing, s.isPaused());
});
ws.on('open', () => server.listen(0, '127.0.0.1', () => {
  const c = net.connect(server.address().port, '127.0.0.1', () => {
    c.write('hello ');
    c.end('world');
  });
  c.on('close', () => log('C', 'close'));
}));
process.on('exit', () => {
  dump();
  t('file', JSON.stringify(fs.readFileSync('msg.txt', 'utf8')));
});
