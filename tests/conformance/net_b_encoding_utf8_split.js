// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
// setEncoding('utf8') with characters split across reads: the server sends
// 61e282 | ac62 | e3 | 8182 | f09f98 | 807a, each only after the client has
// read the previous one (its bytesRead, polled from immediates), so that
// every chunk is a read of its own. 'data' gets whole characters only.
'use strict';
const net = require('net');
const { t } = require(__dirname + '/lib/trace');

const chunks = ['61e282', 'ac62', 'e3', '8182', 'f09f98', '807a'];
let client;

function waitRead(n, next) {
  if (client.bytesRead >= n) next();
  else setImmediate(waitRead, n, next);
}
function sendFrom(s, i, total) {
  if (i === chunks.length) {
    s.end();
    return;
  }
  const buf = Buffer.from(chunks[i], 'hex');
  s.write(buf);
  waitRead(total + buf.length, () => {
    t('C bytesRead', client.bytesRead);
    sendFrom(s, i + 1, total + buf.length);
  });
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
  client.setEncoding('utf8');
  client.on('data', (d) => t('C data', JSON.stringify(d), Buffer.byteLength(d)));
  client.on('end', () => t('C end', client.bytesRead));
  client.on('close', (h) => t('C close', h));
});
