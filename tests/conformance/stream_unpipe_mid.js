// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
// The seed's unpipe: the socket is piped into the file with {end: false};
// once the first part arrived the server ends the file with 'bye bye' and
// unpipes the socket (the seed waits 5 s; here the first part's arrival
// is the signal). unpipe() pauses the socket; it is resumed to read the
// second part, which must not reach the file.
'use strict';
const net = require('net');
const fs = require('fs');
const { t } = require(__dirname + '/lib/trace');
const { log, dump } = require(__dirname + '/lib/objlog');

const ws = fs.createWriteStream('msg.txt');
let ssock;
ws.on('pipe', () => log('W', 'pipe'));
ws.on('unpipe', (src) => log('W', 'unpipe', src === ssock, ssock.readableFlowing));
ws.on('finish', () => log('W', 'finish', ws.bytesWritten));
ws.on('close', () => log('W', 'close'));

const server = net.createServer((s) => {
  ssock = s;
  s.pipe(ws, { end: false });
  s.on('pause', () => log('S', 'pause'));
  s.on('resume', () => log('S', 'resume'));
  s.on('data', (d) => {
    log('S', 'data', JSON.stringify(d.toString()));
    if (d.toString() !== 'part1 ') return;
    log('S', 'file buffered', ws.writableLength);
    ws.end('bye bye');
    s.unpipe(ws);
    log('S', 'unpiped', s.readableFlowing, s.isPaused(), s.listenerCount('data'));
    s.write('ok');
    s.resume();
    log('S', 'resumed', s.readableFlowing, s.isPaused());
  });
  s.on('end', () => log('S', 'end'));
  s.on('close', () => { log('S', 'close'); server.close(); });
});
ws.on('open', () => server.listen(0, '127.0.0.1', () => {
  const c = net.connect(server.address().port, '127.0.0.1', () => c.write('part1 '));
  c.on('data', (d) => { log('C', 'data', JSON.stringify(d.toString())); c.end('part2'); });
}));
process.on('exit', () => {
  dump();
  t('file', JSON.stringify(fs.readFileSync('msg.txt', 'utf8')));
});
