// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
// unref'd timers fire while something else keeps the loop alive, and do not
// keep it alive themselves; hasRef reports the state. An unref'd immediate
// runs at the next check phase if the loop is still alive (the poll before
// it waits for the next timer), and never if the loop ends first.
//
// Each step is caused by the one before, none by two readings of the clock
// being close (Node reads it at each setTimeout: of two 5 ms timers started
// one after the other, the second may be due a millisecond later and fire
// a turn later). `keeper` has short's delay and is started after it, so it
// is never due first and keeps the loop alive until short has fired; short
// clears it and starts the ref timeout that keeps the loop alive for the
// immediate, due after the turn it was started in.
'use strict';
const { t } = require(__dirname + '/lib/trace');

const long = setInterval(() => t('unref interval'), 60000);
long.unref();
const short = setTimeout(() => {
  t('unref short');
  clearTimeout(keeper);
  setImmediate(() => t('unref immediate from unref short')).unref();
  setTimeout(() => {
    t('ref timeout');
    setImmediate(() => t('unref immediate from ref timeout')).unref();
  }, 20);
}, 5);
short.unref();
const keeper = setTimeout(() => t('keeper fired'), 5);
t('hasRef', long.hasRef(), keeper.hasRef(), short.hasRef());
short.ref();
short.unref();
process.on('exit', () => t('loop done'));
