// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
// refresh() restarts a timer's period from now: tm (10 ms) is refreshed
// twice, each time in a pass where it is itself due, and fires only after
// a 5 ms marker started at the second refresh. On a fired timer refresh
// schedules it again; on a cleared one it does nothing.
//
// The order must not hang on the clock (Node reads it at each setTimeout
// and refresh, so two dues a few ms apart swap when the machine stalls
// between them), nor on a stale due: a refreshed timer keeps its old place
// (Node: its list's expiry) until that comes up, and if it is then overdue
// it fires there. So each refresh is made in a pass where tm is due behind
// the refresher: the busy waits make every due timer of the next pass due,
// and one that is due before another, started before it with a shorter or
// equal delay, runs before it.
'use strict';
const { t } = require(__dirname + '/lib/trace');

function busy(ms) {
  const end = Date.now() + ms;
  while (Date.now() < end);
}

let fires = 0;
const again = setTimeout(() => {
  t('again fired', ++fires);
  if (fires < 3) again.refresh();
}, 10);
clearTimeout(again);

setTimeout(() => {
  t('refresh 1');
  setTimeout(() => {
    t('refresh 2');
    setTimeout(() => t('marker'), 5);
    tm.refresh();
  }, 5);
  tm.refresh();
  busy(20); // the next pass has the second refresher and tm due
}, 5);
const tm = setTimeout(() => {
  t('refreshed fired');
  again.refresh(); // cleared: stays cleared
  const next = setTimeout(() => {
    t('next fired', ++fires);
    if (fires < 3) next.refresh();
  }, 10);
}, 10);
busy(20); // the first pass has the first refresher and tm due
