// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
// readline over a socket: the server sends pieces that cut lines, a CR LF,
// a UTF-8 character and a read of several lines, each only after the client
// has read the previous one (its bytesRead, polled from immediates), so that
// every piece is a read of its own. The interface pauses on "delta" (the
// rest of that read still comes out, as Node does), resumes from an
// immediate, and emits the last line, without its end, when the socket ends.
// crlfDelay: Infinity, so that a slow machine cannot turn the split CR LF
// into two line ends.
'use strict';
const net = require('net');
const readline = require('readline');
const { t } = require(__dirname + '/lib/trace');

const pieces = ['616c7068610a', '62657461' + '0d0a' + '67616d', '6d610d',
  '0a' + '64656c7461' + '0d' + '657073696c6f6e' + '0a0a' + '7a657461' + '0a',
  'c3', 'a90a', '6c617374206c696e6520776974686f757420656e64'];
let client;

function waitRead(n, next) {
  if (client.bytesRead >= n) next();
  else setImmediate(waitRead, n, next);
}
function sendFrom(s, i, total) {
  if (i === pieces.length) {
    s.end();
    return;
  }
  const buf = Buffer.from(pieces[i], 'hex');
  s.write(buf);
  waitRead(total + buf.length, () => sendFrom(s, i + 1, total + buf.length));
}
let ssock;
let ready = 0;
function both() {
  if (++ready === 2) sendFrom(ssock, 0, 0);
}
const server = net.createServer((s) => {
  ssock = s;
  s.on('close', () => server.close());
  both();
});
server.listen(0, '127.0.0.1', () => {
  client = net.connect(server.address().port, '127.0.0.1', both);
  const rl = readline.createInterface({ input: client, crlfDelay: Infinity });
  t('rl crlfDelay', rl.crlfDelay === Infinity ? 'Infinity' : rl.crlfDelay, 'terminal', rl.terminal);
  rl.on('line', (line) => {
    t('line', JSON.stringify(line), Buffer.byteLength(line));
    if (line === 'delta') {
      rl.pause();
      t('paused', rl.paused, client.isPaused());
      setImmediate(() => rl.resume());
    }
  });
  rl.on('pause', () => t('rl pause'));
  rl.on('resume', () => t('rl resume'));
  rl.on('close', () => t('rl close', rl.closed, rl.paused));
  client.on('end', () => t('C end', client.bytesRead));
  client.on('close', (h) => t('C close', h));
});
