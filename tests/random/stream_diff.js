// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
'use strict';
// Node's side of the randomized stream test: plays a script from gen.js
// over a real socket pair and prints what the two ends observed, in a form
// stream_diff.c prints the same way:
//   W ...   the writer's events in order (write and end callbacks,
//           'finish', 'end', 'error', 'close') and its bytesWritten
//   R ...   the reader's ('end', 'error', 'close'), bytesRead, and the
//           SHA-256 of every byte it received
// 'drain' is not printed (how many come depends on how fast the kernel
// takes the bytes), but a 'd' step waits for it whenever a write returned
// false, so a missing 'drain' shows as a scenario that never ends.
//
//   node stream_diff.js SCRIPT [SOCKET_DIR]
const net = require('net');
const tls = require('tls');
const fs = require('fs');
const path = require('path');
const crypto = require('crypto');

const script = fs.readFileSync(process.argv[2], 'utf8').trim().split('\n').map((l) => l.split(' '));
const dir = process.argv[3] || path.dirname(process.argv[2]);
const cfg = {};
const ops = [];
const pauses = [];
for (const [k, ...v] of script) {
  if (k === 'op') ops.push(v);
  else if (k === 'pause') pauses.push(v.map(Number));
  else cfg[k] = v[0];
}
pauses.sort((a, b) => a[0] - b[0]);
const hwm = Number(cfg.hwm);

// The bytes of write i: a window of a fixed pattern that starts at i mod 251.
const P = Buffer.alloc(256 * 1024 + 256);
for (let i = 0; i < P.length; i++) P[i] = (i * 7 + (i >> 8)) & 255;
const bytesOf = (i, n) => P.subarray(i % 251, i % 251 + n);

const W = [], R = [];
let closed = 0;
function done() {
  if (++closed < 2) return;
  server.close();
  process.stdout.write(W.map((l) => `W ${l}\n`).join('') + R.map((l) => `R ${l}\n`).join(''));
}
const errName = (e) => (e ? e.code || e.message : 'null');

function reader(sock) {
  const hash = crypto.createHash('sha256');
  let got = 0, next = 0;
  sock.on('data', (d) => {
    got += d.length;
    hash.update(d);
    if (next < pauses.length && got >= pauses[next][0]) {
      const ms = pauses[next++][1];
      sock.pause();
      setTimeout(() => sock.resume(), ms);
    }
  });
  sock.on('end', () => R.push('end'));
  sock.on('error', (e) => R.push(`error ${errName(e)}`));
  sock.on('close', (hadError) => {
    R.push(`close ${hadError}`);
    R.push(`bytesRead ${sock.bytesRead} sha256 ${hash.digest('hex')}`);
    done();
  });
}

function writer(sock) {
  let pc = 0, index = 0, needDrain = false, lastCb = null;
  sock.on('drain', () => { needDrain = false; });
  sock.on('finish', () => W.push('finish'));
  sock.on('end', () => W.push('end'));
  sock.on('error', (e) => W.push(`error ${errName(e)}`));
  sock.on('close', (hadError) => {
    W.push(`close ${hadError}`);
    W.push(`bytesWritten ${sock.bytesWritten}`);
    done();
  });
  const step = () => {
    while (pc < ops.length) {
      const [op, a, b] = ops[pc++];
      switch (op) {
        case 'w': {
          const i = index++;
          let cb;
          if (b === '1') {
            const p = { called: false };
            cb = (err) => { W.push(`cb ${i} ${errName(err)}`); p.called = true; if (p.wake) p.wake(); };
            lastCb = p;
          }
          if (!sock.write(bytesOf(i, Number(a)), cb)) needDrain = true;
          break;
        }
        case 'c': sock.cork(); break;
        case 'u': sock.uncork(); break;
        case 't': return process.nextTick(step);
        case 'i': return setImmediate(step);
        case 's': return setTimeout(step, Number(a));
        case 'd':
          if (needDrain) return sock.once('drain', () => setImmediate(step));
          break;
        case 'k':
          if (lastCb && !lastCb.called) { lastCb.wake = step; return; }
          break;
        case 'e': {
          const cb = b === '1' ? (err) => W.push(`endcb ${errName(err)}`) : undefined;
          if (Number(a) >= 0) sock.end(bytesOf(index++, Number(a)), cb);
          else sock.end(cb);
          break;
        }
      }
    }
  };
  return step;
}

const opts = { allowHalfOpen: false };
if (hwm) opts.highWaterMark = hwm;
// TLS: the certificates run.js made in dir; the server's sockets begin
// at 'secureConnection', the client's writes before the handshake wait.
const tlsOn = cfg.transport === 'tls';
const onSocket = (sock) => {
  if (cfg.writer === 'server') writer(sock)();
  else reader(sock);
};
const server = tlsOn
  ? tls.createServer({ ...opts, key: fs.readFileSync(path.join(dir, 'server.key')),
    cert: fs.readFileSync(path.join(dir, 'server.pem')) }, onSocket)
  : net.createServer(opts, onSocket);
const where = cfg.transport === 'unix' ? path.join(dir, `s${process.pid}.sock`) : { port: 0, host: '127.0.0.1' };
server.listen(where, () => {
  const to = cfg.transport === 'unix' ? { path: where } : { port: server.address().port, host: '127.0.0.1' };
  if (hwm) to.highWaterMark = hwm;
  if (tlsOn) to.ca = fs.readFileSync(path.join(dir, 'ca.pem'));
  const sock = tlsOn ? tls.connect(to) : net.connect(to);
  if (cfg.writer === 'server') return reader(sock);
  const go = writer(sock);
  if (cfg.start === 'now') go();
  else sock.on('connect', go);
});
