'use strict';
// cnet-logger with several Node clients at once: every byte each one sends
// is in the file, none lost, in each client's order. Run as:
// node logger.test.js <cnet-logger binary> <case>.
//
// Chunks of different clients interleave in the shared file at whatever
// boundaries TCP gives, so each client sends bytes from an alphabet of its
// own: picking one client's bytes out of the file gives back exactly what
// it sent.
const assert = require('assert');
const crypto = require('crypto');
const fs = require('fs');
const net = require('net');
const os = require('os');
const path = require('path');
const { execFileSync } = require('child_process');
const { Tool, cases, deadline } = require('./lib/tool');

const { test, main } = cases();
const CLIENTS = 6;
const ALPHABET = 32; // client i sends bytes 32*i .. 32*i+31 (i <= 7)

function clientBytes(i, len) {
  const r = crypto.randomBytes(len);
  for (let k = 0; k < len; k++) r[k] = ALPHABET * i + (r[k] % ALPHABET);
  return r;
}

// Connects, writes data in pieces of varied size, ends, resolves with the
// local port once the connection has closed.
function send(port, data) {
  return new Promise((resolve, reject) => {
    const sock = net.connect({ host: '127.0.0.1', port });
    let local = 0;
    sock.on('error', reject);
    sock.on('connect', () => {
      local = sock.localPort;
      let off = 0, step = 3;
      while (off < data.length) {
        const len = Math.min(step, data.length - off);
        sock.write(data.subarray(off, off + len));
        off += len;
        step = (step * 5 + 11) % 30011 + 1;
      }
      sock.end();
    });
    sock.resume();
    sock.on('close', () => resolve(local));
  });
}

function tmpdir() { return fs.mkdtempSync(path.join(os.tmpdir(), 'cnet-logger-')); }

test('shared_file', async (bin) => {
  const dir = tmpdir();
  try {
    const out = path.join(dir, 'msg.txt');
    fs.writeFileSync(out, 'an earlier line\n'); // --out appends
    const tool = new Tool(bin, ['--port', '0', '--out', out]);
    const m = await tool.out(/^cnet-logger listening on 127\.0\.0\.1:(\d+), appending to (.*)\n/);
    assert.strictEqual(m[2], out);
    const port = Number(m[1]);
    const datas = [];
    for (let i = 0; i < CLIENTS; i++) datas.push(clientBytes(i, 150000 + 7919 * i));
    await deadline(Promise.all(datas.map((d) => send(port, d))), 'every client to finish');
    // Each connection's close is logged with its byte count.
    const closed = await tool.errCount(/^cnet-logger: connection (\d+) closed, (\d+) bytes$/gm, CLIENTS);
    assert.deepStrictEqual(closed.map((c) => Number(c[2])).sort((a, b) => a - b),
                           datas.map((d) => d.length).sort((a, b) => a - b));
    // A second round on the same file, after the first clients are gone:
    // {end: false} left the file open.
    const late = clientBytes(CLIENTS, 5000);
    await deadline(send(port, late), 'the late client');
    await tool.errCount(/^cnet-logger: connection (\d+) closed, (\d+) bytes$/gm, CLIENTS + 1);
    await tool.stop();

    const file = fs.readFileSync(out);
    const prefix = Buffer.from('an earlier line\n');
    assert(file.subarray(0, prefix.length).equals(prefix), 'the earlier content is kept');
    const body = file.subarray(prefix.length);
    const all = [...datas, late];
    assert.strictEqual(body.length, all.reduce((n, d) => n + d.length, 0), 'the byte count');
    for (let i = 0; i < all.length; i++) {
      const mine = body.filter((b) => Math.floor(b / ALPHABET) === i);
      assert(Buffer.from(mine).equals(all[i]), `client ${i}'s bytes, in order`);
    }
    // The late client's bytes all come after the others'.
    const firstLate = body.findIndex((b) => Math.floor(b / ALPHABET) === CLIENTS);
    assert.strictEqual(firstLate, body.length - late.length);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('per_connection', async (bin) => {
  const dir = tmpdir();
  try {
    const tool = new Tool(bin, ['--port', '0', '--per-connection', dir]);
    const m = await tool.out(/^cnet-logger listening on 127\.0\.0\.1:(\d+), one file per connection in (.*)\n/);
    const port = Number(m[1]);
    const datas = [];
    for (let i = 0; i < CLIENTS; i++) datas.push(crypto.randomBytes(100000 + 4099 * i));
    const ports = await deadline(Promise.all(datas.map((d) => send(port, d))), 'every client to finish');
    // {end: true}: each file is finished and closed when its client ends.
    const wrote = await tool.errCount(/^cnet-logger: connection (\d+): wrote (\d+) bytes to (.*)$/gm, CLIENTS);
    for (let i = 0; i < CLIENTS; i++) {
      const w = wrote.find((x) => x[3].endsWith(`-127.0.0.1-${ports[i]}.log`));
      assert(w, `a file for client ${i} (port ${ports[i]})`);
      assert.strictEqual(Number(w[2]), datas[i].length);
      assert(fs.readFileSync(w[3]).equals(datas[i]), `client ${i}'s file holds its bytes`);
    }
    // A client still connected at SIGTERM: its file is closed too.
    const idle = net.connect({ host: '127.0.0.1', port });
    idle.on('error', () => {});
    await deadline(new Promise((resolve) => idle.on('connect', resolve)), 'the idle client');
    const idlePort = idle.localPort; // gone once the socket closes
    await tool.err(new RegExp(`^cnet-logger: connection \\d+ from 127\\.0\\.0\\.1:${idlePort}$`, 'm'));
    await tool.stop();
    const files = fs.readdirSync(dir);
    assert.strictEqual(files.length, CLIENTS + 1);
    const idleFile = files.find((f) => f.endsWith(`-${idlePort}.log`));
    assert(idleFile && fs.statSync(path.join(dir, idleFile)).size === 0, 'the idle client\'s file');
    assert.match(tool.stderr, new RegExp(`wrote 0 bytes to .*-${idlePort}\\.log`));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('options', async (bin) => {
  const help = execFileSync(bin, ['--help'], { encoding: 'utf8' });
  assert.match(help, /^Usage: cnet-logger --port N --out FILE \[--host ADDR\]/);
  for (const args of [[], ['--port', '0'], ['--out', 'x'], ['--port', '0', '--out', 'x', '--per-connection', 'y'],
                      ['--port', 'z', '--out', 'x'], ['--bogus']]) {
    let status = null;
    try { execFileSync(bin, args, { stdio: 'pipe' }); } catch (e) { status = e.status; }
    assert.strictEqual(status, 2, `cnet-logger ${args.join(' ')} exits with status 2`);
  }
});

main();
