// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
// 'pause' is emitted at once and only when the stream was not already
// paused; 'resume' on a later tick, once per scheduling, even when pause()
// came in between; isPaused() at each step. The server's greeting waits in
// the kernel until the client flows for good.
'use strict';
const net = require('net');
const { t } = require(__dirname + '/lib/trace');

let resumes = 0;
const server = net.createServer((s) => {
  s.end('greeting');
  s.on('close', () => server.close());
});
server.listen(0, '127.0.0.1', () => {
  const c = net.connect(server.address().port, '127.0.0.1', () => {
    t('C connect', c.isPaused());
    c.pause();
    t('C after pause', c.isPaused());
    c.pause();
    t('C after second pause', c.isPaused());
    c.resume();
    t('C after resume', c.isPaused());
    c.resume();
    t('C after second resume', c.isPaused());
    process.nextTick(() => t('C tick', c.isPaused()));
  });
  c.on('pause', () => t('C pause event', c.isPaused()));
  c.on('resume', () => {
    resumes++;
    t('C resume event', resumes, c.isPaused());
    if (resumes === 1) {
      c.pause();
      c.resume();
      c.pause();
      t('C pause resume pause', c.isPaused());
    } else if (resumes === 2) {
      setImmediate(() => {
        c.on('data', (d) => t('C data', JSON.stringify(d.toString())));
        t('C on data', c.isPaused());
        c.resume();
      });
    }
  });
  c.on('end', () => t('C end'));
  c.on('close', (h) => t('C close', h));
});
