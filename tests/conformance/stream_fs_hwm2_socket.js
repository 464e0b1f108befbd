// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
// The seed's highWaterMark-2 read stream feeding socket.write(): each
// 'data' chunk is written and write()'s return value, bufferSize and
// bytesWritten printed, with 'drain'. First as in the seed (a server's
// socket: every write goes straight out, true, 0 buffered), then into a
// client socket with highWaterMark 4 that is corked while the file is
// read, so that write() returns false, bytes wait in bufferSize and
// 'drain' follows the uncork.
'use strict';
const net = require('net');
const fs = require('fs');
const { log, dump } = require(__dirname + '/lib/objlog');

fs.writeFileSync('a.txt', 'abcdefghijk');
function feed(name, s, corked, done) {
  const rs = fs.createReadStream('a.txt', { highWaterMark: 2 });
  rs.on('open', () => log(name, 'R open', rs.pending));
  rs.on('ready', () => log(name, 'R ready'));
  rs.on('data', (d) => {
    const flag = s.write(d);
    log(name, 'R data', JSON.stringify(d.toString()), 'flag', flag, 'bufferSize', s.bufferSize,
        'bytesWritten', s.bytesWritten, 'needDrain', s.writableNeedDrain, rs.bytesRead);
  });
  rs.on('end', () => {
    log(name, 'R end', rs.bytesRead);
    if (corked) {
      s.uncork();
      log(name, 'uncorked', s.bufferSize, s.bytesWritten, s.writableNeedDrain);
      s.once('drain', () => s.end());
    } else {
      s.end();
    }
  });
  rs.on('close', () => log(name, 'R close'));
  s.on('drain', () => log(name, 'drain', s.bufferSize, s.bytesWritten));
  s.on('finish', () => log(name + '-sock', 'finish', s.bytesWritten));
  s.on('close', () => { log(name + '-sock', 'close'); done(); });
}
let first = true;
const server = net.createServer({ allowHalfOpen: true }, (s) => {
  let got = '';
  const name = first ? 'S' : 'C';
  s.on('data', (d) => { got += d; });
  s.on('end', () => { log(name + '-peer', 'end', JSON.stringify(got)); s.end(); });
  if (first) {
    first = false;
    feed('S', s, false, part2);
  }
});
server.listen(0, '127.0.0.1', () => {
  const c = net.connect(server.address().port, '127.0.0.1');
  let got = '';
  c.on('data', (d) => { got += d; });
  c.on('end', () => { log('P', 'end', JSON.stringify(got)); c.end(); });
});
function part2() {
  const c = new net.Socket({ highWaterMark: 4 });
  c.connect(server.address().port, '127.0.0.1', () => {
    c.cork();
    log('C', 'connect', c.writableHighWaterMark, c.writableCorked);
    feed('C', c, true, () => server.close());
  });
}
process.on('exit', dump);
