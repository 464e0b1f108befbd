// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
// setEncoding('hex'): each read becomes its hex text. The client acknowledges
// each 'data' so that the server's chunks arrive one read each.
'use strict';
const net = require('net');
const { t } = require(__dirname + '/lib/trace');

const chunks = ['ab', '00ff', '7a', '0a0d'];
const server = net.createServer((s) => {
  let i = 0;
  s.write(Buffer.from(chunks[i++], 'hex'));
  s.on('data', (d) => {
    t('S ack', JSON.stringify(d.toString()));
    if (i < chunks.length) s.write(Buffer.from(chunks[i++], 'hex'));
    else s.end();
  });
  s.on('close', () => server.close());
});
server.listen(0, '127.0.0.1', () => {
  const c = net.connect(server.address().port, '127.0.0.1');
  c.setEncoding('hex');
  c.on('data', (d) => {
    t('C data', JSON.stringify(d), c.bytesRead);
    c.write('k');
  });
  c.on('end', () => t('C end', c.bytesRead));
  c.on('close', (h) => t('C close', h));
});
