// unref'd timers fire while something else keeps the loop alive, and do not
// keep it alive themselves; hasRef reports the state.
'use strict';
const { trace } = require(__dirname + '/lib/trace');

const keep = setTimeout(() => trace('ref timeout'), 20);
const long = setInterval(() => trace('unref interval'), 60000);
long.unref();
const short = setTimeout(() => trace('unref short'), 5);
short.unref();
trace('hasRef', long.hasRef(), keep.hasRef(), short.hasRef());
short.ref();
short.unref();
setImmediate(() => trace('unref immediate')).unref();
process.on('exit', () => trace('loop done'));
