// refresh() restarts a timer's period (a 30 ms timer refreshed at 20 and 40
// fires after a 29 ms marker started at 40); on a fired timer it schedules
// it again; on a cleared one it does nothing.
'use strict';
const { t } = require(__dirname + '/lib/trace');

const tm = setTimeout(() => t('refreshed fired'), 30);
setTimeout(() => { tm.refresh(); t('refresh at 20'); }, 20);
setTimeout(() => {
  tm.refresh();
  t('refresh at 40');
  setTimeout(() => t('marker'), 29);
}, 40);

let fires = 0;
const again = setTimeout(() => {
  t('again fired', ++fires);
  if (fires < 3) again.refresh();
}, 100);

const cleared = setTimeout(() => t('never'), 10);
clearTimeout(cleared);
cleared.refresh();
