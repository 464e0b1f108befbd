// net.connect({timeout}) arms the idle timeout from the start: 'timeout'
// fires on a connected, idle socket, which stays open until it is ended.
'use strict';
const net = require('net');
const { t } = require(__dirname + '/lib/trace');

const server = net.createServer((s) => {
  s.on('end', () => t('S end'));
  s.on('close', () => server.close());
});
server.listen(0, '127.0.0.1', () => {
  const c = net.connect({ port: server.address().port, host: '127.0.0.1', timeout: 60 });
  t('C timeout', c.timeout);
  c.on('connect', () => t('C connect', c.timeout));
  c.on('timeout', () => {
    t('C timeout event', c.readyState, c.destroyed);
    c.end();
  });
  c.on('close', (h) => t('C close', h));
});
