// unref'd timers fire while something else keeps the loop alive, and do not
// keep it alive themselves; hasRef reports the state. An unref'd immediate
// runs in the turn it was set in (the check phase follows the timers).
'use strict';
const { t } = require(__dirname + '/lib/trace');

const keep = setTimeout(() => {
  t('ref timeout');
  setImmediate(() => t('unref immediate from ref timeout')).unref();
}, 20);
const long = setInterval(() => t('unref interval'), 60000);
long.unref();
const short = setTimeout(() => {
  t('unref short');
  setImmediate(() => t('unref immediate from unref short')).unref();
}, 5);
short.unref();
t('hasRef', long.hasRef(), keep.hasRef(), short.hasRef());
short.ref();
short.unref();
process.on('exit', () => t('loop done'));
