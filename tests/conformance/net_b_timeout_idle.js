// setTimeout: 'timeout' fires once per idle period (not again while the
// socket stays idle), the socket stays open after it, and activity arms it
// again. The callback given to setTimeout is a once listener.
'use strict';
const net = require('net');
const { t } = require(__dirname + '/lib/trace');

let timeouts = 0;
const server = net.createServer((s) => {
  s.on('data', (d) => s.write(d));
  s.on('close', () => server.close());
});
server.listen(0, '127.0.0.1', () => {
  const c = net.connect(server.address().port, '127.0.0.1', () => {
    c.setTimeout(40, () => t('C setTimeout cb'));
    t('C timeout set', c.timeout);
  });
  c.on('timeout', () => {
    timeouts++;
    t('C timeout', timeouts, c.readyState, c.destroyed);
    if (timeouts === 1) {
      // Three idle periods: no second 'timeout' without activity.
      setTimeout(() => {
        t('C still', timeouts, c.readyState);
        c.write('ping');
      }, 150);
    } else {
      c.end();
    }
  });
  c.on('data', (d) => t('C data', JSON.stringify(d.toString()), timeouts));
  c.on('close', (h) => t('C close', h, timeouts));
});
