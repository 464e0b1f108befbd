// SPDX-License-Identifier: MIT
// Copyright (c) 2026 The cnet authors
'use strict';
// cnet-chat instances joined into one room through Redis (--redis): each
// case starts a redis-server of its own on a free port of 127.0.0.1 and
// three instances on it, and puts users on every instance through the real
// OpenBSD nc. Then it breaks things: an instance killed or frozen, Redis
// stopped, restarted, frozen or absent at the start, two instances with one
// node name. Every wait is for a line (a user's or the log's) with a
// deadline; nothing waits for a fixed time.
// Run as: node chat_cluster.test.js <cnet-chat binary> <case>; CTest runs
// each case (each test('name', ...) below) in its own process.
const fs = require('fs');
const net = require('net');
const os = require('os');
const { spawn } = require('child_process');
const { Server, deadline, users, testCases, UNPACED, WELCOME, PROMPT } = require('./lib/chat');
const { Nc, matches } = require('./lib/nc');

const { test, main } = testCases('chat_cluster.test.js');

const LOST = '* the link to the other servers is lost; until it is back only users on this server hear you';
const LOST_RE = /^\* the link to the other servers is lost; until it is back only users on this server hear you$/;
const BACK = /^\* the link to the other servers is back \(\d+ users? online\)$/;
const JOINED = /^\* \S+ joined \(\d+ users? online\)$/;
const hello = (nick, n) => `Hello ${nick}! ${users(n)}. Type help for the commands.`;
const taken = (nick) => `error: the nickname ${nick} is taken`;
const gone = (nick, node) => new RegExp(`^\\* ${nick} left: server ${node} is gone \\((\\d+) users? online\\)$`);

// Every process a case starts is killed when the case's process exits,
// however it ends: a failed case leaves no redis-server holding a port.
const children = new Set();
process.on('exit', () => {
  for (const p of children) if (p.exitCode === null && p.signalCode === null) p.kill('SIGKILL');
});

function freePort() {
  return deadline(new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  }), 'a free port');
}

// ---- Redis ------------------------------------------------------------------

// One reply of the Redis protocol from buf at i: { value, end }, or null
// while it is incomplete. An error reply becomes an Error value.
function parseReply(buf, i) {
  const eol = buf.indexOf('\r\n', i);
  if (eol < 0) return null;
  const head = buf.toString('utf8', i + 1, eol);
  const after = eol + 2;
  switch (String.fromCharCode(buf[i])) {
    case '+': return { value: head, end: after };
    case '-': return { value: new Error(head), end: after };
    case ':': return { value: Number(head), end: after };
    case '$': {
      const n = Number(head);
      if (n < 0) return { value: null, end: after };
      if (buf.length < after + n + 2) return null;
      return { value: buf.toString('utf8', after, after + n), end: after + n + 2 };
    }
    case '*': {
      const n = Number(head);
      if (n < 0) return { value: null, end: after };
      const list = [];
      let at = after;
      for (let k = 0; k < n; k++) {
        const r = parseReply(buf, at);
        if (!r) return null;
        list.push(r.value);
        at = r.end;
      }
      return { value: list, end: at };
    }
    default: throw new Error(`not a Redis reply: ${JSON.stringify(buf.toString())}`);
  }
}

function encodeCommand(args) {
  return `*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(String(a))}\r\n${a}\r\n`).join('')}`;
}

// A redis-server of the case's own: no persistence, so a restart is an
// empty server, as after a crash of one without disk. Ready once it logs
// that it accepts connections.
class Redis {
  constructor(port) {
    this.port = port;
    this.url = `redis://127.0.0.1:${port}`;
  }
  async start() {
    const proc = spawn('redis-server', ['--port', String(this.port), '--bind', '127.0.0.1',
                                        '--save', '', '--appendonly', 'no', '--dir', os.tmpdir()],
                       { stdio: ['ignore', 'pipe', 'pipe'] });
    children.add(proc);
    this.proc = proc;
    this.frozen = false;
    let out = '';
    await deadline(new Promise((resolve, reject) => {
      const check = () => { if (/Ready to accept connections/.test(out)) resolve(); };
      proc.stdout.on('data', (d) => { out += d; check(); });
      proc.stderr.on('data', (d) => { out += d; });
      proc.on('error', reject);
      proc.on('exit', (code, signal) => reject(new Error(
        `redis-server exited (${code ?? signal}) before it was ready:\n${out}`)));
    }), () => `redis-server on port ${this.port}; its output:\n${out}`);
    this.exited = new Promise((resolve) => proc.on('exit', (code, signal) => resolve({ code, signal })));
  }
  // SIGTERM, as a service manager stops it: it closes every connection.
  async stop() {
    if (this.frozen) this.thaw();
    this.proc.kill('SIGTERM');
    const exit = await deadline(this.exited, 'redis-server to exit');
    if (exit.code !== 0) throw new Error(`redis-server exited with ${JSON.stringify(exit)}`);
    this.proc = null;
  }
  // SIGSTOP: its connections stay open and accept bytes, and nothing is
  // answered; the harder failure for a client.
  freeze() { this.proc.kill('SIGSTOP'); this.frozen = true; }
  thaw() { this.proc.kill('SIGCONT'); this.frozen = false; }
  // One command in database db, on a connection of its own; its reply.
  query(db, ...args) {
    return deadline(new Promise((resolve, reject) => {
      const s = net.connect(this.port, '127.0.0.1');
      let buf = Buffer.alloc(0);
      s.on('error', reject);
      s.on('data', (d) => {
        buf = Buffer.concat([buf, d]);
        const selected = parseReply(buf, 0);
        const r = selected && parseReply(buf, selected.end);
        if (!r) return;
        s.destroy();
        if (selected.value instanceof Error) reject(selected.value);
        else if (r.value instanceof Error) reject(r.value);
        else resolve(r.value);
      });
      s.write(encodeCommand(['SELECT', db]) + encodeCommand(args));
    }), `redis ${args.join(' ')}`);
  }
}

// ---- cnet-chat instances and nc users -------------------------------------

// An instance on the case's Redis: the Server of lib/chat.js (--port 0,
// the listening line, the log on stderr), with the cluster's options.
function instance(bin, node, url, lease, extra = []) {
  const s = new Server(bin, ['--redis', url, '--node', node, '--lease', String(lease), ...UNPACED, ...extra]);
  children.add(s.proc);
  s.node = node;
  // Resolves once the log has said n times that this node is linked.
  s.linked = (n = 1) => {
    const re = new RegExp(`cluster: node ${node} linked to redis://127\\.0\\.0\\.1:\\d+/\\d+ \\(\\d+ `, 'g');
    return s.until(() => (s.stderr.match(re) || []).length >= n, `log "cluster: node ${node} linked" (${n})`);
  };
  return s;
}

// A user of the cluster's room: nc, and what the cases ask of a user.
class User extends Nc {
  // Lines matching skip until one of them says the room has n users. The
  // counts are the cluster's, so then this user's instance knows everyone,
  // however it heard of them: a snapshot, joins, or both.
  async reaches(n, skip) {
    const end = `(${users(n)})`;
    for (;;) {
      const got = await this.expectPast(skip, /$^/);
      if (got.endsWith(end)) return got;
    }
  }
  // Told the link is back, and of whom until the room has n users.
  async backTo(n, skip) {
    const back = await this.expectPast(BACK, skip);
    if (!back.endsWith(`(${users(n)})`)) await this.reaches(n, skip);
  }
  async join(nick, online) {
    await this.expect(WELCOME);
    this.say(nick);
    await this.expect(hello(nick, online));
  }
  // `l`: its answer, the users as a sorted list. Lines matching skip may
  // come before it.
  async list(skip = /$^/) {
    this.say('l');
    const l = await this.expectPast(/^\* \d+ users? online: /, skip);
    const m = /^\* (\d+) users? online: (.*)$/.exec(l);
    const names = m[2].split(', ');
    if (names.length !== Number(m[1])) throw new Error(`${this.name}: ${l}: the count is not the list's`);
    return names;
  }
  // A round trip: nothing unexpected came before the answer to `l`.
  async sync() { await this.list(); }
  async quit(nick) {
    this.say('quit');
    await this.expect(`* goodbye, ${nick}!`);
    this.close();
  }
}

function sameSet(got, want, who) {
  const a = [...got].sort().join(', ');
  const b = [...want].sort().join(', ');
  if (a !== b) throw new Error(`${who}: users ${a}, expected ${b}`);
}

// Resolves once one of servers has logged a line matching re.
function anyLog(servers, re) {
  return Promise.any(servers.map((s) => s.log(re))).catch(() => {
    throw new Error(`no log ${re} on ${servers.map((s) => s.node).join(' or ')}:\n` +
                    servers.map((s) => s.stderr).join('\n'));
  });
}

// The case's world: Redis (started unless opts.redisDown), instances n1,
// n2, n3 (linked before the body runs, unless Redis is down), their users.
// At the end every user is closed, every instance still running must exit
// cleanly on SIGTERM (status 0, no sanitizer report), and Redis stops.
async function withCluster(bin, opts, body) {
  const lease = opts.lease || 15;
  const redis = new Redis(await freePort());
  if (!opts.redisDown) await redis.start();
  const url = opts.db === undefined ? redis.url : `${redis.url}/${opts.db}`;
  const nodes = [];
  const start = async (node, extra, nodeUrl = url) => {
    const s = instance(bin, node, nodeUrl, lease, extra);
    nodes.push(s);
    await s.listening();
    return s;
  };
  for (const node of ['n1', 'n2', 'n3']) await start(node, opts.extra);
  if (!opts.redisDown) await Promise.all(nodes.map((s) => s.linked()));
  const clients = [];
  const nc = (name, s) => {
    const c = new User(name, s.port);
    clients.push(c);
    return c;
  };
  const join = async (name, s, online) => {
    const c = nc(name, s);
    await c.join(name, online);
    return c;
  };
  // Joining while the link is down: the user is told so after the greeting.
  const joinAlone = async (name, s, online) => {
    const c = await join(name, s, online);
    await c.expect(LOST);
    return c;
  };
  const kill9 = (s) => { s.proc.kill('SIGKILL'); s.killed = true; return s.exited; };
  try {
    await body({ redis, nodes, start, nc, join, joinAlone, kill9, lease, url });
  } catch (e) {
    // What each user saw and each instance logged, for the failure's story.
    const users = clients.map((c) => `${c.name}: ${JSON.stringify(c.lines)}`).join('\n');
    const logs = nodes.map((n) => `--- ${n.node} (pid ${n.proc.pid}):\n${n.stderr}`).join('\n');
    e.message += `\n--- users:\n${users}\n${logs}`;
    throw e;
  } finally {
    for (const c of clients) c.close();
    for (const s of nodes) if (s.killed || s.frozen) s.proc.kill('SIGKILL');
  }
  if (redis.frozen) redis.thaw();
  for (const s of nodes) if (!s.killed && !s.frozen) await s.stop();
  if (redis.proc) await redis.stop();
}

// alice on n1, bob on n2, carol on n3, each join seen by those before.
async function threeUsers(join, [a, b, c]) {
  const alice = await join('alice', a, 1);
  const bob = await join('bob', b, 2);
  await alice.expect('* bob joined (2 users online)');
  const carol = await join('carol', c, 3);
  await alice.expect('* carol joined (3 users online)');
  await bob.expect('* carol joined (3 users online)');
  return [alice, bob, carol];
}

// ---- One room ----------------------------------------------------------------

// A line from a user of each instance reaches the users of the other two;
// then each sends 200 numbered lines at once, and every other user gets
// each sender's lines all, in the order sent (senders interleave freely).
test('lines_reach_every_instance', (bin) => withCluster(bin, {}, async ({ nodes, join }) => {
  const all = await threeUsers(join, nodes);
  const [alice, bob, carol] = all;
  alice.say('hello from n1');
  await bob.expect('alice: hello from n1');
  await carol.expect('alice: hello from n1');
  bob.say('b:hello from n2');
  await alice.expect('bob: hello from n2');
  await carol.expect('bob: hello from n2');
  carol.say('hello from n3');
  await alice.expect('carol: hello from n3');
  await bob.expect('carol: hello from n3');
  const N = 200;
  const names = ['alice', 'bob', 'carol'];
  all.forEach((u, i) => {
    let text = '';
    for (let k = 0; k < N; k++) text += `${names[i]} line ${k}\n`;
    u.send(text);
  });
  for (const [i, u] of all.entries()) {
    const next = new Map(names.filter((n) => n !== names[i]).map((n) => [n, 0]));
    for (let k = 0; k < 2 * N; k++) {
      const l = await u.line(`line ${k} of ${2 * N}`);
      const m = /^(\w+): (\w+) line (\d+)$/.exec(l);
      if (!m || m[1] !== m[2] || !next.has(m[1]) || Number(m[3]) !== next.get(m[1]))
        throw new Error(`${u.name}: got ${JSON.stringify(l)} as line ${k}; expected next ` +
                        `${JSON.stringify(Object.fromEntries(next))}`);
      next.set(m[1], next.get(m[1]) + 1);
    }
  }
  for (const u of all) await u.sync(); // nobody heard itself
}));

// c:nick:text reaches its one receiver on any instance; the sender is told
// it was sent; a nickname nobody has is an error; nobody else hears it.
test('private_messages', (bin) => withCluster(bin, {}, async ({ nodes, join }) => {
  const [alice, bob, carol] = await threeUsers(join, nodes);
  alice.say('c:bob:meet me at noon');
  await bob.expect('[private] alice: meet me at noon');
  await alice.expect('* private message sent to bob');
  alice.say('c:BOB:names ignore case: and colons stay');
  await bob.expect('[private] alice: names ignore case: and colons stay');
  await alice.expect('* private message sent to bob');
  carol.say('c:alice:from n3');
  await alice.expect('[private] carol: from n3');
  await carol.expect('* private message sent to alice');
  alice.say('c:dave:anyone?');
  await alice.expect('error: no user called dave');
  bob.say('c:carol:' + 'é'.repeat(100));
  await carol.expect('[private] bob: ' + 'é'.repeat(100));
  await bob.expect('* private message sent to carol');
  carol.say('quit');
  await carol.expect('* goodbye, carol!');
  await alice.expect('* carol left (2 users online)');
  await bob.expect('* carol left (2 users online)');
  bob.say('c:carol:still there?');
  await bob.expect('error: no user called carol');
  for (const u of [alice, bob]) await u.sync();
}));

// The counts of the greeting, the welcome, joins and leaves, and `l`, are
// the cluster's, and `l` lists everyone in join order.
test('list_and_counts', (bin) => withCluster(bin, {}, async ({ nodes, nc, join }) => {
  const [alice, bob, carol] = await threeUsers(join, nodes);
  const dave = await join('dave', nodes[0], 4);
  for (const u of [alice, bob, carol]) await u.expect('* dave joined (4 users online)');
  for (const u of [alice, bob, carol, dave]) {
    u.say('l');
    await u.expect('* 4 users online: alice, bob, carol, dave');
  }
  // SIGUSR1's status: the room's line, then the link's.
  nodes[0].proc.kill('SIGUSR1');
  await nodes[0].log(/status: 2 users online, .*\n.* cluster: node n1, link up; 2 users on other servers\n/);
  const newcomer = nc('newcomer', nodes[2]);
  await newcomer.expect('Welcome to cnet-chat! 4 users online. Please enter your nickname:');
  await bob.quit('bob');
  for (const u of [alice, carol, dave]) await u.expect('* bob left (3 users online)');
  carol.say('l');
  await carol.expect('* 3 users online: alice, carol, dave');
  newcomer.say('erin');
  await newcomer.expect(hello('erin', 4));
  for (const u of [alice, carol, dave]) await u.expect('* erin joined (4 users online)');
  dave.say('n:david');
  for (const u of [alice, carol, dave, newcomer]) await u.expect('* dave is now known as david');
  newcomer.say('l');
  await newcomer.expect('* 4 users online: alice, carol, david, erin');
}));

// A nickname held on one instance is refused on the others, at the prompt
// and as a rename, also as a lookalike (nicknames compare by their key:
// case, width, invisible characters). Two instances claiming one nickname
// at once: exactly one wins.
test('nickname_taken_across_instances', (bin) => withCluster(bin, {}, async ({ nodes, nc, join }) => {
  const alice = await join('alice', nodes[0], 1);
  const kate = await join('Kate', nodes[1], 2);
  await alice.expect('* Kate joined (2 users online)');
  const mimic = nc('mimic', nodes[2]);
  await mimic.expect(WELCOME);
  const tries = [
    ['alice', taken('alice')],
    ['ALICE', taken('ALICE')],
    ['\uff41lice', taken('alice')],  // fullwidth a, NFKC
    ['alice\u200d', taken('alice')], // ZWJ
    ['\u212aate', taken('Kate')],    // Kelvin sign
    ['kATE', taken('kATE')],
  ];
  for (const [nick, error] of tries) {
    mimic.say(nick);
    await mimic.expect(error);
    await mimic.expect(PROMPT);
  }
  kate.say('n:Alice');
  await kate.expect(taken('Alice'));
  alice.say('n:KATE');
  await alice.expect(taken('KATE'));
  // Races: a newcomer on n2 and one on n3 type the same nickname at once.
  let contenders = [nc('p0', nodes[1]), mimic];
  await contenders[0].expect(WELCOME);
  for (let round = 0; round < 5; round++) {
    const nick = `zed${round}`;
    for (const c of contenders) c.say(nick);
    const got = [];
    for (const c of contenders) got.push(await c.line(`the answer to ${nick}`));
    const winners = contenders.filter((c, i) => got[i] === hello(nick, 3 + round));
    const losers = contenders.filter((c, i) => got[i] === taken(nick));
    if (winners.length !== 1 || losers.length !== 1)
      throw new Error(`round ${round}: one Hello and one refusal expected, got ${JSON.stringify(got)}`);
    await losers[0].expect(PROMPT);
    await alice.expect(`* ${nick} joined (${users(3 + round)})`);
    const where = nodes[winners[0] === contenders[0] ? 1 : 2];
    const fresh = nc(`p${round + 1}`, where);
    await fresh.expect(WELCOME);
    contenders = [fresh, losers[0]];
  }
  await kate.expectAll([0, 1, 2, 3, 4].map((r) => `* zed${r} joined (${users(3 + r)})`));
  await kate.sync();
}));

// A nickname is free again cluster-wide once its user quits, is dropped
// (the connection closed under it) or renames: another instance can give
// it out at once.
test('nickname_freed_on_quit_drop_rename', (bin) => withCluster(bin, {}, async ({ nodes, nc, join }) => {
  const [alice, bob, carol] = await threeUsers(join, nodes);
  await bob.quit('bob');
  await alice.expect('* bob left (2 users online)');
  await carol.expect('* bob left (2 users online)');
  const bob2 = await join('bob', nodes[2], 3);
  await alice.expect('* bob joined (3 users online)');
  await carol.expect('* bob joined (3 users online)');
  carol.drop();
  await alice.expect('* carol left (2 users online)');
  await bob2.expect('* carol left (2 users online)');
  const carol2 = await join('Carol', nodes[0], 3);
  await alice.expect('* Carol joined (3 users online)');
  await bob2.expect('* Carol joined (3 users online)');
  alice.say('n:alicia');
  for (const u of [alice, bob2, carol2]) await u.expect('* alice is now known as alicia');
  const alice2 = await join('ALICE', nodes[1], 4);
  for (const u of [alice, bob2, carol2]) await u.expect('* ALICE joined (4 users online)');
  alice2.say('l');
  await alice2.expect('* 4 users online: alicia, bob, Carol, ALICE');
}));

// ---- An instance fails -----------------------------------------------------

// kill -9 of n2: its users are announced to the others as gone with their
// server within about a lease, their nicknames are free on another
// instance, and `l` no longer lists them.
test('instance_killed', (bin) => withCluster(bin, { lease: 3 }, async ({ nodes, join, kill9, lease }) => {
  const [alice, bob, carol] = await threeUsers(join, nodes);
  await join('brian', nodes[1], 4);
  for (const u of [alice, bob, carol]) await u.expect('* brian joined (4 users online)');
  const t0 = Date.now();
  await kill9(nodes[1]);
  const bound = lease * 1000 + 3000;
  for (const u of [alice, carol]) {
    const seen = [];
    for (let k = 0; k < 2; k++) {
      const l = await u.line('a user of n2 announced gone', bound + 2000);
      const m = /^\* (bob|brian) left: server n2 is gone \((\d+) users? online\)$/.exec(l);
      if (!m || seen.includes(m[1]) || Number(m[2]) !== 3 - k)
        throw new Error(`${u.name}: got ${JSON.stringify(l)}; lines: ${u.dump()}`);
      seen.push(m[1]);
    }
    const took = Date.now() - t0;
    console.log(`instance_killed: ${u.name} heard n2's users gone ${took} ms after the kill (lease ${lease} s)`);
    if (took > bound) throw new Error(`${u.name} heard n2's users gone ${took} ms after the kill (lease ${lease} s)`);
  }
  await anyLog([nodes[0], nodes[2]], /cluster: node n2 is gone: 2 users left/);
  const bob2 = await join('bob', nodes[2], 3);
  await alice.expect('* bob joined (3 users online)');
  await carol.expect('* bob joined (3 users online)');
  const brian2 = await join('Brian', nodes[0], 4);
  for (const u of [alice, carol, bob2]) await u.expect('* Brian joined (4 users online)');
  alice.say('l');
  await alice.expect('* 4 users online: alice, carol, bob, Brian');
  brian2.say('still one room');
  for (const u of [alice, carol, bob2]) await u.expect('Brian: still one room');
}));

// An instance shut down (SIGTERM) says goodbye for its users at once:
// the others hear them leave with their server, long before a lease
// (15 s here) would have run out, and their nicknames are free.
test('instance_shut_down', (bin) => withCluster(bin, {}, async ({ nodes, join }) => {
  const [alice, bob, carol] = await threeUsers(join, nodes);
  const brian = await join('brian', nodes[1], 4);
  for (const u of [alice, bob, carol]) await u.expect('* brian joined (4 users online)');
  const t0 = Date.now();
  await nodes[1].stop();
  await bob.expect('* the server is shutting down');
  await brian.expect('* the server is shutting down');
  for (const u of [alice, carol]) {
    const seen = [];
    for (let k = 0; k < 2; k++) {
      const l = await u.line('a user of n2 announced leaving with it', 5000);
      const m = /^\* (bob|brian) left: server n2 shut down \((\d+) users? online\)$/.exec(l);
      if (!m || seen.includes(m[1]) || Number(m[2]) !== 3 - k)
        throw new Error(`${u.name}: got ${JSON.stringify(l)}; lines: ${u.dump()}`);
      seen.push(m[1]);
    }
  }
  console.log(`instance_shut_down: its users left ${Date.now() - t0} ms after SIGTERM`);
  const bob2 = await join('bob', nodes[2], 3);
  await alice.expect('* bob joined (3 users online)');
  await carol.expect('* bob joined (3 users online)');
  alice.say('l');
  await alice.expect('* 3 users online: alice, carol, bob');
  await bob2.sync();
}));

// An instance frozen (SIGSTOP: as cut off from Redis) for longer than the
// lease: the others announce its users gone and give one's nickname out;
// thawed, it finds its claims lost, tells its users the link is lost,
// renames the user whose nickname was taken (nick + 2) and tells them,
// links again, and the room is one again.
test('instance_frozen_past_lease', (bin) => withCluster(bin, { lease: 3 }, async ({ nodes, join, lease }) => {
  const [alice, bob, carol] = await threeUsers(join, nodes);
  nodes[0].proc.kill('SIGSTOP');
  nodes[0].frozen = true;
  for (const u of [bob, carol]) await u.expect(gone('alice', 'n1'), lease * 1000 + 5000);
  const other = await join('alice', nodes[1], 3);
  await bob.expect('* alice joined (3 users online)');
  await carol.expect('* alice joined (3 users online)');
  nodes[0].proc.kill('SIGCONT');
  nodes[0].frozen = false;
  await nodes[0].linked(2);
  // Between its lines, the frozen one may hear of the others' joins,
  // leaves and renames as it catches up.
  const news = /^\* \S+ (joined|left|is now known as)/;
  await alice.expectPast(LOST, news);
  await alice.expectPast('* your nickname alice was taken on another server; you are now alice2', news);
  await alice.backTo(4, news);
  const everyone = ['alice2', 'bob', 'carol', 'alice'];
  sameSet(await alice.list(), everyone, 'alice2');
  for (const u of [bob, carol, other]) {
    await u.reaches(4, news);
    sameSet(await u.list(), everyone, u.name);
  }
  alice.say('n2 took my name');
  for (const u of [bob, carol, other]) await u.expect('alice2: n2 took my name');
}));

// Two live instances with one node name: the second waits, saying so in
// its log, and serves its own room alone meanwhile; once the first is
// gone, it takes the name and its users join the room.
test('duplicate_node_name', (bin) => withCluster(bin, { lease: 3 }, async ({ nodes, start, join, joinAlone, kill9 }) => {
  const [alice, bob, carol] = await threeUsers(join, nodes);
  const twin = await start('n1');
  await twin.log(/cluster: (link lost: )?node name n1 is held by another instance; retrying/);
  const zoe = await joinAlone('zoe', twin, 1);
  const yan = await joinAlone('yan', twin, 2);
  await zoe.expect('* yan joined (2 users online)');
  zoe.say('only the twin hears me');
  await yan.expect('zoe: only the twin hears me');
  alice.say('l');
  await alice.expect('* 3 users online: alice, bob, carol');
  await kill9(nodes[0]);
  await twin.linked(1);
  const news = /^\* (\S+ joined|alice left(: server n1 is gone)?) \(\d+ users? online\)$/;
  const everyone = ['bob', 'carol', 'zoe', 'yan'];
  for (const u of [bob, carol]) await u.reaches(4, news);
  for (const u of [zoe, yan]) await u.backTo(4, news);
  for (const u of [bob, carol, zoe, yan]) sameSet(await u.list(), everyone, u.name);
  zoe.say('now everyone hears me');
  for (const u of [bob, carol, yan]) await u.expect('zoe: now everyone hears me');
}));

// ---- Redis fails -------------------------------------------------------------

// redis-server stopped during a chat and started again (empty) on its
// port: every user is told once that the link is lost; each instance's
// room goes on alone (its counts and `l` its own); once Redis is back every
// user is told so and the room is one again, with the users who joined
// meanwhile.
test('redis_restart', (bin) => withCluster(bin, {}, async ({ redis, nodes, join, joinAlone }) => {
  const [alice, bob, carol] = await threeUsers(join, nodes);
  const dave = await join('dave', nodes[0], 4);
  for (const u of [alice, bob, carol]) await u.expect('* dave joined (4 users online)');
  await redis.stop();
  for (const u of [alice, bob, carol, dave]) await u.expect(LOST);
  for (const s of nodes) await s.log(/cluster: link lost: .+; retrying in \d+ ms/);
  nodes[1].proc.kill('SIGUSR1');
  await nodes[1].log(/cluster: node n2, link (down|linking) \(.+\); 0 users on other servers/);
  alice.say('only n1 hears this');
  await dave.expect('alice: only n1 hears this');
  alice.say('l');
  await alice.expect('* 2 users online: alice, dave');
  const erin = await joinAlone('erin', nodes[2], 2);
  await carol.expect('* erin joined (2 users online)');
  carol.say('only n3 hears this');
  await erin.expect('carol: only n3 hears this');
  await redis.start();
  for (const s of nodes) await s.linked(2);
  const all = [alice, bob, carol, dave, erin];
  const everyone = ['alice', 'bob', 'carol', 'dave', 'erin'];
  // Back, a user hears of the others' (re)joins until the count says all
  // five; nothing said while the link was down reaches another instance,
  // and the link is lost only once.
  for (const u of all) await u.backTo(5, JOINED);
  for (const u of all) sameSet(await u.list(), everyone, u.name);
  bob.say('across again');
  for (const u of [alice, carol, dave, erin]) await u.expect('bob: across again');
  erin.say('I joined while it was down');
  for (const u of [alice, bob, carol, dave]) await u.expect('erin: I joined while it was down');
  for (const u of all) await u.sync();
}));

// While Redis is down, each instance gives out nicknames alone: a
// newcomer on n3 takes bob, whom n2 has. Once Redis is back (empty), the
// instance that links first keeps the nickname; the other's user is
// renamed bob2 and told, and the room has both.
test('nickname_conflict_after_outage', (bin) => withCluster(bin, {}, async ({ redis, nodes, join, joinAlone }) => {
  const [alice, bob, carol] = await threeUsers(join, nodes);
  await redis.stop();
  for (const u of [alice, bob, carol]) await u.expect(LOST);
  const twin = await joinAlone('bob', nodes[2], 2);
  await carol.expect('* bob joined (2 users online)');
  await redis.start();
  for (const s of nodes) await s.linked(2);
  const news = /^\* \S+ (joined|is now known as \S+)( \(\d+ users? online\))?$/;
  const renamed = '* your nickname bob was taken on another server; you are now bob2';
  // The first line each bob hears that is no news: the rename or BACK.
  const first = [];
  for (const u of [bob, twin]) first.push(await u.expectPast(new RegExp(`^${renamed.replace(/[*.;]/g, '\\$&')}$|${BACK.source}`), news));
  if (first.filter((l) => l === renamed).length !== 1)
    throw new Error(`one bob renamed expected; first lines: ${JSON.stringify(first)}; ` +
                    `bob: ${bob.dump()}; twin: ${twin.dump()}`);
  const [loser, winner, back] = first[0] === renamed ? [bob, twin, first[1]] : [twin, bob, first[0]];
  loser.name = 'bob2';
  for (const u of [alice, carol, loser]) await u.backTo(4, news);
  if (!back.endsWith(`(${users(4)})`)) await winner.reaches(4, news);
  const everyone = ['alice', 'bob', 'bob2', 'carol'];
  for (const u of [alice, bob, carol, twin]) sameSet(await u.list(), everyone, u.name);
  loser.say('I am bob2 now');
  for (const u of [alice, carol, winner]) await u.expect('bob2: I am bob2 now');
}));

// No Redis at the start: the instances start anyway and serve their own
// rooms; they link once redis-server comes up, and the room is one.
test('redis_down_at_start', (bin) => withCluster(bin, { redisDown: true }, async ({ redis, nodes, join, joinAlone }) => {
  const alice = await joinAlone('alice', nodes[0], 1);
  const dave = await joinAlone('dave', nodes[0], 2);
  await alice.expect('* dave joined (2 users online)');
  alice.say('n1 alone');
  await dave.expect('alice: n1 alone');
  const bob = await joinAlone('bob', nodes[1], 1);
  bob.say('nobody hears me yet');
  alice.say('l');
  await alice.expect('* 2 users online: alice, dave');
  await redis.start();
  for (const s of nodes) await s.linked(1);
  const all = [alice, dave, bob];
  for (const u of all) await u.backTo(3, JOINED);
  for (const u of all) sameSet(await u.list(), ['alice', 'bob', 'dave'], u.name);
  bob.say('now n1 hears me');
  for (const u of [alice, dave]) await u.expect('bob: now n1 hears me');
  const carol = await join('carol', nodes[2], 4);
  for (const u of all) await u.expect('* carol joined (4 users online)');
  alice.say('and n3');
  for (const u of [dave, bob, carol]) await u.expect('alice: and n3');
}));

// Memory has a bound while the link is down: 20 000 lines of 3 000 bytes
// (60 MB) said on n1 while Redis is stopped, or frozen (SIGSTOP: it takes
// the bytes the kernel buffers and answers nothing, so n1 learns the link
// is down only from its bounds: 4 MiB or 10 000 commands waiting, or the
// command timeout). n1's peak RSS grows by far less than the lines; then
// Redis comes back and so does the room.
async function memoryBound(bin, frozen) {
  // Frozen, a lease of 10 s makes the command timeout 5 s: long enough for
  // the lines to outgrow the bound first if there were none.
  await withCluster(bin, { lease: frozen ? 10 : 3 }, async ({ redis, nodes, join }) => {
    const [alice, bob, carol] = await threeUsers(join, nodes);
    const before = nodes[0].rss().now;
    fs.writeFileSync(`/proc/${nodes[0].proc.pid}/clear_refs`, '5'); // VmHWM from now on
    if (frozen) redis.freeze();
    else await redis.stop();
    const N = 20000;
    const pad = 'x'.repeat(3000);
    let text = '';
    for (let k = 0; k < N; k++) text += `${k} ${pad}\n`;
    alice.send(text);
    // `l` comes after every line: once it is answered, n1 has read them.
    const listed = await alice.list(LOST_RE);
    const { peak } = nodes[0].rss();
    const grown = peak - before;
    console.log(`memory_bound (${frozen ? 'frozen' : 'stopped'}): RSS ${before} KiB before, peak ${peak} KiB ` +
                `after ${N} lines (${(N * pad.length) >> 20} MiB)`);
    if (grown > 24 << 10) throw new Error(`n1's RSS grew by ${grown} KiB with the link down`);
    // Down by then (on its bounds, frozen), and so alone.
    if (!alice.lines.slice(0, alice.next).includes(LOST)) throw new Error(`alice: not told the link is lost; ${alice.dump()}`);
    sameSet(listed, ['alice'], 'alice');
    // The others' renewals fail too: every instance relinks after.
    for (const u of [bob, carol]) await u.expect(LOST);
    if (frozen) redis.thaw();
    else await redis.start();
    for (const s of nodes) await s.linked(2);
    for (const u of [alice, bob]) await u.expectPast(BACK, JOINED);
    // What n1 sent a frozen Redis before it knew is heard once it runs
    // again (in order, and before what comes after).
    const stale = new RegExp(`^alice: \\d+ x+$|${JOINED.source}|${BACK.source}`);
    bob.say('still one room');
    await alice.expectPast('bob: still one room', JOINED);
    await carol.expectPast('bob: still one room', stale);
  });
}

test('memory_bound_redis_stopped', (bin) => memoryBound(bin, false));
test('memory_bound_redis_frozen', (bin) => memoryBound(bin, true));

// ---- Where the room lives ----------------------------------------------------

// The room is Redis plus a database number: instances on another database
// of the same server are another room (their node and nick names apart).
// The keys and channels are those docs/chat-cluster.md lists.
test('databases_are_separate_rooms', (bin) => withCluster(bin, { db: 5, lease: 4 }, async ({ redis, nodes, start, join }) => {
  const [alice, bob, carol] = await threeUsers(join, nodes);
  const other = await start('n1', [], `${redis.url}/6`);
  await other.linked(1);
  await other.log(new RegExp(`cluster: node n1 linked to ${redis.url.replace(/\./g, '\\.')}/6 `));
  const alice6 = await join('alice', other, 1);
  alice6.say('db 6 only');
  alice.say('db 5 only');
  await bob.expect('alice: db 5 only');
  await carol.expect('alice: db 5 only');
  await alice6.sync();
  sameSet(await redis.query(5, 'SMEMBERS', 'cnet-chat:5:nodes'), ['n1', 'n2', 'n3'], 'db 5 nodes');
  sameSet(await redis.query(6, 'SMEMBERS', 'cnet-chat:6:nodes'), ['n1'], 'db 6 nodes');
  for (const [db, node] of [[5, 'n2'], [6, 'n1']]) {
    const nick = db === 5 ? 'bob' : 'alice';
    if (await redis.query(db, 'GET', `cnet-chat:${db}:nick:${nick}`) !== node)
      throw new Error(`db ${db}: nick:${nick} is not held by ${node}`);
    const ttl = await redis.query(db, 'PTTL', `cnet-chat:${db}:nick:${nick}`);
    if (!(ttl > 0 && ttl <= 4000)) throw new Error(`db ${db}: nick:${nick} PTTL ${ttl}, lease 4 s`);
    const ttlNode = await redis.query(db, 'PTTL', `cnet-chat:${db}:node:${node}`);
    if (!(ttlNode > 0 && ttlNode <= 4000)) throw new Error(`db ${db}: node:${node} PTTL ${ttlNode}, lease 4 s`);
    const hash = await redis.query(db, 'HGETALL', `cnet-chat:${db}:users:${node}`);
    if (hash.length !== 2 || hash[0] !== nick || !new RegExp(`^\\d+\\n${nick}$`).test(hash[1]))
      throw new Error(`db ${db}: users:${node} is ${JSON.stringify(hash)}`);
  }
  const channels = await redis.query(0, 'PUBSUB', 'CHANNELS', 'cnet-chat:*');
  for (const c of ['cnet-chat:5:room', 'cnet-chat:5:to:n1', 'cnet-chat:5:to:n2', 'cnet-chat:5:to:n3',
                   'cnet-chat:6:room', 'cnet-chat:6:to:n1'])
    if (!channels.includes(c)) throw new Error(`no subscriber on ${c}: ${JSON.stringify(channels)}`);
  await alice.sync();
  await alice6.quit('alice');
}));

// Whatever else can reach Redis may publish on the room's channels: events
// that are not what a cnet-chat sends (escape sequences in a line, a
// nickname or a reason, a node name --node would refuse, garbage, an empty
// message) change nothing on users' screens; well-formed ones do.
test('foreign_publisher', (bin) => withCluster(bin, {}, async ({ redis, nodes, join }) => {
  const alice = await join('alice', nodes[0], 1);
  const room = 'cnet-chat:0:room';
  const publish = (m) => redis.query(0, 'PUBLISH', room, m);
  await publish('S\nx\nevil: \x1b[2Jcleared');
  await publish('J\nx\nk1\n5\n\x1b[31mred');
  await publish('J\nbad node\nk2\n6\nmallory');
  await publish('garbage');
  await publish('');
  await publish('S');
  await publish('G\nn2');
  await publish('S\nx\ntrent: a line from outside');
  await alice.expect('trent: a line from outside');
  await publish('J\nx\nk3\n7\ncarol');
  await alice.expect('* carol joined (2 users online)');
  await publish('Q\nx\nk3\n\x1b]0;title\x07');
  await alice.expect('* carol left (1 user online)');
  await alice.sync();
}));

if (require.main === module) main();
