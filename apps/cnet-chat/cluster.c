/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* cnet-chat's link to the other instances of one room, through Redis.
 *
 * Two connections on cnet's loop (the hiredis adapter): one for commands,
 * one subscribed to the room's channel and to this node's own. Every
 * change of the shared state is one of the Lua scripts below, which
 * changes the keys and publishes the event atomically; the snapshot a
 * joining node reads is published on its own channel by a script too, so
 * that it falls in its place among the events the node receives.
 *
 * The link goes DOWN -> LINKING (connect, subscribe) -> SYNCING (claim the
 * node's name, say who is here, read who is elsewhere) -> UP, and back to
 * DOWN on any error, a timeout, a renewal that finds the claim gone, or
 * Redis not keeping up. Down, the roster of the others is forgotten (the
 * users are told once), nothing is kept for Redis, and the next attempt
 * comes after a backoff. */
#include "cluster.h"

#include <hiredis/async.h>
#include <hiredis/hiredis.h>
#include <cnet/adapters/hiredis.h>

#include <netdb.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "cluster_lua.h"
#include "log.h"
#include "roster.h"
#include "text.h"

/* Redis slow or not answering: the commands waiting for a reply, and
 * their bytes, beyond which the room stops reading what its users say
 * (busy), until half as many wait; and beyond which the link is dropped
 * rather than grow (only a Redis that stopped answering gets there: the
 * room reads a callback's worth of lines at most once busy). */
#define BUSY_PENDING 1000
#define BUSY_PENDING_BYTES (512u << 10)
#define MAX_PENDING 10000
#define MAX_PENDING_BYTES (4u << 20)
/* Busy, and no reply for this long: Redis has stopped answering, and the
 * link is given up at once rather than after the command timeout (up to
 * 5 s), for the room here not to wait longer than that. */
#define STALL_MS 1000
/* The most bytes of an event: a line with its sender's nickname. */
#define MAX_EVENT (4 * 4096 + 1024)
#define BACKOFF_MIN_MS 250
#define BACKOFF_MAX_MS 8000

typedef enum link_state {
  L_DOWN,    /* waiting to try again                                 */
  L_FAILING, /* failed: torn down at the next turn                   */
  L_LINKING, /* connecting and subscribing                           */
  L_SYNCING, /* the announce and the snapshot on their way           */
  L_UP,
  L_CLOSED   /* cluster_close: the last words on their way, or none  */
} link_state;

/* A claim or a rename on its way to Redis; m is NULL once the member has
 * left, when a claim that succeeds is given back. */
typedef struct cluster_claim {
  struct cluster_claim *prev, *next; /* c->claims */
  cluster *c;
  cluster_member *m;
  bool rename;
  char key[NICK_KEY_MAX];
  char nick[NICK_MAX_BYTES + 1];
} pending_claim;

struct cluster {
  cnet_loop *loop;
  cluster_options o;
  cluster_ops ops;
  void *ctx;
  char prefix[32];       /* "cnet-chat:<db>:"                  */
  char room_channel[48]; /* <prefix>room                       */
  char own_channel[48 + CLUSTER_NODE_MAX]; /* <prefix>to:<node> */
  char incarnation[33];  /* this run's claim on the node name  */
  unsigned ttl_ms, renew_ms, reap_ms, timeout_ms;
  redisAsyncContext *cmd, *sub;
  link_state state;
  int subscribed;     /* subscriptions confirmed (of 2)            */
  bool announced;     /* the announce's reply has come              */
  bool synced;        /* the snapshot has come                      */
  bool dirty;         /* a local change since the announce was sent */
  bool told_lost;     /* the users were told the link is lost       */
  bool renewing, reaping;
  bool busy;          /* cluster_busy                               */
  unsigned failures;  /* attempts in a row that failed              */
  unsigned backoff_ms;
  size_t pending, pending_bytes;
  char reason[160];
  char *event;        /* the event being read, split into fields     */
  size_t event_cap;
  char *cleaned;      /* TEXT_CLEAN_MAX(MAX_EVENT): see is_clean      */
  cnet_timer retry, watchdog, renew, reap, drain, stall;
  cluster_member *head, *tail; /* users here                        */
  pending_claim *claims;       /* on their way                      */
  roster others;               /* users elsewhere                   */
};

/* ---- Options ---------------------------------------------------------- */

const char *cluster_check_node(const char *name) {
  size_t len = strlen(name);
  if (len == 0 || len > CLUSTER_NODE_MAX)
    return "a node name has 1 to 64 characters";
  for (size_t i = 0; i < len; i++)
    if (name[i] <= ' ' || name[i] > '~')
      return "a node name is printable ASCII without spaces";
  return NULL;
}

/* A decimal number from s to end, within [min, max]. */
static bool parse_number(const char *s, const char *end, long min, long max,
                         long *out) {
  long v = 0;
  if (s == end || end - s > 10) return false;
  for (; s < end; s++) {
    if (*s < '0' || *s > '9') return false;
    v = v * 10 + (*s - '0');
  }
  if (v < min || v > max) return false;
  *out = v;
  return true;
}

const char *cluster_parse_url(const char *url, cluster_options *o) {
  static const char scheme[] = "redis://";
  if (strncmp(url, scheme, sizeof scheme - 1) != 0)
    return "the URL must start with redis://";
  const char *host = url + sizeof scheme - 1, *host_end, *p;
  if (*host == '[') {
    host_end = strchr(++host, ']');
    if (!host_end) return "an IPv6 address ends with ]";
    p = host_end + 1;
  } else {
    host_end = host + strcspn(host, ":/");
    p = host_end;
  }
  if (host_end == host || (size_t)(host_end - host) >= sizeof o->host)
    return "no host, or too long a host";
  memcpy(o->host, host, (size_t)(host_end - host));
  o->host[host_end - host] = '\0';
  long port = 6379, db = 0;
  if (*p == ':') {
    const char *end = p + 1 + strcspn(p + 1, "/");
    if (!parse_number(p + 1, end, 1, 65535, &port))
      return "the port is a number from 1 to 65535";
    p = end;
  }
  if (*p == '/' && p[1] != '\0') {
    if (!parse_number(p + 1, p + strlen(p), 0, 1 << 20, &db))
      return "the database is a number";
    p += strlen(p);
  } else if (*p == '/') {
    p++;
  }
  if (*p != '\0') return "unexpected text after the host and port";
  o->port = (int)port;
  o->db = (int)db;
  return NULL;
}

const char *cluster_resolve(cluster_options *o) {
  struct addrinfo hints = {.ai_socktype = SOCK_STREAM}, *res;
  static char why[sizeof o->host + 64];
  int rc = getaddrinfo(o->host, NULL, &hints, &res);
  if (rc != 0) {
    snprintf(why, sizeof why, "%s: %s", o->host, gai_strerror(rc));
    return why;
  }
  char host[sizeof o->host];
  rc = getnameinfo(res->ai_addr, res->ai_addrlen, host, sizeof host, NULL, 0,
                   NI_NUMERICHOST);
  freeaddrinfo(res);
  if (rc != 0) {
    snprintf(why, sizeof why, "%s: %s", o->host, gai_strerror(rc));
    return why;
  }
  memcpy(o->host, host, sizeof host);
  return NULL;
}

/* ---- The roster of the others ---------------------------------------- */

size_t cluster_others(const cluster *c) { return c->others.count; }

bool cluster_find(const cluster *c, const char *key, cluster_user *out) {
  other *o = roster_find(&c->others, key);
  if (!o) return false;
  *out = (cluster_user){o->nick, o->key, o->seq};
  return true;
}

void cluster_each(const cluster *c,
                  void (*each)(const cluster_user *u, void *arg), void *arg) {
  for (other *o = c->others.first; o; o = o->next) {
    cluster_user u = {o->nick, o->key, o->seq};
    each(&u, arg);
  }
}

/* ---- Commands --------------------------------------------------------- */

static void link_fail(cluster *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void on_drain_timer(cnet_timer *t, void *arg) {
  cluster *c = arg;
  (void)t;
  c->ops.drained(c->ctx);
}

static void on_stall_timer(cnet_timer *t, void *arg) {
  cluster *c = arg;
  (void)t;
  link_fail(c, "Redis answered nothing in %u ms with %zu commands waiting",
            STALL_MS, c->pending);
}

/* Busy no more: the room hears it at the next turn, not from inside
 * hiredis. Still busy: a reply is progress, and the stall's clock starts
 * again. */
static void check_drained(cluster *c) {
  if (!c->busy) return;
  if (c->pending <= BUSY_PENDING / 2 &&
      c->pending_bytes <= BUSY_PENDING_BYTES / 2) {
    c->busy = false;
    cnet_timer_stop(&c->stall);
    cnet_timer_start(&c->drain, on_drain_timer, c, 0, 0);
  } else {
    cnet_timer_start(&c->stall, on_stall_timer, c, STALL_MS, 0);
  }
}

/* A reply to a command of c->cmd: the count of those awaited goes down,
 * unless it is from a connection given up already. */
static bool replied(cluster *c, const redisAsyncContext *ac, size_t bytes) {
  if (ac != c->cmd) return false;
  c->pending--;
  c->pending_bytes -= bytes;
  check_drained(c);
  return true;
}

/* A command's bytes ride in its privdata when it has no other: every
 * command gets a callback, so that the count of those awaited is
 * right. */
static void on_done(redisAsyncContext *ac, void *reply, void *privdata) {
  cluster *c = ac->data;
  (void)reply;
  replied(c, ac, (size_t)(uintptr_t)privdata);
}

/* Sends argv on the command connection; false (and the link dropped) if
 * Redis is not keeping up or hiredis is out of memory. */
static bool send_argv(cluster *c, redisCallbackFn *fn, void *privdata,
                      int argc, const char **argv, const size_t *lens) {
  size_t bytes = 0;
  if (!c->cmd) return false;
  for (int i = 0; i < argc; i++) bytes += lens[i];
  if (c->pending >= MAX_PENDING || c->pending_bytes + bytes > MAX_PENDING_BYTES) {
    link_fail(c, "Redis is not keeping up (%zu commands, %zu bytes waiting)",
              c->pending, c->pending_bytes);
    return false;
  }
  /* The bytes of the commands without an answer to wait for (lines,
   * leaves) are counted: they are the ones that come in numbers. */
  if (!fn) {
    fn = on_done;
    privdata = (void *)(uintptr_t)bytes;
  } else {
    bytes = 0;
  }
  if (redisAsyncCommandArgv(c->cmd, fn, privdata, argc, argv, lens) !=
      REDIS_OK) {
    link_fail(c, "out of memory for a command");
    return false;
  }
  c->pending++;
  c->pending_bytes += bytes;
  if (!c->busy &&
      (c->pending >= BUSY_PENDING || c->pending_bytes >= BUSY_PENDING_BYTES)) {
    c->busy = true;
    cnet_timer_start(&c->stall, on_stall_timer, c, STALL_MS, 0);
  }
  return true;
}

/* EVAL script 0 P node <args...>: the common head of every script call. */
#define SCRIPT_ARGS_MAX 8
static bool eval(cluster *c, const char *script, redisCallbackFn *fn,
                 void *privdata, int nargs, const char *const *args) {
  const char *argv[4 + SCRIPT_ARGS_MAX];
  size_t lens[4 + SCRIPT_ARGS_MAX];
  argv[0] = "EVAL", argv[1] = script, argv[2] = "0", argv[3] = c->prefix;
  for (int i = 0; i < 4; i++) lens[i] = strlen(argv[i]);
  for (int i = 0; i < nargs; i++) {
    argv[4 + i] = args[i];
    lens[4 + i] = strlen(args[i]);
  }
  return send_argv(c, fn, privdata, 4 + nargs, argv, lens);
}

static void ttl_text(const cluster *c, char *buf, size_t size) {
  snprintf(buf, size, "%u", c->ttl_ms);
}

/* What went wrong with a command, for the log. */
static const char *failure(const redisAsyncContext *ac, const redisReply *r) {
  if (r && r->type == REDIS_REPLY_ERROR) return r->str;
  return ac->err ? ac->errstr : "no reply";
}

/* ---- Events from the others ------------------------------------------ */

/* Splits p (len bytes) at LF into at most max fields (the last takes the
 * rest), each NUL-ended in buf; returns the count. */
static int split(const char *p, size_t len, char *buf, char **f, int max) {
  int n = 0;
  memcpy(buf, p, len);
  buf[len] = '\0';
  char *s = buf;
  while (n < max) {
    f[n++] = s;
    char *lf = n < max ? strchr(s, '\n') : NULL;
    if (!lf) break;
    *lf = '\0';
    s = lf + 1;
  }
  return n;
}

static bool fits(const char *s, size_t max) { return strlen(s) <= max; }

/* Whether text from another instance is as this one would have cleaned
 * it (text_clean): it goes on users' screens, and nobody but a cnet-chat
 * should be publishing on the room's channels, but if something else
 * does, it does not get to send a terminal escape. */
static bool is_clean(cluster *c, const char *s) {
  size_t len = strlen(s);
  if (len > MAX_EVENT) return false;
  if (!c->cleaned) {
    c->cleaned = malloc(TEXT_CLEAN_MAX(MAX_EVENT));
    if (!c->cleaned) return false;
  }
  return text_clean(s, len, c->cleaned) == len &&
         memcmp(s, c->cleaned, len) == 0;
}

static bool valid_user(cluster *c, const char *node, const char *key,
                       const char *nick) {
  return cluster_check_node(node) == NULL && fits(key, NICK_KEY_MAX - 1) &&
         fits(nick, NICK_MAX_BYTES) && *key && *nick && is_clean(c, nick);
}

static bool is_self(const cluster *c, const char *node) {
  return strcmp(node, c->o.node) == 0;
}

static void on_join(cluster *c, char **f) {
  uint64_t seq = strtoull(f[3], NULL, 10);
  if (is_self(c, f[1]) || !valid_user(c, f[1], f[2], f[4])) return;
  if (!roster_add(&c->others, f[1], f[2], f[4], seq)) {
    chat_log("-", "cluster: %s on node %s not added: too many users elsewhere",
             f[4], f[1]);
    return;
  }
  c->ops.joined(c->ctx, f[4]);
}

/* How a user left, as the room words it ("left", "was dropped: idle"):
 * short, and clean. */
#define HOW_MAX 64

static void on_quit(cluster *c, char **f) {
  other *o = roster_find(&c->others, f[2]);
  if (is_self(c, f[1]) || !o || strcmp(o->node, f[1]) != 0) return;
  if (!fits(f[3], HOW_MAX) || !is_clean(c, f[3])) f[3] = "left";
  char nick[NICK_MAX_BYTES + 1];
  memcpy(nick, o->nick, sizeof nick);
  roster_remove(&c->others, o);
  c->ops.left(c->ctx, nick, f[3]);
}

static void on_rename(cluster *c, char **f) {
  other *o = roster_find(&c->others, f[2]);
  if (is_self(c, f[1]) || !o || strcmp(o->node, f[1]) != 0 ||
      !valid_user(c, f[1], f[3], f[4]))
    return;
  char from[NICK_MAX_BYTES + 1];
  memcpy(from, o->nick, sizeof from);
  uint64_t seq = o->seq;
  roster_remove(&c->others, o);
  if (roster_add(&c->others, f[1], f[3], f[4], seq))
    c->ops.renamed(c->ctx, from, f[4]);
}

/* G: f[1] is gone (how: f[2]) and the keys of its users follow. */
static void on_gone(cluster *c, char **f, int n) {
  if (is_self(c, f[1])) {
    if (c->state == L_UP)
      link_fail(c, "this node was declared gone: its lease ran out");
    return;
  }
  char how[32 + CLUSTER_NODE_MAX + 1];
  snprintf(how, sizeof how, "left: server %s %s", f[1],
           strcmp(f[2], "shut down") == 0 ? "shut down" : "is gone");
  char *keys = n > 3 ? f[3] : NULL;
  while (keys) {
    char *lf = strchr(keys, '\n');
    if (lf) *lf = '\0';
    other *o = roster_find(&c->others, keys);
    if (o && strcmp(o->node, f[1]) == 0) {
      char nick[NICK_MAX_BYTES + 1];
      memcpy(nick, o->nick, sizeof nick);
      roster_remove(&c->others, o);
      c->ops.left(c->ctx, nick, how);
    }
    keys = lf ? lf + 1 : NULL;
  }
}

static void go_up(cluster *c);
static void announce(cluster *c);

/* Y: who is elsewhere, as of the moment the snapshot was taken. */
static void on_snapshot(cluster *c, char *rest) {
  if (c->state != L_SYNCING) return;
  roster_clear(&c->others);
  char *f[4];
  while (rest) {
    int n = 0;
    for (; n < 4 && rest; n++) {
      f[n] = rest;
      char *lf = strchr(rest, '\n');
      if (lf) *lf = '\0';
      rest = lf ? lf + 1 : NULL;
    }
    if (n == 4 && valid_user(c, f[0], f[1], f[3]) &&
        !roster_add(&c->others, f[0], f[1], f[3], strtoull(f[2], NULL, 10)))
      break;
  }
  c->synced = true;
  if (c->announced) go_up(c);
}

/* How many fields an event of this kind has (the last takes the rest of
 * it), or 0 for no kind cnet-chat sends. */
static int fields_of(char kind) {
  switch (kind) {
  case 'J': case 'N': case 'P': return 5;
  case 'Q': case 'G': return 4; /* G: the keys stay one field */
  case 'S': return 3;
  case 'Y': return 2;           /* Y: the users stay one field */
  default: return 0;
  }
}

/* One message on the room's channel or this node's. Malformed ones (not
 * from a cnet-chat) are ignored. */
static void on_event(cluster *c, const char *p, size_t len) {
  char kind = len >= 1 && (len == 1 || p[1] == '\n') ? p[0] : 0;
  int want = fields_of(kind);
  if (!want || (len > MAX_EVENT && kind != 'Y' && kind != 'G')) return;
  /* Only a snapshot or a node's farewell is long: one with room for
   * every user. */
  if (len > (size_t)ROSTER_MAX * 1024) return;
  if (len + 1 > c->event_cap) {
    char *b = realloc(c->event, len + 1);
    if (!b) return;
    c->event = b;
    c->event_cap = len + 1;
  }
  char *b = c->event;
  char *f[5];
  int n = split(p, len, b, f, want);
  if (n == want || (kind == 'G' && n == 3) || (kind == 'Y' && n == 1)) {
    switch (kind) {
    case 'J': on_join(c, f); break;
    case 'Q': on_quit(c, f); break;
    case 'N': on_rename(c, f); break;
    case 'S':
      if (!is_self(c, f[1]) && is_clean(c, f[2]))
        c->ops.line(c->ctx, f[2], strlen(f[2]));
      break;
    case 'G': on_gone(c, f, n); break;
    case 'P':
      if (!is_self(c, f[1]) && fits(f[3], NICK_MAX_BYTES) &&
          is_clean(c, f[3]) && is_clean(c, f[4]))
        c->ops.private_message(c->ctx, f[2], f[3], f[4], strlen(f[4]));
      break;
    case 'Y': on_snapshot(c, n == 2 ? f[1] : NULL); break;
    }
  }
  /* A snapshot's room is not kept. */
  if (c->event_cap > MAX_EVENT + 1) {
    free(c->event);
    c->event = NULL;
    c->event_cap = 0;
  }
  c->ops.settle(c->ctx);
}

/* The subscriber connection: confirmations, then every message. */
static void on_message(redisAsyncContext *ac, void *reply, void *privdata) {
  cluster *c = ac->data;
  redisReply *r = reply;
  (void)privdata;
  if (!r || ac != c->sub || c->state < L_LINKING || c->state == L_CLOSED)
    return;
  if (r->type != REDIS_REPLY_ARRAY || r->elements != 3 ||
      r->element[0]->type != REDIS_REPLY_STRING)
    return;
  const char *kind = r->element[0]->str;
  if (strcmp(kind, "subscribe") == 0) {
    if (++c->subscribed == 2) announce(c);
  } else if (strcmp(kind, "message") == 0 &&
             r->element[2]->type == REDIS_REPLY_STRING) {
    on_event(c, r->element[2]->str, r->element[2]->len);
  }
}

/* ---- Linking ---------------------------------------------------------- */

static void on_announced(redisAsyncContext *ac, void *reply, void *privdata);
static void on_synced(redisAsyncContext *ac, void *reply, void *privdata);

static cluster_member *find_member(cluster *c, const char *key) {
  for (cluster_member *m = c->head; m; m = m->next)
    if (strcmp(m->key, key) == 0) return m;
  return NULL;
}

/* Claims the node's name and says who is here, then asks for the
 * snapshot of who is elsewhere. */
static void announce(cluster *c) {
  size_t n = 0;
  for (cluster_member *m = c->head; m; m = m->next) n++;
  const char **argv = malloc((8 + 2 * n) * sizeof *argv);
  size_t *lens = malloc((8 + 2 * n) * sizeof *lens);
  if (!argv || !lens) {
    free(argv);
    free(lens);
    link_fail(c, "out of memory for the announce");
    return;
  }
  char ttl[16];
  ttl_text(c, ttl, sizeof ttl);
  int argc = 0;
  argv[argc++] = "EVAL", argv[argc++] = lua_announce, argv[argc++] = "0";
  argv[argc++] = c->prefix, argv[argc++] = c->o.node;
  argv[argc++] = c->incarnation, argv[argc++] = ttl;
  for (cluster_member *m = c->head; m; m = m->next)
    argv[argc++] = m->key, argv[argc++] = m->nick;
  for (int i = 0; i < argc; i++) lens[i] = strlen(argv[i]);
  c->state = L_SYNCING;
  c->dirty = false;
  c->announced = c->synced = false;
  bool sent = send_argv(c, on_announced, NULL, argc, argv, lens);
  free(argv);
  free(lens);
  const char *args[] = {c->o.node};
  if (sent) eval(c, lua_sync, on_synced, NULL, 1, args);
}

static void on_announced(redisAsyncContext *ac, void *reply, void *privdata) {
  cluster *c = ac->data;
  redisReply *r = reply;
  (void)privdata;
  if (!replied(c, ac, 0) || c->state != L_SYNCING) return;
  if (!r || r->type != REDIS_REPLY_ARRAY || r->elements < 1 ||
      r->element[0]->type != REDIS_REPLY_STRING) {
    link_fail(c, "the announce failed: %s",
              failure(ac, r));
    return;
  }
  if (strcmp(r->element[0]->str, "held") == 0) {
    link_fail(c, "node name %s is held by another instance", c->o.node);
    return;
  }
  for (size_t i = 1; i + 1 < r->elements; i += 2) {
    redisReply *k = r->element[i], *s = r->element[i + 1];
    if (k->type != REDIS_REPLY_STRING || s->type != REDIS_REPLY_INTEGER)
      continue;
    cluster_member *m = find_member(c, k->str);
    if (!m) continue;
    if (s->integer > 0) {
      m->seq = (uint64_t)s->integer;
    } else {
      c->dirty = true; /* its new name goes in the next announce */
      c->ops.conflict(c->ctx, m);
    }
  }
  c->announced = true;
  if (c->synced) go_up(c);
  c->ops.settle(c->ctx);
}

static void on_synced(redisAsyncContext *ac, void *reply, void *privdata) {
  cluster *c = ac->data;
  redisReply *r = reply;
  (void)privdata;
  if (!replied(c, ac, 0)) return;
  if (r && r->type == REDIS_REPLY_ERROR)
    link_fail(c, "the snapshot failed: %s", r->str);
}

static void on_renew_timer(cnet_timer *t, void *arg);
static void on_reap_timer(cnet_timer *t, void *arg);

/* Announced and synced: up, unless the room changed meanwhile, when the
 * announce goes again. */
static void go_up(cluster *c) {
  if (c->dirty) {
    announce(c);
    return;
  }
  cnet_timer_stop(&c->watchdog);
  c->state = L_UP;
  c->failures = 0;
  c->backoff_ms = 0;
  chat_log("-", "cluster: node %s linked to redis://%s:%d/%d (%zu user%s on "
           "other servers)", c->o.node, c->o.host, c->o.port, c->o.db,
           c->others.count, c->others.count == 1 ? "" : "s");
  cnet_timer_start(&c->renew, on_renew_timer, c, c->renew_ms, c->renew_ms);
  cnet_timer_start(&c->reap, on_reap_timer, c, c->reap_ms, c->reap_ms);
  if (c->told_lost) {
    c->told_lost = false;
    c->ops.link(c->ctx, true);
  }
}

static void on_renewed(redisAsyncContext *ac, void *reply, void *privdata) {
  cluster *c = ac->data;
  redisReply *r = reply;
  (void)privdata;
  if (!replied(c, ac, 0)) return;
  c->renewing = false;
  if (c->state != L_UP) return;
  if (!r || r->type != REDIS_REPLY_INTEGER)
    link_fail(c, "the renewal failed: %s",
              failure(ac, r));
  else if (r->integer != 1)
    link_fail(c, "this node's claim ran out before it was renewed");
}

static void on_renew_timer(cnet_timer *t, void *arg) {
  cluster *c = arg;
  (void)t;
  if (c->state != L_UP || c->renewing) return;
  char ttl[16];
  ttl_text(c, ttl, sizeof ttl);
  const char *args[] = {c->o.node, c->incarnation, ttl};
  c->renewing = eval(c, lua_renew, on_renewed, NULL, 3, args);
}

static void on_reaped(redisAsyncContext *ac, void *reply, void *privdata) {
  cluster *c = ac->data;
  redisReply *r = reply;
  (void)privdata;
  if (!replied(c, ac, 0)) return;
  c->reaping = false;
  if (!r || r->type != REDIS_REPLY_ARRAY) return;
  for (size_t i = 0; i + 1 < r->elements; i += 2)
    if (r->element[i]->type == REDIS_REPLY_STRING &&
        r->element[i + 1]->type == REDIS_REPLY_INTEGER)
      chat_log("-", "cluster: node %s is gone: %lld user%s left",
               r->element[i]->str, r->element[i + 1]->integer,
               r->element[i + 1]->integer == 1 ? "" : "s");
}

static void on_reap_timer(cnet_timer *t, void *arg) {
  cluster *c = arg;
  (void)t;
  if (c->state != L_UP || c->reaping) return;
  c->reaping = eval(c, lua_reap, on_reaped, NULL, 0, NULL);
}

static void on_select(redisAsyncContext *ac, void *reply, void *privdata) {
  cluster *c = ac->data;
  redisReply *r = reply;
  (void)privdata;
  if (!replied(c, ac, 0)) return;
  if (!r || r->type == REDIS_REPLY_ERROR)
    link_fail(c, "SELECT %d: %s", c->o.db, failure(ac, r));
}

/* A connection that failed is freed by hiredis once this returns, without
 * a disconnect callback (it never connected). */
static void on_connected(const redisAsyncContext *ac, int status) {
  cluster *c = ac->data;
  if (status == REDIS_OK || (ac != c->cmd && ac != c->sub)) return;
  if (ac == c->cmd) c->cmd = NULL; else c->sub = NULL;
  link_fail(c, "%s", ac->errstr);
}

static void on_disconnected(const redisAsyncContext *ac, int status) {
  cluster *c = ac->data;
  (void)status;
  if (ac != c->cmd && ac != c->sub) return;
  /* hiredis frees it once this returns. */
  if (ac == c->cmd) c->cmd = NULL; else c->sub = NULL;
  link_fail(c, "%s", ac->err ? ac->errstr : "Redis closed the connection");
}

static redisAsyncContext *connect_one(cluster *c) {
  redisAsyncContext *ac = redisAsyncConnect(c->o.host, c->o.port);
  if (!ac) return NULL;
  if (ac->err) {
    snprintf(c->reason, sizeof c->reason, "%s", ac->errstr);
    redisAsyncFree(ac);
    return NULL;
  }
  ac->data = c;
  if (cnet_redis_attach(c->loop, ac) != 0) {
    redisAsyncFree(ac);
    return NULL;
  }
  cnet_redis_set_timeout(ac, c->timeout_ms);
  redisAsyncSetConnectCallback(ac, on_connected);
  redisAsyncSetDisconnectCallback(ac, on_disconnected);
  return ac;
}

static void on_watchdog(cnet_timer *t, void *arg) {
  cluster *c = arg;
  (void)t;
  link_fail(c, "no answer from Redis within %u ms", 3 * c->timeout_ms);
}

static void attempt(cluster *c) {
  c->state = L_LINKING;
  c->subscribed = 0;
  c->pending = c->pending_bytes = 0;
  c->renewing = c->reaping = false;
  c->reason[0] = '\0';
  c->cmd = connect_one(c);
  c->sub = c->cmd ? connect_one(c) : NULL;
  if (!c->cmd || !c->sub) {
    link_fail(c, "%s", c->reason[0] ? c->reason : "out of memory");
    return;
  }
  cnet_timer_start(&c->watchdog, on_watchdog, c, 3 * c->timeout_ms, 0);
  char db[16];
  snprintf(db, sizeof db, "%d", c->o.db);
  const char *argv[] = {"SELECT", db};
  size_t lens[] = {6, strlen(db)};
  if (!send_argv(c, on_select, NULL, 2, argv, lens)) return;
  const char *sv[] = {"SUBSCRIBE", c->room_channel, c->own_channel};
  size_t sl[] = {9, strlen(sv[1]), strlen(sv[2])};
  if (redisAsyncCommandArgv(c->sub, on_message, NULL, 3, sv, sl) != REDIS_OK)
    link_fail(c, "out of memory for SUBSCRIBE");
}

static void on_retry(cnet_timer *t, void *arg) {
  (void)t;
  attempt(arg);
}

/* Both connections go (their awaited replies fail, which the callbacks
 * know by their context no longer being c's). */
static void drop_connections(cluster *c) {
  redisAsyncContext *cmd = c->cmd, *sub = c->sub;
  c->cmd = c->sub = NULL;
  c->pending = c->pending_bytes = 0;
  check_drained(c);
  if (cmd) redisAsyncFree(cmd);
  if (sub) redisAsyncFree(sub);
}

static void on_teardown(cnet_timer *t, void *arg) {
  cluster *c = arg;
  (void)t;
  bool was_up = c->state == L_FAILING && c->failures == 0;
  cnet_timer_stop(&c->watchdog);
  cnet_timer_stop(&c->renew);
  cnet_timer_stop(&c->reap);
  drop_connections(c);
  roster_clear(&c->others);
  c->state = L_DOWN;
  c->dirty = true;
  c->failures++;
  unsigned b = c->backoff_ms ? c->backoff_ms * 2 : BACKOFF_MIN_MS;
  c->backoff_ms = b > BACKOFF_MAX_MS ? BACKOFF_MAX_MS : b;
  uint32_t r = 0;
  if (getrandom(&r, sizeof r, GRND_NONBLOCK) != (ssize_t)sizeof r) r = 0;
  /* +-25 %: instances that lost Redis together do not all come back in
   * one instant. */
  unsigned wait = c->backoff_ms * 3 / 4 + r % (c->backoff_ms / 2 + 1);
  if (was_up || c->failures == 1 || c->failures % 16 == 0)
    chat_log("-", "cluster: link lost: %s; retrying in %u ms%s", c->reason,
             wait, c->failures > 1 ? " (still down)" : "");
  cnet_timer_start(&c->retry, on_retry, c, wait, 0);
  if (!c->told_lost) {
    c->told_lost = true;
    c->ops.link(c->ctx, false);
  }
  c->ops.settle(c->ctx);
}

static void link_fail(cluster *c, const char *fmt, ...) {
  if (c->state == L_DOWN || c->state == L_FAILING || c->state == L_CLOSED)
    return;
  if (c->state == L_UP) c->failures = 0;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(c->reason, sizeof c->reason, fmt, ap);
  va_end(ap);
  c->state = L_FAILING;
  /* Not from inside hiredis's callback: at the next turn. */
  cnet_timer_start(&c->retry, on_teardown, c, 0, 0);
}

/* ---- The room's calls ------------------------------------------------- */

static void random_hex(char *out, size_t bytes) {
  unsigned char r[16] = {0};
  if (bytes > sizeof r) bytes = sizeof r;
  if (getrandom(r, bytes, 0) != (ssize_t)bytes) {
    /* No entropy yet: the time and the address of the cluster still
     * make a clash between two runs unlikely. */
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    uint64_t t = (uint64_t)ts.tv_nsec ^ (uint64_t)ts.tv_sec << 30 ^
                 (uint64_t)getpid() << 20;
    memcpy(r, &t, sizeof t < bytes ? sizeof t : bytes);
  }
  for (size_t i = 0; i < bytes; i++) sprintf(out + 2 * i, "%02x", r[i]);
}

cluster *cluster_new(cnet_loop *loop, const cluster_options *o,
                     const cluster_ops *ops, void *ctx) {
  cluster *c = calloc(1, sizeof *c);
  if (!c) return NULL;
  c->loop = loop;
  c->o = *o;
  c->ops = *ops;
  c->ctx = ctx;
  snprintf(c->prefix, sizeof c->prefix, "cnet-chat:%d:", o->db);
  snprintf(c->room_channel, sizeof c->room_channel, "%sroom", c->prefix);
  snprintf(c->own_channel, sizeof c->own_channel, "%sto:%s", c->prefix,
           o->node);
  random_hex(c->incarnation, 16);
  /* A node is gone a lease after its last renewal: its claims last the
   * lease less the time the others take to notice. */
  c->reap_ms = o->lease_ms / 4 < 1000 ? o->lease_ms / 4 : 1000;
  c->ttl_ms = o->lease_ms - c->reap_ms;
  c->renew_ms = c->ttl_ms / 3;
  c->timeout_ms = c->ttl_ms / 2;
  if (c->timeout_ms < 1000) c->timeout_ms = 1000;
  if (c->timeout_ms > 5000) c->timeout_ms = 5000;
  cnet_timer_init(loop, &c->retry);
  cnet_timer_init(loop, &c->watchdog);
  cnet_timer_init(loop, &c->renew);
  cnet_timer_init(loop, &c->reap);
  cnet_timer_init(loop, &c->drain);
  cnet_timer_init(loop, &c->stall);
  /* The servers keep the process alive; the link's timers need not. */
  cnet_timer_unref(&c->retry);
  cnet_timer_unref(&c->watchdog);
  cnet_timer_unref(&c->renew);
  cnet_timer_unref(&c->reap);
  cnet_timer_unref(&c->drain);
  cnet_timer_unref(&c->stall);
  c->dirty = true;
  attempt(c);
  return c;
}

bool cluster_ready(const cluster *c) { return c->state == L_UP; }

bool cluster_busy(const cluster *c) { return c->busy; }

bool cluster_lost(const cluster *c) { return c->told_lost; }

static void append_member(cluster *c, cluster_member *m) {
  if (m->in) return;
  m->in = true;
  m->prev = c->tail;
  m->next = NULL;
  if (c->tail) c->tail->next = m; else c->head = m;
  c->tail = m;
}

static void remove_member(cluster *c, cluster_member *m) {
  if (!m->in) return;
  m->in = false;
  if (m->prev) m->prev->next = m->next; else c->head = m->next;
  if (m->next) m->next->prev = m->prev; else c->tail = m->prev;
  m->prev = m->next = NULL;
}

static void leave_key(cluster *c, const char *key, const char *how) {
  const char *args[] = {c->o.node, key, how};
  eval(c, lua_leave, NULL, NULL, 3, args);
}

static void unlink_claim(cluster *c, pending_claim *cl) {
  if (cl->prev) cl->prev->next = cl->next; else c->claims = cl->next;
  if (cl->next) cl->next->prev = cl->prev;
}

static void on_claimed(redisAsyncContext *ac, void *reply, void *privdata) {
  pending_claim *cl = privdata;
  cluster *c = cl->c;
  redisReply *r = reply;
  bool current = replied(c, ac, 0);
  unlink_claim(c, cl);
  long long v = r && r->type == REDIS_REPLY_INTEGER ? r->integer : -2;
  if (current && v == -1)
    link_fail(c, "this node's claim ran out before it was renewed");
  else if (current && v == -2 && c->state == L_UP)
    link_fail(c, "a claim failed: %s",
              failure(ac, r));
  cluster_member *m = cl->m;
  if (!m) {
    /* It left meanwhile: what it got goes back. */
    if (current && v > 0 && c->state == L_UP) leave_key(c, cl->key, "left");
    free(cl);
    return;
  }
  m->claim = NULL;
  int result = v > 0 ? CLUSTER_OK : v == 0 ? CLUSTER_TAKEN : CLUSTER_DOWN;
  if (result == CLUSTER_OK) {
    if (!cl->rename) m->seq = (uint64_t)v;
    append_member(c, m);
  }
  free(cl);
  c->ops.claimed(c->ctx, m, result);
  c->ops.settle(c->ctx);
}

static void send_claim(cluster *c, cluster_member *m, bool rename,
                       const char *nick, const char *key) {
  pending_claim *cl = calloc(1, sizeof *cl);
  if (!cl) {
    c->ops.claimed(c->ctx, m, CLUSTER_DOWN);
    return;
  }
  cl->c = c;
  cl->m = m;
  cl->rename = rename;
  snprintf(cl->key, sizeof cl->key, "%s", key);
  snprintf(cl->nick, sizeof cl->nick, "%s", nick);
  m->claim = cl;
  cl->next = c->claims;
  if (c->claims) c->claims->prev = cl;
  c->claims = cl;
  char ttl[16];
  ttl_text(c, ttl, sizeof ttl);
  bool sent;
  if (rename) {
    const char *args[] = {c->o.node, c->incarnation, ttl, m->key, key, nick};
    sent = eval(c, lua_rename, on_claimed, cl, 6, args);
  } else {
    const char *args[] = {c->o.node, c->incarnation, ttl, key, nick};
    sent = eval(c, lua_claim, on_claimed, cl, 5, args);
  }
  if (!sent) {
    unlink_claim(c, cl);
    m->claim = NULL;
    free(cl);
    c->ops.claimed(c->ctx, m, CLUSTER_DOWN);
  }
}

void cluster_claim(cluster *c, cluster_member *m) {
  send_claim(c, m, false, m->nick, m->key);
}

void cluster_rename(cluster *c, cluster_member *m, const char *nick,
                    const char *key) {
  send_claim(c, m, true, nick, key);
}

void cluster_add(cluster *c, cluster_member *m) {
  append_member(c, m);
  m->seq = UINT64_MAX; /* after everyone, until linked */
  c->dirty = true;
}

void cluster_changed(cluster *c, cluster_member *m) {
  (void)m;
  c->dirty = true;
}

void cluster_leave(cluster *c, cluster_member *m, const char *how) {
  if (m->claim) {
    m->claim->m = NULL;
    m->claim = NULL;
  }
  if (!m->in) return;
  remove_member(c, m);
  if (c->state == L_UP)
    leave_key(c, m->key, how);
  else
    c->dirty = true;
}

void cluster_say(cluster *c, const char *line, size_t len) {
  if (c->state != L_UP) return;
  char head[4 + CLUSTER_NODE_MAX];
  int n = snprintf(head, sizeof head, "S\n%s\n", c->o.node);
  char *msg = malloc((size_t)n + len);
  if (!msg) return;
  memcpy(msg, head, (size_t)n);
  memcpy(msg + n, line, len);
  const char *argv[] = {"PUBLISH", c->room_channel, msg};
  size_t lens[] = {7, strlen(c->room_channel), (size_t)n + len};
  send_argv(c, NULL, NULL, 3, argv, lens);
  free(msg);
}

bool cluster_tell(cluster *c, const char *key, const char *from,
                  const char *text, size_t len) {
  other *o = roster_find(&c->others, key);
  if (!o || c->state != L_UP) return false;
  char channel[sizeof c->own_channel];
  snprintf(channel, sizeof channel, "%sto:%s", c->prefix, o->node);
  size_t head = 2 + strlen(c->o.node) + 1 + strlen(key) + 1 + strlen(from) + 1;
  char *msg = malloc(head + len + 1);
  if (!msg) return false;
  snprintf(msg, head + 1, "P\n%s\n%s\n%s\n", c->o.node, key, from);
  memcpy(msg + head, text, len);
  const char *argv[] = {"PUBLISH", channel, msg};
  size_t lens[] = {7, strlen(channel), head + len};
  bool sent = send_argv(c, NULL, NULL, 3, argv, lens);
  free(msg);
  return sent;
}

void cluster_log_status(const cluster *c) {
  static const char *const states[] = {
      [L_DOWN] = "down", [L_FAILING] = "down", [L_LINKING] = "linking",
      [L_SYNCING] = "linking", [L_UP] = "up", [L_CLOSED] = "closed"};
  char why[sizeof c->reason + 32] = "";
  if (c->state != L_UP && c->reason[0])
    snprintf(why, sizeof why, " (%s)", c->reason);
  size_t n = c->others.count;
  chat_log("-", "cluster: node %s, link %s%s; %zu user%s on other servers",
           c->o.node, states[c->state], why, n, n == 1 ? "" : "s");
}

static void on_bye(redisAsyncContext *ac, void *reply, void *privdata) {
  (void)reply, (void)privdata;
  /* Said: the connection goes once nothing else is awaited. */
  redisAsyncDisconnect(ac);
}

void cluster_close(cluster *c) {
  if (c->state == L_CLOSED) return;
  bool up = c->state == L_UP;
  cnet_timer_stop(&c->retry);
  cnet_timer_stop(&c->watchdog);
  cnet_timer_stop(&c->renew);
  cnet_timer_stop(&c->reap);
  cnet_timer_stop(&c->drain);
  cnet_timer_stop(&c->stall);
  for (pending_claim *cl = c->claims; cl; cl = cl->next)
    if (cl->m) cl->m->claim = NULL, cl->m = NULL;
  while (c->head) remove_member(c, c->head);
  roster_clear(&c->others);
  redisAsyncContext *cmd = c->cmd;
  if (up) {
    const char *args[] = {c->o.node, c->incarnation};
    eval(c, lua_bye, on_bye, NULL, 2, args);
  }
  c->state = L_CLOSED;
  /* The subscriber goes now; the commands' connection after the bye
   * (its timeout bounds the wait). */
  redisAsyncContext *sub = c->sub;
  c->sub = NULL;
  if (sub) redisAsyncFree(sub);
  if (!up && cmd) {
    c->cmd = NULL;
    redisAsyncFree(cmd);
  }
}

void cluster_free(cluster *c) {
  if (!c) return;
  drop_connections(c);
  roster_free(&c->others);
  free(c->event);
  free(c->cleaned);
  free(c);
}
