// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
// Backpressure through pipe(): a file read stream (highWaterMark 4) piped
// into a slow writable (highWaterMark 4, each write completing in the
// next immediate phase). Every chunk fills the writable: write() returns
// false, pipe pauses the source; 'drain' resumes it. cnet's twin uses a
// memory sink in slow mode.
'use strict';
const fs = require('fs');
const { Writable } = require('stream');
const { t } = require(__dirname + '/lib/trace');

fs.writeFileSync('in.txt', '0123456789abcdefgh');
let stored = '';
let writes = 0;
const sink = new Writable({
  highWaterMark: 4,
  write(chunk, enc, cb) {
    writes++;
    stored += chunk;
    setImmediate(cb);
  },
});
const rs = fs.createReadStream('in.txt', { highWaterMark: 4 });
rs.on('pause', () => t('R pause', rs.readableFlowing));
rs.on('resume', () => t('R resume', rs.readableFlowing));
rs.on('end', () => t('R end', rs.bytesRead));
rs.on('close', () => t('R close'));
sink.on('pipe', () => t('W pipe'));
sink.on('drain', () => t('W drain', writes, JSON.stringify(stored), sink.writableLength));
sink.on('unpipe', () => t('W unpipe'));
sink.on('finish', () => t('W finish', writes, JSON.stringify(stored)));
sink.on('close', () => t('W close'));
rs.pipe(sink);
t('piped', rs.readableFlowing, sink.writableHighWaterMark);
// After pipe's own listener: the chunk was written, the source paused.
rs.on('data', (d) => t('R data', JSON.stringify(d.toString()), sink.writableLength,
                      sink.writableNeedDrain, rs.isPaused()));
