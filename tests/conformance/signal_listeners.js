// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
// process.on('SIGUSR2'): the process sends itself the signal. Two
// listeners run in the order added, once per delivery, and the ticks they
// queue run after both. One removed is not called again; added again, it
// goes last, and not in the delivery that added it. Two signals sent by
// one listener are two deliveries, in the poll after the immediate that
// listener set. Listeners do not keep the process alive (the interval
// does). When the last one is removed, SIGUSR2 ends the process again:
// the exit status is the shell's 128 + 12.
'use strict';
const { t } = require(__dirname + '/lib/trace');

const keep = setInterval(() => {}, 1 << 30);
let step = 0;

function first(name, num) {
  t('first', name, num, step);
  if (step === 4) {
    process.removeListener('SIGUSR2', first);
    process.removeListener('SIGUSR2', second);
    clearInterval(keep);
    t('default again');
    process.kill(process.pid, 'SIGUSR2');
    return;
  }
  process.nextTick(() => t('tick after', step));
}

function second(name, num) {
  t('second', name, num, step);
  switch (++step) {
    case 1:
      process.removeListener('SIGUSR2', first);
      process.kill(process.pid, 'SIGUSR2');
      break;
    case 2:
      process.on('SIGUSR2', first);
      process.kill(process.pid, 'SIGUSR2');
      process.kill(process.pid, 'SIGUSR2');
      setImmediate(() => t('immediate'));
      break;
  }
}

process.on('SIGUSR2', first);
process.on('SIGUSR2', second);
process.kill(process.pid, 'SIGUSR2');
t('sent');
