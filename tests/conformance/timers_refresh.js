// refresh() restarts a timer's period: a 30 ms timer refreshed at 20 and at
// 40 fires after a 20 ms marker started at 40 (without the second refresh
// it would fire at 50, before the marker). On a fired timer refresh
// schedules it again; on a cleared one it does nothing.
'use strict';
const { t } = require(__dirname + '/lib/trace');

let fires = 0;
const again = setTimeout(() => {
  t('again fired', ++fires);
  if (fires < 3) again.refresh();
}, 10);
clearTimeout(again);

const tm = setTimeout(() => {
  t('refreshed fired');
  again.refresh(); // cleared: stays cleared
  const next = setTimeout(() => {
    t('next fired', ++fires);
    if (fires < 3) next.refresh();
  }, 10);
}, 30);
setTimeout(() => { tm.refresh(); t('refresh at 20'); }, 20);
setTimeout(() => {
  tm.refresh();
  t('refresh at 40');
  setTimeout(() => t('marker'), 20);
}, 40);
