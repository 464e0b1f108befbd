// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
'use strict';
// cnet-echo as its users meet it: Node clients over TCP, a Unix socket and
// UDP, each checking every byte that comes back, and over TLS. Run as:
// node echo.test.js <cnet-echo binary> <case>; CTest runs each case in its
// own process.
const assert = require('assert');
const crypto = require('crypto');
const dgram = require('dgram');
const fs = require('fs');
const net = require('net');
const os = require('os');
const path = require('path');
const tls = require('tls');
const { execFileSync } = require('child_process');
const { Tool, cases, deadline } = require('./lib/tool');
const { makeCerts } = require('./lib/certs');
const { leaveFree, nofile, setNofile, cpuShare } = require('./lib/fds');

const { test, main } = cases();

// Sends data (in pieces of varied size) over a stream connection and
// resolves once exactly data.length bytes came back, equal to data.
function echoOver(connectArgs, data, name) {
  return new Promise((resolve, reject) => {
    const sock = net.connect(connectArgs);
    const got = [];
    let n = 0;
    sock.on('error', reject);
    sock.on('connect', () => {
      let off = 0, step = 1;
      while (off < data.length) {
        const len = Math.min(step, data.length - off);
        sock.write(data.subarray(off, off + len));
        off += len;
        step = (step * 7 + 13) % 65521 + 1;
      }
    });
    sock.on('data', (d) => {
      got.push(d);
      n += d.length;
      if (n > data.length) reject(new Error(`${name}: ${n} bytes back for ${data.length} sent`));
      if (n === data.length) {
        const back = Buffer.concat(got);
        if (!back.equals(data)) return reject(new Error(`${name}: the bytes that came back differ`));
        sock.end();
        sock.on('close', () => resolve());
      }
    });
  });
}

// Several clients at once, each with bytes of its own.
async function streamCase(tool, connectArgs) {
  const clients = [];
  for (let i = 0; i < 4; i++) {
    const data = crypto.randomBytes(256 * 1024 + i * 4099);
    clients.push(deadline(echoOver(connectArgs, data, `client ${i}`), `client ${i}'s echo`));
  }
  await Promise.all(clients);
  // A client that sends one byte and half-closes gets its byte, then 'end'.
  await deadline(new Promise((resolve, reject) => {
    const sock = net.connect(connectArgs, () => sock.end('x'));
    let got = '';
    sock.setEncoding('latin1');
    sock.on('data', (d) => { got += d; });
    sock.on('error', reject);
    sock.on('end', () => (got === 'x' ? resolve() : reject(new Error(`half-close got ${JSON.stringify(got)}`))));
  }), 'the half-closed client');
  // A client still connected when the server stops is cut cleanly.
  const idle = net.connect(connectArgs);
  idle.on('error', () => {});
  await deadline(new Promise((resolve) => idle.on('connect', resolve)), 'the idle client');
  const idleClosed = new Promise((resolve) => idle.on('close', resolve));
  // The server has accepted it once it echoes a byte.
  idle.write('y');
  await deadline(new Promise((resolve) => idle.once('data', resolve)), 'the idle client\'s echo');
  await tool.stop();
  await deadline(idleClosed, 'the idle client to be closed');
}

test('tcp', async (bin) => {
  const tool = new Tool(bin, ['--port', '0']);
  const m = await tool.out(/^cnet-echo listening on tcp 127\.0\.0\.1:(\d+)\n/);
  await streamCase(tool, { host: '127.0.0.1', port: Number(m[1]) });
});

test('unix', async (bin) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cnet-echo-'));
  const sockPath = path.join(dir, 'echo.sock');
  try {
    const tool = new Tool(bin, ['--unix', sockPath]);
    await tool.out(new RegExp(`^cnet-echo listening on unix ${sockPath.replace(/[.]/g, '\\.')}\n`));
    await streamCase(tool, { path: sockPath });
    assert(!fs.existsSync(sockPath), 'the socket file is removed at exit');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

// Datagram ping-pong: each datagram is sent once the one before it came
// back, so nothing depends on the kernel's buffers; two clients at once
// check that every reply goes to its own sender.
function udpClient(port, name, sizes) {
  return new Promise((resolve, reject) => {
    const sock = dgram.createSocket('udp4');
    let i = 0, cur = null;
    const next = () => {
      if (i === sizes.length) return sock.close(resolve);
      cur = crypto.randomBytes(sizes[i++]);
      sock.send(cur, port, '127.0.0.1', (err) => err && reject(err));
    };
    sock.on('error', reject);
    sock.on('message', (msg, rinfo) => {
      if (rinfo.port !== port) return reject(new Error(`${name}: reply from port ${rinfo.port}`));
      if (!msg.equals(cur)) return reject(new Error(`${name}: datagram ${i} came back as ` +
                                                    `${msg.length} bytes, not the ${cur.length} sent`));
      next();
    });
    sock.bind(0, '127.0.0.1', next);
  });
}

test('udp', async (bin) => {
  const tool = new Tool(bin, ['--udp', '--port', '0']);
  const m = await tool.out(/^cnet-echo listening on udp 127\.0\.0\.1:(\d+)\n/);
  const port = Number(m[1]);
  const sizes = [0, 1, 2, 100, 1400, 1500, 8192, 65507];
  for (let k = 0; k < 150; k++) sizes.push((k * 997) % 9000 + 1);
  await deadline(Promise.all([udpClient(port, 'a', sizes), udpClient(port, 'b', sizes.slice().reverse())]),
                 'every datagram back');
  await tool.stop();
});

// --threads: one loop per thread on one port (SO_REUSEPORT). Every client
// is served, and the kernel spreads them: the threads' counts, printed at
// exit, add up to the clients and more than one thread had some (all 24 on
// one of 4 threads would be a 4^-23 chance).
function threadCounts(tool, n, what) {
  const lines = [...tool.stderr.matchAll(new RegExp(`^cnet-echo: thread (\\d+) served (\\d+) ${what}$`, 'gm'))];
  assert.deepStrictEqual(lines.map((l) => Number(l[1])).sort(), [...Array(n).keys()]);
  return lines.map((l) => Number(l[2]));
}

test('threads_tcp', async (bin) => {
  const tool = new Tool(bin, ['--port', '0', '--threads', '4']);
  const m = await tool.out(/^cnet-echo listening on tcp 127\.0\.0\.1:(\d+) \(4 threads\)\n/);
  const args = { host: '127.0.0.1', port: Number(m[1]) };
  const clients = [];
  for (let i = 0; i < 24; i++)
    clients.push(echoOver(args, crypto.randomBytes(32768 + 1031 * i), `client ${i}`));
  await deadline(Promise.all(clients), 'every client\'s echo');
  await tool.stop();
  const counts = threadCounts(tool, 4, 'connections');
  assert.strictEqual(counts.reduce((x, y) => x + y, 0), 24);
  assert(counts.filter((x) => x > 0).length > 1, `spread over the threads: ${counts}`);
});

test('threads_udp', async (bin) => {
  const tool = new Tool(bin, ['--udp', '--port', '0', '--threads', '3']);
  const m = await tool.out(/^cnet-echo listening on udp 127\.0\.0\.1:(\d+) \(3 threads\)\n/);
  const port = Number(m[1]);
  const sizes = [];
  for (let k = 0; k < 30; k++) sizes.push((k * 389) % 4000);
  const clients = [];
  for (let i = 0; i < 12; i++) clients.push(udpClient(port, `client ${i}`, sizes));
  await deadline(Promise.all(clients), 'every datagram back');
  await tool.stop();
  const counts = threadCounts(tool, 3, 'datagrams');
  assert.strictEqual(counts.reduce((x, y) => x + y, 0), 12 * sizes.length);
  assert(counts.filter((x) => x > 0).length > 1, `spread over the threads: ${counts}`);
});

// Out of descriptors (EMFILE). A client sends one byte: 'echoed' once it
// comes back (the connection stays open), 'ended' if the server closes
// the connection first.
function knock(port, byte = 'x') {
  const sock = net.connect({ host: '127.0.0.1', port });
  sock.on('error', () => {});
  const result = new Promise((resolve) => {
    sock.on('connect', () => sock.write(byte));
    sock.on('data', () => resolve('echoed'));
    sock.on('close', () => resolve('ended'));
  });
  const connected = new Promise((resolve) => sock.on('connect', resolve));
  return { sock, result, connected };
}

const ACCEPT_LINE = /^cnet-echo: accept EMFILE: too many open files; still listening$/gm;
const SPARE = 3;

// The tool is left SPARE descriptors. Clients come one at a time: SPARE
// are served; the next ones are accepted with the reserve and closed
// (their peers see the end at once), and one line is logged for them.
// Then no descriptor at all: a client waits in the backlog while the
// server backs off, using next to no CPU, and is served once descriptors
// are back. Exit status 0 at the end.
async function emfileCase(bin, threads) {
  const args = ['--port', '0'];
  if (threads > 1) args.push('--threads', String(threads));
  const tool = new Tool(bin, args);
  const m = await tool.out(/^cnet-echo listening on tcp 127\.0\.0\.1:(\d+)/);
  const port = Number(m[1]);
  const pid = tool.proc.pid;
  const limit = nofile(pid);
  leaveFree(pid, SPARE);
  const held = [];
  for (;;) {
    const c = knock(port);
    const r = await deadline(c.result, `client ${held.length + 1}`);
    if (r === 'ended') break;
    held.push(c.sock);
    assert(held.length <= SPARE, `${held.length} clients served with ${SPARE} descriptors`);
  }
  assert.strictEqual(held.length, SPARE);
  await tool.err(ACCEPT_LINE);
  assert.strictEqual(await deadline(knock(port).result, 'a second client past the limit'), 'ended');

  setNofile(pid, 3);
  const waiting = knock(port, 'w');
  await deadline(waiting.connected, 'the waiting client to connect');
  const share = await cpuShare(pid, 1500);
  console.log(`CPU while a client waits for a descriptor: ${(share * 100).toFixed(1)} %`);
  assert(share < 0.05, `CPU ${(share * 100).toFixed(1)} % while out of descriptors`);

  for (const s of held) s.destroy();
  setNofile(pid, limit);
  assert.strictEqual(await deadline(waiting.result, 'the waiting client\'s echo'), 'echoed');
  waiting.sock.destroy();
  assert.strictEqual([...tool.stderr.matchAll(ACCEPT_LINE)].length, 1, tool.stderr);
  await tool.stop();
}

test('emfile', (bin) => emfileCase(bin, 1));
test('threads_emfile', (bin) => emfileCase(bin, 2));

// The log's bound: accept errors that follow the first within
// LOG_LIMIT_INTERVAL_MS (10 s, apps/common/log_limit.h) are counted, and
// the first line after it says how many.
test('accept_log_interval', async (bin) => {
  const tool = new Tool(bin, ['--port', '0']);
  const m = await tool.out(/^cnet-echo listening on tcp 127\.0\.0\.1:(\d+)/);
  const pid = tool.proc.pid;
  const limit = nofile(pid);
  setNofile(pid, 3);
  const waiting = knock(Number(m[1]));
  await tool.err(ACCEPT_LINE);
  const t1 = Date.now();
  const again = await tool.err(/^cnet-echo: accept EMFILE: too many open files; still listening \((\d+) more since the last report\)$/m);
  const gap = Date.now() - t1;
  console.log(`second line after ${gap} ms, ${again[1]} errors held back`);
  assert(gap >= 9500, `second line after ${gap} ms`);
  assert(Number(again[1]) >= 1);
  setNofile(pid, limit);
  assert.strictEqual(await deadline(waiting.result, 'the waiting client\'s echo'), 'echoed');
  waiting.sock.destroy();
  await tool.stop();
});

// One TLS client (Node's, verifying the server against the test CA): it
// sends data and ends; all of it must come back, then the server's end.
function tlsEcho(opts, data, name) {
  return new Promise((resolve, reject) => {
    const sock = tls.connect(opts, () => {
      if (!sock.authorized) reject(new Error(`${name}: not authorized`));
      sock.end(data);
    });
    const got = [];
    sock.on('error', reject);
    sock.on('data', (d) => got.push(d));
    sock.on('end', () => {
      const back = Buffer.concat(got);
      if (!back.equals(data)) return reject(new Error(`${name}: ${back.length} bytes came back, ` +
                                                      `not the ${data.length} sent`));
      resolve();
    });
  });
}

function tlsTool(bin, certs, extra = []) {
  return new Tool(bin, ['--port', '0', ...extra, '--tls', '--tls-cert', certs.file('server.pem'),
                        '--tls-key', certs.file('server.key')]);
}

// --tls: every byte comes back as plaintext, a half-close gets its bytes
// then 'end'; a client that is not TLS is reported and the server goes
// on; a TLS client still connected at the stop is closed.
test('tls', async (bin) => {
  const certs = makeCerts();
  const tool = tlsTool(bin, certs);
  const m = await tool.out(/^cnet-echo listening on tcp 127\.0\.0\.1:(\d+) with TLS\n/);
  const opts = { host: 'localhost', port: Number(m[1]), ca: certs.ca };
  await deadline(Promise.all([0, 1, 2].map((i) => tlsEcho(opts, crypto.randomBytes(200 * 1024 + i * 7919),
                                                          `client ${i}`))), 'the TLS echoes');
  const plain = net.connect({ host: '127.0.0.1', port: opts.port }, () => plain.write('GET / HTTP/1.0\r\n\r\n'));
  plain.on('error', () => {});
  plain.resume();
  await tool.err(/^cnet-echo: TLS client: /m);
  await deadline(tlsEcho(opts, Buffer.from('still here'), 'after the plain client'), 'the echo after');
  const idle = tls.connect(opts);
  idle.on('error', () => {});
  await deadline(new Promise((resolve) => idle.once('secureConnect', () => idle.write('y'))
    .once('data', resolve)), 'the idle TLS client\'s echo');
  const idleClosed = new Promise((resolve) => idle.on('close', resolve));
  await tool.stop();
  await deadline(idleClosed, 'the idle TLS client to be closed');
});

// --tls --threads: one context shared by every loop, clients spread over
// them.
test('threads_tls', async (bin) => {
  const certs = makeCerts();
  const tool = tlsTool(bin, certs, ['--threads', '2']);
  const m = await tool.out(/^cnet-echo listening on tcp 127\.0\.0\.1:(\d+) with TLS \(2 threads\)\n/);
  const opts = { host: 'localhost', port: Number(m[1]), ca: certs.ca };
  await deadline(Promise.all([...Array(8).keys()].map((i) => tlsEcho(opts, crypto.randomBytes(64 * 1024 + i),
                                                                   `client ${i}`))), 'the TLS echoes');
  await tool.stop();
});

// --tls with files it cannot use: one line saying which and why, status 1.
test('tls_bad_files', async (bin) => {
  const certs = makeCerts();
  const run = (cert, key) => {
    try {
      execFileSync(bin, ['--port', '0', '--tls', '--tls-cert', cert, '--tls-key', key], { stdio: 'pipe' });
    } catch (e) { return { status: e.status, stderr: e.stderr.toString() }; }
    throw new Error('cnet-echo started with bad TLS files');
  };
  let r = run(certs.file('missing.pem'), certs.file('server.key'));
  assert.strictEqual(r.status, 1);
  assert.match(r.stderr, /^cnet-echo: TLS: cannot read .*missing\.pem: No such file or directory\n$/);
  r = run(certs.file('server.pem'), certs.file('self.key'));
  assert.strictEqual(r.status, 1);
  assert.match(r.stderr, /^cnet-echo: TLS: the key .*self\.key does not match the certificate .*server\.pem\n$/);
  for (const args of [['--tls'], ['--tls', '--tls-cert', 'x'], ['--tls-key', 'x'],
                      ['--tls', '--udp', '--tls-cert', 'x', '--tls-key', 'y']]) {
    let status = null;
    try { execFileSync(bin, args, { stdio: 'pipe' }); } catch (e) { status = e.status; }
    assert.strictEqual(status, 2, `cnet-echo ${args.join(' ')} exits with status 2`);
  }
});

test('options', async (bin) => {
  const help = execFileSync(bin, ['--help'], { encoding: 'utf8' });
  assert.match(help, /^Usage: cnet-echo \[--host ADDR\] \[--port N\] \[--unix PATH\] \[--udp\]\n *\[--threads N\]/);
  for (const args of [['--port', 'x'], ['--port', '70000'], ['--bogus'], ['extra'],
                      ['--udp', '--unix', '/tmp/x'], ['--threads', '0'], ['--threads', 'x'],
                      ['--threads', '2', '--unix', '/tmp/x']]) {
    let status = null;
    try { execFileSync(bin, args, { stdio: 'pipe' }); } catch (e) { status = e.status; }
    assert.strictEqual(status, 2, `cnet-echo ${args.join(' ')} exits with status 2`);
  }
  // A port already taken: an error and status 1.
  const blocker = net.createServer();
  await new Promise((resolve) => blocker.listen(0, '127.0.0.1', resolve));
  const tool = new Tool(bin, ['--port', String(blocker.address().port)]);
  const exit = await deadline(tool.exited, 'cnet-echo to exit');
  blocker.close();
  assert.strictEqual(exit.code, 1);
  assert.match(tool.stderr, /EADDRINUSE/);
});

main();
