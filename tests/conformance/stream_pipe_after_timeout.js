// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
// The seed's timeout-then-pipe: socket.setTimeout() and pause(); the
// 'timeout' listener pipes the socket into the file. Data sent before
// the timeout waits in the kernel and reaches the file afterwards.
'use strict';
const net = require('net');
const fs = require('fs');
const { t } = require(__dirname + '/lib/trace');
const { log, dump } = require(__dirname + '/lib/objlog');

const ws = fs.createWriteStream('msg.txt');
let ssock;
ws.on('pipe', () => log('W', 'pipe'));
ws.on('unpipe', () => log('W', 'unpipe'));
ws.on('finish', () => log('W', 'finish', ws.bytesWritten));
ws.on('close', () => log('W', 'close'));

const server = net.createServer((s) => {
  ssock = s;
  s.setTimeout(100);
  s.pause();
  s.on('timeout', () => {
    log('S', 'timeout', s.isPaused(), s.readableFlowing);
    s.setTimeout(0);
    s.pipe(ws);
    log('S', 'piped', s.isPaused(), s.readableFlowing);
    s.write('go');
  });
  s.on('end', () => log('S', 'end'));
  s.on('close', () => { log('S', 'close'); server.close(); });
});
ws.on('open', () => server.listen(0, '127.0.0.1', () => {
  const c = net.connect(server.address().port, '127.0.0.1', () => c.write('before timeout '));
  c.on('data', (d) => { log('C', 'data', JSON.stringify(d.toString())); c.end('after timeout'); });
}));
process.on('exit', () => {
  dump();
  t('file', JSON.stringify(fs.readFileSync('msg.txt', 'utf8')));
});
