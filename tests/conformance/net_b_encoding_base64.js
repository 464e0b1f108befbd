// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
// setEncoding('base64'): only whole 3-byte groups are emitted; the bytes
// left over wait for the next read, and the last ones are flushed (with
// padding) as a 'data' before 'end'. Chunks "ab" | "cde" | "f" | "gh" are
// sent one read each (the server waits for the client's bytesRead).
'use strict';
const net = require('net');
const { t } = require(__dirname + '/lib/trace');

const chunks = ['ab', 'cde', 'f', 'gh'];
let client;

function waitRead(n, next) {
  if (client.bytesRead >= n) next();
  else setImmediate(waitRead, n, next);
}
function sendFrom(s, i, total) {
  if (i === chunks.length) {
    t('S end');
    s.end();
    return;
  }
  s.write(chunks[i]);
  total += chunks[i].length;
  waitRead(total, () => {
    t('C bytesRead', client.bytesRead);
    sendFrom(s, i + 1, total);
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
  client.setEncoding('base64');
  client.on('data', (d) => t('C data', JSON.stringify(d)));
  client.on('end', () => t('C end', client.bytesRead));
  client.on('close', (h) => t('C close', h));
});
