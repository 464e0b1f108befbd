// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
// The clock moves while a timer callback runs (a slow callback, or one
// preempted on a busy machine), and Node follows it only where it reads
// it: a timer pass runs what was due at the turn's time (processTimers
// (now)), so a timer that became due meanwhile waits for the next turn,
// after the immediates the callback queued, even when the callback reads
// the clock again by starting a timer; and refresh() counts the new period
// from the moment it is called, not from the turn's time.
'use strict';
const { t } = require(__dirname + '/lib/trace');

function busy(ms) {
  const end = Date.now() + ms;
  while (Date.now() < end);
}

setTimeout(() => {
  // Started in the pass, so due after its time whatever the clock says.
  setTimeout(() => t('due meanwhile'), 1);
  t('slow callback');
  setImmediate(() => t('immediate from slow callback'));
  busy(20);
  setTimeout(() => {
    t('started after the wait');
    refreshLate();
  }, 1);
}, 5);

function refreshLate() {
  // `slow` and `kept` are due together in the pass after the wait, slow
  // first (same delay, started first); slow refreshes kept, 40 ms after
  // the turn began, so kept is due 30 ms after that: after `marker`.
  setTimeout(() => {
    setTimeout(() => t('marker'), 35);
    busy(40);
    kept.refresh();
    t('refreshed late');
  }, 30);
  const kept = setTimeout(() => t('kept fired'), 30);
  busy(40);
}
