// unref'd timers fire while something else keeps the loop alive, and do not
// keep it alive themselves; hasRef reports the state. An unref'd immediate
// runs at the next check phase if the loop is still alive, and never if
// the loop ends first.
'use strict';
const { t } = require(__dirname + '/lib/trace');

const long = setInterval(() => t('unref interval'), 60000);
long.unref();
const short = setTimeout(() => {
  t('unref short');
  setImmediate(() => t('unref immediate from unref short')).unref();
}, 5);
short.unref();
const anchor = setTimeout(() => {
  t('anchor');
  setTimeout(() => {
    t('ref timeout');
    setImmediate(() => t('unref immediate from ref timeout')).unref();
  }, 20);
}, 5);
t('hasRef', long.hasRef(), anchor.hasRef(), short.hasRef());
short.ref();
short.unref();
process.on('exit', () => t('loop done'));
