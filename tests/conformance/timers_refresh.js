// refresh() restarts a timer's period; on a fired timer it schedules it
// again; on a cleared one it does nothing.
'use strict';
const { trace } = require(__dirname + '/lib/trace');

const start = Date.now();
const tm = setTimeout(() => trace('refreshed fired, late enough:', Date.now() - start >= 60), 30);
setTimeout(() => { tm.refresh(); trace('refresh at 20'); }, 20);
setTimeout(() => { tm.refresh(); trace('refresh at 40'); }, 40);

let fires = 0;
const again = setTimeout(() => {
  trace('again fired', ++fires);
  if (fires < 3) again.refresh();
}, 100);

const cleared = setTimeout(() => trace('never'), 10);
clearTimeout(cleared);
cleared.refresh();
