// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
'use strict';
// cnet-chat as a service: socket activation (the listening socket handed
// over as descriptor 3 with LISTEN_PID and LISTEN_FDS, as systemd's
// .socket units do), the clear error for LISTEN_* values that cannot
// work, SIGHUP reopening the --log transcript after a rename (logrotate),
// and SIGUSR1's status line; the TLS listener (--tls-cert) beside the
// plain one, activated or not. Run as: node chat_service.test.js <cnet-chat
// binary> <case>; CTest runs each case in its own process.
const assert = require('assert');
const fs = require('fs');
const net = require('net');
const os = require('os');
const path = require('path');
const { spawn } = require('child_process');
const { Server, Client, deadline, testCases } = require('./lib/chat');
const { makeCerts } = require('./lib/certs');
const { Nc } = require('./lib/nc');

const { test, main } = testCases('chat_service.test.js');

const STAMP = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d /;

// A listening socket made here, as a service manager makes it; its
// descriptor is what the server inherits. The Node server is closed once
// the child has its copy, so that only the child accepts.
async function listeningSocket(listenArgs) {
  const srv = net.createServer();
  await deadline(new Promise((resolve, reject) => {
    srv.once('error', reject);
    srv.listen(...listenArgs, resolve);
  }), 'the test\'s own listen');
  return srv;
}

function lines(file) {
  return fs.readFileSync(file, 'utf8').split('\n').filter((l) => l).map((l) => l.replace(STAMP, ''));
}

// ---- TLS (--tls-cert) -------------------------------------------------------

let certs;
function cert(name) {
  if (!certs) certs = makeCerts();
  return certs.file(name);
}
const TLS_ARGS = () => ['--tls-cert', cert('server.pem'), '--tls-key', cert('server.key'), '--tls-port', '0'];

async function tlsListening(server) {
  const m = await server.until(() => server.stdout.match(
    /^cnet-chat listening on 127\.0\.0\.1:(\d+) with TLS — connect with: openssl s_client -quiet -connect 127\.0\.0\.1:(\d+)\n/m),
    'the TLS listening line');
  assert.strictEqual(m[1], m[2]);
  return Number(m[1]);
}

// One room for both listeners: a user over TLS (Node's tls, verifying the
// server against the test CA) and one over the real nc on the plain port.
async function tlsAndPlain(server, plainPort) {
  const tlsPort = await tlsListening(server);
  const alice = new Client(tlsPort, { name: 'alice', tls: { ca: certs.ca } });
  let bob;
  try {
    await alice.join('alice', 1);
    assert(alice.socket.authorized, 'the TLS user verified the server');
    bob = new Nc('bob', plainPort);
    await bob.expect(/^Welcome to cnet-chat! 1 user online\. Please enter your nickname:$/);
    bob.say('bob');
    await bob.expect('Hello bob! 2 users online. Type help for the commands.');
    await alice.expect('* bob joined (2 users online)');
    alice.say('over TLS');
    await bob.expect('alice: over TLS');
    bob.say('over plain TCP');
    await alice.expect('bob: over plain TCP');
  } finally {
    alice.destroy();
    if (bob) bob.close();
  }
}

test('tls_room', async (bin) => {
  const server = new Server(bin, TLS_ARGS());
  const port = await server.listening();
  await tlsAndPlain(server, port);
  await server.stop();
});

// Socket activation serves the plain sockets passed; the TLS listener is
// the server's own, on --host and --tls-port, into the same room.
test('tls_socket_activation', async (bin) => {
  const lsock = await listeningSocket([0, '127.0.0.1']);
  const port = lsock.address().port;
  const server = new Server(bin, TLS_ARGS(), { fds: [lsock._handle.fd] });
  lsock.close();
  assert.strictEqual(await server.listening(), port);
  await tlsAndPlain(server, port);
  await server.stop();
});

// A plain client on the TLS port never reaches the room: it is said in
// the log, and TLS users still get in.
test('tls_plain_client', async (bin) => {
  const server = new Server(bin, TLS_ARGS());
  await server.listening();
  const tlsPort = await tlsListening(server);
  const plain = net.connect(tlsPort, '127.0.0.1', () => plain.write('hello\r\n'));
  plain.on('error', () => {});
  plain.resume();
  await server.log(/^cnet-chat: TLS client 127\.0\.0\.1:\d+: .+$/m);
  const carol = new Client(tlsPort, { name: 'carol', tls: { ca: certs.ca } });
  try {
    await carol.join('carol', 1);
  } finally {
    carol.destroy();
  }
  await server.stop();
});

// SIGHUP reads --tls-cert and --tls-key again: a renewed certificate
// (here the self-signed one replaced by the CA's) is what clients get
// from then on, a user connected before chats on, and files that cannot
// be used leave the certificate in use.
test('tls_sighup_reloads_certificate', async (bin) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cnet-chat-reload-'));
  const live = (name) => path.join(dir, name);
  fs.copyFileSync(cert('self.pem'), live('cert.pem'));
  fs.copyFileSync(cert('self.key'), live('key.pem'));
  const server = new Server(bin, ['--tls-cert', live('cert.pem'), '--tls-key', live('key.pem'),
                                  '--tls-port', '0']);
  await server.listening();
  const tlsPort = await tlsListening(server);
  const issuer = (c) => c.socket.getPeerCertificate().issuer.CN;
  const alice = new Client(tlsPort, { name: 'alice', tls: { ca: fs.readFileSync(cert('self.pem')) } });
  const clients = [alice];
  try {
    await alice.join('alice', 1);
    assert.strictEqual(issuer(alice), 'localhost');
    fs.copyFileSync(cert('server.pem'), live('cert.pem'));
    fs.copyFileSync(cert('server.key'), live('key.pem'));
    server.proc.kill('SIGHUP');
    await server.log(/^cnet-chat: SIGHUP: TLS certificate \S+cert\.pem reloaded$/m);
    const bob = new Client(tlsPort, { name: 'bob', tls: { ca: certs.ca } });
    clients.push(bob);
    await bob.join('bob', 2);
    assert(bob.socket.authorized, 'the new certificate verified');
    assert.strictEqual(issuer(bob), 'cnet-test-ca');
    await alice.expect('* bob joined (2 users online)');
    alice.say('still here');
    await bob.expect('alice: still here');
    // A key that is not one: said, and the CA's certificate stays.
    fs.writeFileSync(live('key.pem'), '-----BEGIN PRIVATE KEY-----\ngarbage\n-----END PRIVATE KEY-----\n');
    server.proc.kill('SIGHUP');
    await server.log(/^cnet-chat: TLS: \S+key\.pem: cannot use it as the key: .+\ncnet-chat: SIGHUP: keeping the TLS certificate in use$/m);
    const carol = new Client(tlsPort, { name: 'carol', tls: { ca: certs.ca } });
    clients.push(carol);
    await carol.join('carol', 3);
    assert.strictEqual(issuer(carol), 'cnet-test-ca');
  } finally {
    for (const c of clients) c.destroy();
  }
  await server.stop();
  fs.rmSync(dir, { recursive: true });
});

// TLS files it cannot use: one line naming the file and why, status 1,
// before anything listens; a half-given pair is a usage error (2).
test('tls_bad_files', async (bin) => {
  const run = (args) => new Promise((resolve) => {
    const proc = spawn(bin, ['--port', '0', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '', stderr = '';
    proc.stdout.on('data', (d) => { stdout += d; });
    proc.stderr.on('data', (d) => { stderr += d; });
    proc.on('close', (code) => resolve({ code, stdout, stderr }));
  });
  const cases = [
    [['--tls-cert', cert('nope.pem'), '--tls-key', cert('server.key')], 1,
     /^cnet-chat: TLS: cannot read \S+nope\.pem: No such file or directory\n$/],
    [['--tls-cert', cert('server.pem'), '--tls-key', cert('self.key')], 1,
     /^cnet-chat: TLS: the key \S+self\.key does not match the certificate \S+server\.pem\n$/],
    [['--tls-cert', cert('server.key'), '--tls-key', cert('server.key')], 1, /^cnet-chat: TLS: \S+server\.key: no PEM certificate in it\n$/],
    [['--tls-cert', cert('server.pem'), '--tls-key', cert('server.pem')], 1,
     /^cnet-chat: TLS: \S+server\.pem: no PEM private key in it\n$/],
    [['--tls-cert', cert('server.pem')], 2, /--tls-cert and --tls-key go together/],
    [['--tls-port', '9999'], 2, /--tls-port needs --tls-cert and --tls-key/],
  ];
  for (const [args, code, re] of cases) {
    const r = await deadline(run(args), `cnet-chat ${args.join(' ')} to exit`);
    assert.strictEqual(r.code, code, `cnet-chat ${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, re);
    assert.strictEqual(r.stdout, '', 'nothing listened');
  }
});

// ---- Socket activation ----------------------------------------------------

test('socket_activation', async (bin) => {
  const lsock = await listeningSocket([0, '127.0.0.1']);
  const port = lsock.address().port;
  // --port 0 is ignored: the server serves the socket it was given.
  const server = new Server(bin, [], { fds: [lsock._handle.fd] });
  lsock.close();
  assert.strictEqual(await server.listening(), port);
  const alice = new Client(port, { name: 'alice' });
  const bob = new Client(port, { name: 'bob' });
  try {
    await alice.join('alice', 1);
    await bob.join('bob', 2);
    await alice.expect('* bob joined (2 users online)');
    alice.say('through the inherited socket');
    await bob.expect('alice: through the inherited socket');
  } finally {
    alice.destroy();
    bob.destroy();
  }
  await server.stop();
});

test('socket_activation_unix', async (bin) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cnet-chat-'));
  const sockPath = path.join(dir, 'chat.sock');
  const lsock = await listeningSocket([sockPath]);
  const server = new Server(bin, [], { fds: [lsock._handle.fd] });
  // Closing Node's server unlinks its path: moved away meanwhile, it
  // stays for the child's socket.
  fs.renameSync(sockPath, `${sockPath}.kept`);
  await deadline(new Promise((resolve) => lsock.close(resolve)), 'the test\'s own close');
  fs.renameSync(`${sockPath}.kept`, sockPath);
  await server.until(() => server.stdout.startsWith(
    `cnet-chat listening on ${sockPath} — connect with: nc -U ${sockPath}\n`), 'the listening line');
  const carol = new Client(sockPath, { name: 'carol' });
  try {
    await carol.join('carol', 1);
    await carol.sync();
  } finally {
    carol.destroy();
  }
  await server.stop();
  fs.rmSync(dir, { recursive: true });
});

// LISTEN_PID naming another process: the variables were meant for a
// parent that let them through; the server listens on its own.
test('socket_activation_other_pid', async (bin) => {
  const server = new Server(bin, [], { env: { LISTEN_PID: '1', LISTEN_FDS: '1' } });
  await server.listening();
  assert.strictEqual(server.host, '127.0.0.1');
  await server.stop();
});

// Runs the server with an environment script (sh, $$ is the server's
// pid) and extra descriptors from 3 on; resolves with its status and
// output once it has exited.
function runActivated(bin, script, fds = []) {
  const proc = spawn('/bin/sh', ['-c', `${script}; exec "$0" --port 0`, bin],
                     { stdio: ['ignore', 'pipe', 'pipe', ...fds] });
  let stdout = '', stderr = '';
  proc.stdout.setEncoding('utf8');
  proc.stderr.setEncoding('utf8');
  proc.stdout.on('data', (d) => { stdout += d; });
  proc.stderr.on('data', (d) => { stderr += d; });
  // 'close': the status and every byte of output.
  return deadline(new Promise((resolve) => proc.on('close', (code, signal) =>
    resolve({ code, signal, stdout, stderr }))), `cnet-chat with ${script} to exit`);
}

test('socket_activation_errors', async (bin) => {
  const lsock = await listeningSocket([0, '127.0.0.1']);
  const listening = lsock._handle.fd;
  const devnull = fs.openSync('/dev/null', 'r');
  const peer = net.connect(lsock.address().port, '127.0.0.1');
  await deadline(new Promise((resolve) => peer.once('connect', resolve)), 'a connection');
  const connected = peer._handle.fd;
  const self = 'export LISTEN_PID=$$';
  const table = [
    ['export LISTEN_FDS=1', [listening], 'LISTEN_FDS=1 is set without LISTEN_PID'],
    ['export LISTEN_PID=x LISTEN_FDS=1', [listening], 'LISTEN_PID=x is not a process id'],
    [self, [listening], 'LISTEN_PID names this process but LISTEN_FDS is not set'],
    [`${self} LISTEN_FDS=0`, [], 'LISTEN_FDS=0 is not a number of sockets from 1 to 16'],
    [`${self} LISTEN_FDS=one`, [listening], 'LISTEN_FDS=one is not a number of sockets from 1 to 16'],
    [`${self} LISTEN_FDS=-1`, [listening], 'LISTEN_FDS=-1 is not a number of sockets from 1 to 16'],
    [`${self} LISTEN_FDS=17`, [listening], 'LISTEN_FDS=17 is not a number of sockets from 1 to 16'],
    [`${self} LISTEN_FDS=2`, [listening], 'descriptor 4 (LISTEN_FDS) is not open'],
    [`${self} LISTEN_FDS=1`, [devnull], 'descriptor 3 (LISTEN_FDS) is not a socket'],
    [`${self} LISTEN_FDS=1`, [connected],
     'descriptor 3 (LISTEN_FDS) is not a listening socket (a socket unit for it needs Accept=no)'],
  ];
  try {
    for (const [script, fds, why] of table) {
      const r = await runActivated(bin, script, fds);
      const want = { code: 2, signal: null, stdout: '', stderr: `cnet-chat: socket activation: ${why}\n` };
      assert.deepStrictEqual(r, want, script);
    }
  } finally {
    peer.destroy();
    lsock.close();
    fs.closeSync(devnull);
  }
});

// ---- Signals --------------------------------------------------------------

async function chatting(server) {
  const port = await server.listening();
  const alice = new Client(port, { name: 'alice' });
  const bob = new Client(port, { name: 'bob' });
  await alice.join('alice', 1);
  await bob.join('bob', 2);
  await alice.expect('* bob joined (2 users online)');
  return { port, alice, bob };
}

test('sighup_reopens_log', async (bin) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cnet-chat-'));
  const file = path.join(dir, 'room.log');
  const server = new Server(bin, ['--log', file]);
  const { alice, bob } = await chatting(server);
  try {
    alice.say('before the rotation');
    await bob.expect('alice: before the rotation');
    // What logrotate does without copytruncate: rename, then signal.
    fs.renameSync(file, `${file}.1`);
    server.proc.kill('SIGHUP');
    await server.log(new RegExp(`^cnet-chat: --log ${file} reopened$`, 'm'));
    alice.say('after the rotation');
    await bob.expect('alice: after the rotation');
    server.proc.kill('SIGTERM');
    await server.exited;
  } finally {
    alice.destroy();
    bob.destroy();
  }
  await server.stop();
  assert.deepStrictEqual(lines(`${file}.1`), ['* alice joined (1 user online)',
    '* bob joined (2 users online)', 'alice: before the rotation']);
  assert.deepStrictEqual(lines(file), ['alice: after the rotation', '* the server is shutting down']);
  fs.rmSync(dir, { recursive: true });
});

// The new file cannot be opened (a directory took its place): the error
// is printed and the lines go on to the file open before.
test('sighup_reopen_fails', async (bin) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cnet-chat-'));
  const file = path.join(dir, 'room.log');
  const server = new Server(bin, ['--log', file]);
  const { alice, bob } = await chatting(server);
  try {
    fs.renameSync(file, `${file}.1`);
    fs.mkdirSync(file);
    server.proc.kill('SIGHUP');
    await server.log(/^cnet-chat: --log: reopen: EISDIR: illegal operation on a directory, open '.*'; still writing to the file open before$/m);
    alice.say('still logged');
    await bob.expect('alice: still logged');
    server.proc.kill('SIGTERM');
    await server.exited;
  } finally {
    alice.destroy();
    bob.destroy();
  }
  await server.stop();
  assert.deepStrictEqual(lines(`${file}.1`), ['* alice joined (1 user online)',
    '* bob joined (2 users online)', 'alice: still logged', '* the server is shutting down']);
  fs.rmSync(dir, { recursive: true });
});

// A known exchange, then SIGUSR1: every count in the status line. A
// SIGHUP without --log is only noted.
test('sigusr1_status', async (bin) => {
  const t0 = Date.now();
  const server = new Server(bin, ['--max-per-ip', '2', '--login-timeout', '1']);
  const port = await server.listening();
  // One that never gives a nickname, from an address of its own: dropped
  // after the login timeout, and gone before the others come.
  const silent = new Client(port, { name: 'silent', localAddress: '127.0.0.2' });
  const clients = [silent];
  try {
    await silent.expect(/^Welcome to cnet-chat!/);
    await silent.expect('error: no nickname within 1 s; goodbye');
    await silent.closedByServer();
    const { alice, bob } = await chatting(server);
    clients.push(alice, bob);
    alice.say('hello'); // 5 bytes
    await bob.expect('alice: hello');
    bob.say('c:alice:hi there'); // 8 bytes
    await alice.expect('[private] bob: hi there');
    await bob.expect('* private message sent to alice');
    bob.say('b:x'); // 1 byte
    await alice.expect('bob: x');
    const carol = new Client(port, { name: 'carol' });
    clients.push(carol);
    await carol.expect('Sorry, too many connections from your address (2). Try again later.');
    server.proc.kill('SIGHUP');
    await server.log(/^cnet-chat: SIGHUP: no --log file to reopen$/m);
    server.proc.kill('SIGUSR1');
    const m = await server.log(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d cnet-chat: - status: (.*); up (\d\d):(\d\d):(\d\d)$/m);
    assert.strictEqual(m[1], '2 users online, 2 connections; 3 lines relayed (14 bytes); ' +
      '1 dropped (0 not reading, 0 flooding, 0 idle, 1 no nickname, 0 made way), 1 refused');
    const up = Number(m[2]) * 3600 + Number(m[3]) * 60 + Number(m[4]);
    assert(up >= 1 && up <= (Date.now() - t0) / 1000, `up ${up} s`);
    // Still serving after both signals.
    await alice.sync();
  } finally {
    for (const c of clients) c.destroy();
  }
  await server.stop();
});

if (require.main === module) main();
