// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
// The seed's pipe with {end: false}: the file stays open after the socket
// ends; the 'end' listener then ends it with 'over' and unpipes in the end
// callback (which runs before 'finish', so that unpipe is the one that
// emits 'unpipe'). The 'end' of the socket unpipes first, though: with
// {end: false} Node's pipe unpipes on the source's 'end'.
'use strict';
const net = require('net');
const fs = require('fs');
const { t } = require(__dirname + '/lib/trace');
const { log, dump } = require(__dirname + '/lib/objlog');

const ws = fs.createWriteStream('msg.txt');
let ssock;
ws.on('open', () => log('W', 'open'));
ws.on('pipe', (src) => log('W', 'pipe', src === ssock, ws.listenerCount('unpipe')));
ws.on('unpipe', (src) => log('W', 'unpipe', src === ssock, ssock.readableFlowing, ws.writable));
ws.on('finish', () => log('W', 'finish', ws.bytesWritten));
ws.on('close', () => { log('W', 'close'); server.close(); });

const server = net.createServer((s) => {
  ssock = s;
  let got = '';
  s.on('data', (d) => { got += d; });
  s.pipe(ws, { end: false });
  log('S', 'piped', ws.listenerCount('unpipe'), s.listenerCount('data'));
  s.on('end', () => {
    log('S', 'end', JSON.stringify(got), ws.writable, ws.writableEnded);
    ws.end('over', () => {
      log('W', 'end cb', ws.writableFinished);
      s.unpipe(ws);
      log('W', 'after unpipe', ws.listenerCount('unpipe'));
    });
  });
  s.on('close', () => log('S', 'close'));
});
ws.on('open', () => server.listen(0, '127.0.0.1', () => {
  const c = net.connect(server.address().port, '127.0.0.1', () => c.end('data1 data2 '));
}));
process.on('exit', () => {
  dump();
  t('file', JSON.stringify(fs.readFileSync('msg.txt', 'utf8')));
});
