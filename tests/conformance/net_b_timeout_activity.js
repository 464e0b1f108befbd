// Activity postpones 'timeout': a client with a 200 ms timeout writes every
// 40 ms for 240 ms, then receives every 40 ms for 240 ms, and gets no
// 'timeout' until it has been idle for 200 ms after the last byte.
'use strict';
const net = require('net');
const { t } = require(__dirname + '/lib/trace');

let ssock;
let step = 0;
let timeouts = 0;
const server = net.createServer((s) => {
  ssock = s;
  s.on('data', (d) => t('S data', JSON.stringify(d.toString()), timeouts));
  s.on('close', () => server.close());
});
server.listen(0, '127.0.0.1', () => {
  const c = net.connect(server.address().port, '127.0.0.1', () => {
    c.setTimeout(200);
    const iv = setInterval(() => {
      step++;
      if (step <= 6) c.write('c' + step);
      else ssock.write('s' + step);
      if (step === 12) clearInterval(iv);
    }, 40);
  });
  c.on('data', (d) => t('C data', JSON.stringify(d.toString()), timeouts));
  c.on('timeout', () => {
    timeouts++;
    t('C timeout', timeouts, step);
    c.end();
  });
  c.on('close', (h) => t('C close', h, timeouts));
});
