// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
// highWaterMark: 0 (Node accepts it: every write is "full"), the
// net.connect(port, host, cb) short form, util.format writes, and
// end(string, encoding, cb).
'use strict';
const net = require('net');
const util = require('util');
const { t } = require(__dirname + '/lib/trace');

const srv = net.createServer({ highWaterMark: 0 }, (c) => {
  t('accepted hwm', c.writableHighWaterMark);
  let got = '';
  c.setEncoding('utf8');
  c.on('data', (d) => { got += d; });
  c.on('end', () => {
    t('server got', JSON.stringify(got));
    c.end();
    srv.close();
  });
});
srv.listen(0, '127.0.0.1', () => {
  const s = net.connect(srv.address().port, '127.0.0.1', () => {
    t('connect');
    t('write', s.write(util.format('%s=%d;', 'n', 42)));
    t('end', s.end('21', 'hex', () => t('end cb')) === s);
  });
  s.on('finish', () => t('finish'));
  s.on('close', () => t('close'));
  s.resume();
  const z = new net.Socket({ highWaterMark: 0 });
  t('client hwm', z.writableHighWaterMark);
  z.destroy();
});
