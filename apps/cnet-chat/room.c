/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* cnet-chat's room: every connection from greeting to close, nicknames,
 * the commands, and delivery that neither a slow client nor a hostile one
 * can hold up or blow up.
 *
 * Memory has a bound per connection. Output: everything waiting to be sent
 * to a client (its buffer here plus its socket's queue; replies to its own
 * commands included) counts against --max-queue; a line that would pass it
 * is not queued, the client is marked and, once the current callback has
 * finished its sends, destroyed and announced as dropped (deferred so that
 * no send ever changes the list of users while a broadcast walks it).
 * Input: what a client sent and the room has not acted on yet is at most
 * --max-input bytes; beyond that it is dropped as flooding.
 *
 * Each client is paced: its lines are acted on at most at --rate-lines and
 * --rate-bytes after a burst (token buckets); the rest waits. And its own
 * commands are read only while little waits to be sent to it: over the
 * socket's high-water mark its socket is paused until 'drain', so that a
 * client asking for a long list many times in one packet gets backpressure
 * instead of a server that grows. A talker thus pays for its own flood; a
 * reader is charged only for the lines the talker's rate lets through. */
#include "room.h"

#include <arpa/inet.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cluster.h"
#include "log.h"
#include "telnet.h"

/* After quit, a client that does not take its goodbye is cut after this
 * long without progress; at shutdown, every client after this long. */
#define GOODBYE_TIMEOUT_MS 10000
#define SHUTDOWN_GRACE_MS 2000
/* The most a client's own commands may leave waiting for it before its
 * input is paused (the high-water mark of its socket), unless --max-queue
 * is small, when it is half of that. */
#define OWN_OUTPUT_MARK (64 * 1024)
/* A client's output buffer up to this size is kept between callbacks; a
 * larger one is freed once written. */
#define OUT_KEEP 4096
/* A client told to slow down is not told again sooner than this. */
#define WARN_INTERVAL_MS 60000

typedef enum user_state {
  U_NAMING, /* greeted, no nickname yet                          */
  U_JOINED, /* in the room: counted online, receives lines       */
  U_GONE    /* left, dropped or refused: waiting for 'close'     */
} user_state;

/* A growable text buffer. */
typedef struct text {
  char *p;
  size_t len, cap;
} text;

typedef struct user {
  struct user *prev, *next; /* room->users; joined users in join order  */
  struct user *next_drop;   /* room->drops                              */
  struct user *next_dirty;  /* room->dirty                              */
  struct room *room;
  cnet_socket *socket;
  user_state state;
  bool dropped;             /* over its queue cap; on room->drops       */
  bool closing;             /* end or destroy already asked             */
  bool dirty;               /* on room->dirty: out has bytes to write   */
  bool counted;             /* in room->connections                     */
  bool blocked;             /* its output is over the mark: paused      */
  bool throttled;           /* over its rate: waits for the throttle    */
  bool peer_ended;          /* it ended its side: finish after its input */
  bool waiting;             /* for the cluster's answer to a claim      */
  bool held;                /* paused while Redis catches up            */
  bool warned;              /* told to slow down (at warned_at)         */
  uint64_t warned_at;
  text out;                 /* lines for it, written at the callback's end */
  text in;                  /* what it sent that is not acted on yet     */
  size_t in_off;            /* in.p[in_off..in.len) waits                */
  double line_tokens, byte_tokens;
  uint64_t refilled_at;     /* when the buckets were last filled (ms)   */
  cnet_timer deadline;      /* login, then idle                         */
  cnet_timer throttle;      /* the end of a wait for its rate           */
  int error;                /* the socket's 'error', for the log        */
  unsigned char ip[16];     /* its address, for --max-per-ip            */
  size_t ip_len;            /* 4 (IPv4), 8 (an IPv6 /64) or 0 (unknown) */
  char peer[CNET_ADDRESS_MAX + 16];
  char nick[NICK_MAX_BYTES + 1];
  char key[NICK_KEY_MAX];   /* what nicknames are compared by           */
  cluster_member cm;        /* its nick and key, as the cluster knows it */
  struct rename *rename;    /* a new nickname the cluster is asked for  */
  telnet tn;
} user;

/* The nickname a user asked for while the cluster decides. */
typedef struct rename {
  char nick[NICK_MAX_BYTES + 1];
  char key[NICK_KEY_MAX];
} rename_t;

struct room {
  cnet_loop *loop;
  room_options opts;
  size_t mark;   /* room_high_water_mark() */
  user *head, *tail;
  user *drops;
  user *dirty;   /* users with output to write: written by settle() */
  size_t connections;
  size_t online;
  bool settling;
  bool shutting_down;
  cluster *cluster; /* the other instances (--redis), or NULL      */
  cnet_timer grace;
  text out;      /* one formatted line, sent to as many as it is for */
  char *clean;   /* a line as cleaned for others' screens            */
  /* Totals since the start, for the status line (room_log_status). */
  struct {
    uint64_t lines, bytes; /* said by users, public or private       */
    uint64_t not_reading, flooding, idle, no_nickname, made_way; /* drops */
    uint64_t refused;
  } count;
};

/* ---- Text ------------------------------------------------------------- */

static bool text_reserve(text *t, size_t more) {
  if (t->len + more + 1 <= t->cap) return true;
  size_t cap = t->cap ? t->cap : 256;
  while (cap < t->len + more + 1) cap *= 2;
  char *p = realloc(t->p, cap);
  if (!p) return false;
  t->p = p;
  t->cap = cap;
  return true;
}

static void text_add(text *t, const void *data, size_t len) {
  if (!text_reserve(t, len)) return;
  memcpy(t->p + t->len, data, len);
  t->len += len;
}

static void text_free(text *t) {
  free(t->p);
  t->p = NULL;
  t->len = t->cap = 0;
}

static void text_vappend(text *t, const char *fmt, va_list ap) {
  va_list ap2;
  va_copy(ap2, ap);
  int n = vsnprintf(NULL, 0, fmt, ap2);
  va_end(ap2);
  if (n < 0 || !text_reserve(t, (size_t)n)) return;
  vsnprintf(t->p + t->len, t->cap - t->len, fmt, ap);
  t->len += (size_t)n;
}

static void text_append(text *t, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void text_append(text *t, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  text_vappend(t, fmt, ap);
  va_end(ap);
}

/* ---- Nicknames -------------------------------------------------------- */

static char ascii_lower(char c) {
  return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* A command word, ignoring the case of ASCII letters. */
static bool same_word(const char *a, size_t alen, const char *b) {
  size_t blen = strlen(b);
  if (alen != blen) return false;
  for (size_t i = 0; i < alen; i++)
    if (ascii_lower(a[i]) != ascii_lower(b[i])) return false;
  return true;
}

/* The joined user whose nickname has this key: the same name, or one that
 * looks the same. */
static user *find_key(room *r, const char *key) {
  for (user *u = r->head; u; u = u->next)
    if (u->state == U_JOINED && strcmp(u->key, key) == 0) return u;
  return NULL;
}

/* Whether a nickname with this key is someone's, here or elsewhere. */
static bool taken(room *r, const char *key) {
  cluster_user other;
  return find_key(r, key) ||
         (r->cluster && cluster_find(r->cluster, key, &other));
}

static user *find_user(room *r, const char *nick, size_t len) {
  char key[NICK_KEY_MAX];
  if (nick_normalize(nick, len, NULL, key) != NULL) return NULL;
  return find_key(r, key);
}

static bool is_blank(char c) { return c == ' ' || c == '\t'; }

static void trim(const char **s, size_t *len) {
  while (*len > 0 && is_blank((*s)[0])) (*s)++, (*len)--;
  while (*len > 0 && is_blank((*s)[*len - 1])) (*len)--;
}

/* ---- Sending ---------------------------------------------------------- */

static void mark_dropped(user *u) {
  if (u->dropped || u->state == U_GONE) return;
  u->dropped = true;
  u->next_drop = u->room->drops;
  u->room->drops = u;
}

/* Hands what waits in u->out to the socket: the kernel takes what it can
 * and cnet keeps the rest (counted by its writable length). */
static void flush(user *u) {
  if (u->out.len > 0 && !u->dropped && !cnet_socket_destroyed(u->socket))
    cnet_socket_write(u->socket, u->out.p, u->out.len, NULL, NULL);
  u->out.len = 0;
  if (u->out.cap > OUT_KEEP) text_free(&u->out);
}

static void flush_all(room *r) {
  while (r->dirty) {
    user *u = r->dirty;
    r->dirty = u->next_dirty;
    u->dirty = false;
    flush(u);
  }
}

static size_t waiting_output(const user *u) {
  return u->out.len + cnet_socket_writable_length(u->socket);
}

/* Queues bytes for a client unless that would pass its cap. A client with
 * nothing waiting always gets the line: the cap is about clients that stop
 * reading, not about long lines.
 *
 * The lines for one client within one callback (a talker's burst, a burst
 * of joins) gather in its buffer and leave in one write when the callback
 * ends (settle): one system call per client instead of one per line, which
 * is most of what a fan-out costs. Everything in that buffer counts; when
 * it would pass the cap it is written first, so that a client that keeps
 * up takes a burst of any size. */
static void queue_bytes(user *u, const void *data, size_t len) {
  if (u->dropped || u->closing) return;
  size_t max = u->room->opts.max_queue;
  size_t waiting = waiting_output(u);
  if (waiting > 0 && waiting + len > max) {
    flush(u);
    waiting = cnet_socket_writable_length(u->socket);
    if (waiting > 0 && waiting + len > max && cnet_socket_coalesce_writes(u->socket)) {
      /* What waits may be only this turn's writes, coalesced and not yet
       * offered to the kernel: offer them now (turning coalescing off
       * sends them), so that only what the client did not take counts. */
      cnet_socket_set_coalesce_writes(u->socket, false);
      cnet_socket_set_coalesce_writes(u->socket, true);
      waiting = cnet_socket_writable_length(u->socket);
    }
    if (waiting > 0 && waiting + len > max) {
      mark_dropped(u);
      return;
    }
  }
  text_add(&u->out, data, len);
  if (!u->dirty) {
    u->dirty = true;
    u->next_dirty = u->room->dirty;
    u->room->dirty = u;
  }
}

/* Every line the server sends is its own text and cleaned text (valid
 * UTF-8, which has no byte 0xFF): nothing to escape for telnet. */
static void send_line(user *u, const char *line, size_t len) {
  queue_bytes(u, line, len);
}

/* Formats a line into the room's buffer (CR LF added). */
static void format_line(room *r, const char *fmt, va_list ap) {
  r->out.len = 0;
  text_vappend(&r->out, fmt, ap);
  text_append(&r->out, "\r\n");
}

static void tell(user *u, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void tell(user *u, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  format_line(u->room, fmt, ap);
  va_end(ap);
  send_line(u, u->room->out.p, u->room->out.len);
}

static void transcript(room *r) {
  if (r->opts.transcript && r->out.len >= 2)
    r->opts.transcript(r->opts.transcript_ctx, r->out.p, r->out.len - 2);
}

/* A line for everyone in the room but except (NULL: everyone). */
static void announce(room *r, user *except, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void announce(room *r, user *except, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  format_line(r, fmt, ap);
  va_end(ap);
  transcript(r);
  for (user *u = r->head; u; u = u->next)
    if (u != except && u->state == U_JOINED) send_line(u, r->out.p, r->out.len);
}

static const char *plural(size_t n) { return n == 1 ? "user" : "users"; }

/* Users online here and, in a cluster, on the other instances. */
static size_t online(const room *r) {
  return r->online + (r->cluster ? cluster_others(r->cluster) : 0);
}

/* ---- Leaving ---------------------------------------------------------- */

/* Takes u out of the room; the others are told how (left, dropped). */
static void leave(user *u, const char *how) {
  room *r = u->room;
  user_state was = u->state;
  u->state = U_GONE;
  cnet_timer_stop(&u->deadline);
  cnet_timer_stop(&u->throttle);
  if (r->cluster) cluster_leave(r->cluster, &u->cm, how);
  u->waiting = false;
  if (was != U_JOINED) return;
  r->online--;
  announce(r, u, "* %s %s (%zu %s online)", u->nick, how, online(r),
           plural(online(r)));
}

/* Processes the drops marked while sending: each dropped client is
 * destroyed and the others told, which may drop more. Runs at the end of
 * every callback that sends, and writes what the callback queued. */
static void settle(room *r) {
  if (r->settling) return;
  r->settling = true;
  flush_all(r);
  while (r->drops) {
    user *u = r->drops;
    r->drops = u->next_drop;
    r->count.not_reading++;
    chat_log(u->peer, "dropped%s%s: more than %zu bytes queued",
              u->state == U_JOINED ? " " : "",
              u->state == U_JOINED ? u->nick : "", r->opts.max_queue);
    leave(u, "was dropped: not reading");
    u->closing = true;
    cnet_socket_destroy(u->socket, NULL);
  }
  flush_all(r);
  r->settling = false;
}

static void on_goodbye_timeout(const cnet_event *ev, void *arg) {
  (void)arg;
  cnet_socket_destroy(ev->target, NULL);
}

/* Ends the connection once what is queued for it is sent. */
static void close_gently(user *u) {
  if (u->closing) return;
  flush(u);
  u->closing = true;
  cnet_socket_set_timeout(u->socket, GOODBYE_TIMEOUT_MS, on_goodbye_timeout,
                          NULL);
  cnet_socket_destroy_soon(u->socket);
}

static void quit(user *u) {
  if (u->state == U_JOINED) {
    tell(u, "* goodbye, %s!", u->nick);
    chat_log(u->peer, "left: %s (quit)", u->nick);
  } else {
    tell(u, "* goodbye!");
  }
  leave(u, "left");
  close_gently(u);
}

/* Drops u for something it did (flooding, idling, no nickname): u gets the
 * line `told`, the others "was dropped: <reason>", the log `why`. */
static void expel(user *u, const char *reason, const char *why,
                  const char *told) {
  chat_log(u->peer, "dropped%s%s: %s", u->state == U_JOINED ? " " : "",
            u->state == U_JOINED ? u->nick : "", why);
  tell(u, "%s", told);
  char how[64];
  snprintf(how, sizeof how, "was dropped: %s", reason);
  leave(u, how);
  close_gently(u);
  /* Nothing more it sends matters: leave it in the kernel. */
  cnet_socket_pause(u->socket);
  text_free(&u->in);
  u->in_off = 0;
}

/* ---- Commands --------------------------------------------------------- */

static void prompt(user *u) { tell(u, "Please enter your nickname:"); }

static void on_idle(cnet_timer *t, void *arg);

static const char LINK_LOST[] =
    "* the link to the other servers is lost; until it is back only users "
    "on this server hear you";

/* u, named, joins the room. */
static void join(user *u) {
  room *r = u->room;
  u->state = U_JOINED;
  r->online++;
  cnet_timer_stop(&u->deadline);
  if (r->opts.idle_timeout_ms)
    cnet_timer_start(&u->deadline, on_idle, u, r->opts.idle_timeout_ms, 0);
  /* Joined users stay in join order at the tail: 'l' lists them so. */
  if (u != r->tail) {
    if (u->prev) u->prev->next = u->next; else r->head = u->next;
    u->next->prev = u->prev;
    u->prev = r->tail;
    u->next = NULL;
    r->tail->next = u;
    r->tail = u;
  }
  chat_log(u->peer, "joined as %s (%zu online)", u->nick, online(r));
  tell(u, "Hello %s! %zu %s online. Type help for the commands.", u->nick,
       online(r), plural(online(r)));
  if (r->cluster && cluster_lost(r->cluster)) tell(u, "%s", LINK_LOST);
  announce(r, u, "* %s joined (%zu %s online)", u->nick, online(r),
           plural(online(r)));
}

static void choose_nick(user *u, const char *line, size_t len) {
  room *r = u->room;
  trim(&line, &len);
  if (same_word(line, len, "quit") || same_word(line, len, "byebye")) {
    quit(u);
    return;
  }
  char nick[NICK_MAX_BYTES + 1], key[NICK_KEY_MAX];
  const char *why = nick_normalize(line, len, nick, key);
  if (why) {
    tell(u, "error: %s", why);
    prompt(u);
    return;
  }
  if (taken(r, key)) {
    tell(u, "error: the nickname %s is taken", nick);
    prompt(u);
    return;
  }
  memcpy(u->nick, nick, sizeof nick);
  memcpy(u->key, key, sizeof key);
  if (r->cluster && cluster_ready(r->cluster)) {
    /* The other instances decide: u's input waits for the answer. */
    u->waiting = true;
    cluster_claim(r->cluster, &u->cm);
    return;
  }
  if (r->cluster) cluster_add(r->cluster, &u->cm);
  join(u);
}

static void say(user *u, const char *msg, size_t len) {
  room *r = u->room;
  r->count.lines++;
  r->count.bytes += len;
  announce(r, u, "%s: %.*s", u->nick, (int)len, msg);
  if (r->cluster) cluster_say(r->cluster, r->out.p, r->out.len - 2);
}

static void help(user *u) {
  static const char *const lines[] = {
      "* commands:",
      "*   text          say text to everyone else",
      "*   b:text        the same (broadcast)",
      "*   c:nick:text   a private message to nick",
      "*   n:newnick     change your nickname",
      "*   l             list the users online",
      "*   help          this help",
      "*   quit, byebye  leave",
  };
  for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++)
    tell(u, "%s", lines[i]);
}

/* One name in the list of `l`: its place in the join order, then where
 * it was found (to keep the order of equals). */
typedef struct listed {
  const char *nick;
  uint64_t seq;
  size_t at;
} listed;

static int by_join(const void *a, const void *b) {
  const listed *x = a, *y = b;
  if (x->seq != y->seq) return x->seq < y->seq ? -1 : 1;
  return x->at < y->at ? -1 : x->at > y->at;
}

static void list_other(const cluster_user *cu, void *arg) {
  listed **p = arg;
  **p = (listed){cu->nick, cu->seq, 0};
  (*p)++;
}

/* Everyone online, in join order: here, and in a cluster elsewhere too
 * (by the order the cluster gave their joins). */
static void list(user *u) {
  room *r = u->room;
  size_t n = online(r), k = 0;
  listed *all = malloc((n ? n : 1) * sizeof *all);
  if (!all) {
    tell(u, "error: out of memory");
    return;
  }
  for (user *v = r->head; v; v = v->next)
    if (v->state == U_JOINED && k < n) {
      all[k] = (listed){v->nick, r->cluster ? v->cm.seq : 0, k};
      k++;
    }
  if (r->cluster) {
    listed *p = all + k;
    cluster_each(r->cluster, list_other, &p);
    for (; k < (size_t)(p - all); k++) all[k].at = k;
  }
  qsort(all, k, sizeof *all, by_join);
  r->out.len = 0;
  text_append(&r->out, "* %zu %s online:", k, plural(k));
  for (size_t i = 0; i < k; i++)
    text_append(&r->out, "%s%s", i ? ", " : " ", all[i].nick);
  text_append(&r->out, "\r\n");
  free(all);
  send_line(u, r->out.p, r->out.len);
}

/* A private message for a user on another instance, if there is one. */
static void private_elsewhere(user *u, const char *nick, size_t nlen,
                              const char *msg, size_t mlen) {
  room *r = u->room;
  char key[NICK_KEY_MAX];
  cluster_user to;
  if (r->cluster && nick_normalize(nick, nlen, NULL, key) == NULL &&
      cluster_find(r->cluster, key, &to) &&
      cluster_tell(r->cluster, key, u->nick, msg, mlen)) {
    r->count.lines++;
    r->count.bytes += mlen;
    tell(u, "* private message sent to %s", to.nick);
  } else {
    tell(u, "error: no user called %.*s", (int)nlen, nick);
  }
}

static void private_message(user *u, const char *arg, size_t len) {
  const char *colon = memchr(arg, ':', len);
  const char *nick = arg;
  size_t nlen = colon ? (size_t)(colon - arg) : 0;
  const char *msg = colon ? colon + 1 : NULL;
  size_t mlen = colon ? len - nlen - 1 : 0;
  trim(&nick, &nlen);
  if (!colon || nlen == 0 || mlen == 0) {
    tell(u, "error: usage: c:nick:text");
    return;
  }
  user *to = find_user(u->room, nick, nlen);
  if (!to) {
    private_elsewhere(u, nick, nlen, msg, mlen);
  } else if (to == u) {
    tell(u, "error: that is you");
  } else {
    u->room->count.lines++;
    u->room->count.bytes += mlen;
    tell(to, "[private] %s: %.*s", u->nick, (int)mlen, msg);
    tell(u, "* private message sent to %s", to->nick);
  }
}

/* u is called nick (key) from now on: everyone here is told. */
static void renamed(user *u, const char *nick, const char *key) {
  char old[sizeof u->nick];
  memcpy(old, u->nick, sizeof old);
  snprintf(u->nick, sizeof u->nick, "%s", nick);
  snprintf(u->key, sizeof u->key, "%s", key);
  chat_log(u->peer, "renamed: %s is now %s", old, u->nick);
  announce(u->room, NULL, "* %s is now known as %s", old, u->nick);
}

static void rename_user(user *u, const char *arg, size_t len) {
  room *r = u->room;
  trim(&arg, &len);
  char nick[NICK_MAX_BYTES + 1], key[NICK_KEY_MAX];
  const char *why = nick_normalize(arg, len, nick, key);
  if (why) {
    tell(u, "error: %s", why);
    return;
  }
  if (strcmp(nick, u->nick) == 0) {
    tell(u, "error: you are already called %s", u->nick);
    return;
  }
  /* Its own key is no obstacle: only the case (or the look) changes. */
  user *other = find_key(r, key);
  cluster_user elsewhere;
  if ((other && other != u) ||
      (r->cluster && cluster_find(r->cluster, key, &elsewhere))) {
    tell(u, "error: the nickname %s is taken", nick);
    return;
  }
  if (r->cluster && cluster_ready(r->cluster)) {
    u->rename = malloc(sizeof *u->rename);
    if (!u->rename) {
      tell(u, "error: out of memory");
      return;
    }
    memcpy(u->rename->nick, nick, sizeof nick);
    memcpy(u->rename->key, key, sizeof key);
    u->waiting = true;
    cluster_rename(r->cluster, &u->cm, u->rename->nick, u->rename->key);
    return;
  }
  renamed(u, nick, key);
  if (r->cluster) cluster_changed(r->cluster, &u->cm);
}

static void command(user *u, const char *line, size_t len) {
  if (same_word(line, len, "quit") || same_word(line, len, "byebye")) {
    quit(u);
  } else if (same_word(line, len, "help")) {
    help(u);
  } else if (same_word(line, len, "l")) {
    list(u);
  } else if (len >= 2 && line[1] == ':' && line[0] && strchr("bBcCnN", line[0])) {
    const char *arg = line + 2;
    size_t alen = len - 2;
    switch (ascii_lower(line[0])) {
    case 'b':
      if (alen == 0)
        tell(u, "error: usage: b:text");
      else
        say(u, arg, alen);
      break;
    case 'c':
      private_message(u, arg, alen);
      break;
    case 'n':
      rename_user(u, arg, alen);
      break;
    }
  } else {
    say(u, line, len);
  }
}

/* ---- Pacing: rate, backpressure and timeouts --------------------------- */

static void refill(user *u) {
  const room_options *o = &u->room->opts;
  uint64_t now = cnet_loop_now(u->room->loop);
  double s = (double)(now - u->refilled_at) / 1000.0;
  u->refilled_at = now;
  if (o->rate_lines > 0)
    u->line_tokens = fmin(o->burst_lines, u->line_tokens + s * o->rate_lines);
  if (o->rate_bytes > 0)
    u->byte_tokens = fmin(o->burst_bytes, u->byte_tokens + s * o->rate_bytes);
}

/* Whether what users say waits for Redis to catch up (the lines already
 * sent to it are many): they are read again once it has. */
static bool cluster_busy_(const room *r) {
  return r->cluster && cluster_busy(r->cluster);
}

/* Whether u may go on: still here, not over its rate, and not so much
 * output waiting for it that its own commands should wait. */
static bool may_read(const user *u) {
  const room_options *o = &u->room->opts;
  return u->state != U_GONE && !u->dropped && !u->blocked && !u->throttled &&
         !u->waiting && !u->held && !cluster_busy_(u->room) &&
         (o->rate_lines <= 0 || u->line_tokens >= 1) &&
         (o->rate_bytes <= 0 || u->byte_tokens >= 1) &&
         u->out.len < u->room->mark &&
         !cnet_stream_writable_need_drain(u->socket);
}

static size_t waiting_input(const user *u) { return u->in.len - u->in_off; }

static void run(user *u);
static void after_input(user *u);

static void on_throttle_over(cnet_timer *t, void *arg) {
  user *u = arg;
  (void)t;
  u->throttled = false;
  run(u);
  after_input(u);
  settle(u->room);
}

/* Over its rate: u's input waits until its buckets have refilled enough
 * for the next line (or a useful piece of the `left` bytes waiting). The
 * first time in a while it is told why. */
static void throttle(user *u, size_t left) {
  room *r = u->room;
  const room_options *o = &r->opts;
  double wait = 0;
  if (o->rate_lines > 0 && u->line_tokens < 1)
    wait = (1 - u->line_tokens) / o->rate_lines;
  if (o->rate_bytes > 0) {
    double want = fmin(o->burst_bytes, TELNET_LINE_MAX);
    if (left > 0 && (double)left < want) want = (double)left;
    if (u->byte_tokens < want)
      wait = fmax(wait, (want - u->byte_tokens) / o->rate_bytes);
  }
  u->throttled = true;
  if (cnet_timer_start(&u->throttle, on_throttle_over, u,
                       (uint64_t)ceil(wait * 1000), 0) != 0) {
    cnet_socket_destroy(u->socket, NULL); /* out of memory */
    return;
  }
  uint64_t now = cnet_loop_now(r->loop);
  if (u->warned && now - u->warned_at < WARN_INTERVAL_MS) return;
  u->warned = true;
  u->warned_at = now;
  char rate[96];
  if (o->rate_lines > 0 && o->rate_bytes > 0)
    snprintf(rate, sizeof rate, "%g lines or %g bytes", o->rate_lines,
             o->rate_bytes);
  else if (o->rate_lines > 0)
    snprintf(rate, sizeof rate, "%g lines", o->rate_lines);
  else
    snprintf(rate, sizeof rate, "%g bytes", o->rate_bytes);
  tell(u, "* slow down: you are sending more than %s a second; the rest "
          "waits, and over %zu bytes waiting you are disconnected",
       rate, o->max_input);
}

/* u's own output is over the mark: read nothing more from it until its
 * socket drains. Its data stays in the kernel, and TCP tells it to wait. */
static void block(user *u) {
  if (u->blocked) return;
  u->blocked = true;
  cnet_socket_pause(u->socket);
}

/* Redis has many of the room's lines to take: u's input stays in the
 * kernel until it has (on_cluster_drained). */
static void hold(user *u) {
  u->held = true;
  cnet_socket_pause(u->socket);
}

/* Acts on the lines in data, as far as u's pace allows; returns how many
 * bytes were used. Each feed of the telnet parser ends after a line that
 * leaves u unable to go on (on_line says so). */
static size_t feed(user *u, const char *data, size_t len) {
  const room_options *o = &u->room->opts;
  size_t used = 0;
  while (used < len && u->state != U_GONE && !u->dropped && !u->blocked &&
         !u->throttled && !u->waiting && !u->held) {
    if (cluster_busy_(u->room)) {
      hold(u);
      break;
    }
    if (u->out.len >= u->room->mark) flush(u);
    if (cnet_stream_writable_need_drain(u->socket)) {
      block(u);
      break;
    }
    refill(u);
    if ((o->rate_lines > 0 && u->line_tokens < 1) ||
        (o->rate_bytes > 0 && u->byte_tokens < 1)) {
      throttle(u, len - used);
      break;
    }
    size_t n = len - used;
    if (o->rate_bytes > 0 && (double)n > u->byte_tokens)
      n = (size_t)u->byte_tokens;
    size_t k = telnet_feed(&u->tn, data + used, n);
    used += k;
    if (o->rate_bytes > 0) u->byte_tokens -= (double)k;
  }
  return used;
}

/* Acts on what waits from u. */
static void run(user *u) {
  size_t n = waiting_input(u);
  if (n == 0) return;
  size_t used = feed(u, u->in.p + u->in_off, n);
  u->in_off += used;
  if (u->state == U_GONE || u->dropped || u->in_off == u->in.len) {
    text_free(&u->in);
    u->in_off = 0;
  }
}

/* Keeps what u sent and the room could not act on yet: at most
 * --max-input bytes, else u is a flooder. */
static void keep(user *u, const char *data, size_t len) {
  size_t max = u->room->opts.max_input;
  if (waiting_input(u) + len > max) {
    char why[64];
    snprintf(why, sizeof why, "flooding, over %zu bytes waiting", max);
    u->room->count.flooding++;
    expel(u, "flooding", why, "error: you sent too much too fast; goodbye");
    return;
  }
  if (u->in_off > 0) { /* what was used goes before more is added */
    memmove(u->in.p, u->in.p + u->in_off, u->in.len - u->in_off);
    u->in.len -= u->in_off;
    u->in_off = 0;
  }
  text_add(&u->in, data, len);
}

/* Once all u sent is acted on and it has ended its side, its last line
 * without an end counts and the connection ends. */
static void after_input(user *u) {
  if (u->state == U_GONE || u->dropped || !u->peer_ended) return;
  if (waiting_input(u) > 0 || u->blocked || u->throttled || u->waiting ||
      u->held)
    return;
  telnet_finish(&u->tn);
  if (u->state != U_GONE && !u->dropped) close_gently(u);
}

static void on_drain(const cnet_event *ev, void *arg) {
  user *u = arg;
  (void)ev;
  if (!u->blocked) return;
  u->blocked = false;
  if (u->state == U_GONE) return;
  if (!u->held) cnet_socket_resume(u->socket);
  run(u);
  after_input(u);
  settle(u->room);
}

static void on_login_timeout(cnet_timer *t, void *arg) {
  user *u = arg;
  (void)t;
  if (u->state != U_NAMING) return;
  char why[64], told[96];
  snprintf(why, sizeof why, "no nickname within %u s",
           u->room->opts.login_timeout_ms / 1000);
  snprintf(told, sizeof told, "error: %s; goodbye", why);
  u->room->count.no_nickname++;
  expel(u, "no nickname", why, told);
  settle(u->room);
}

static void on_idle(cnet_timer *t, void *arg) {
  user *u = arg;
  (void)t;
  if (u->state != U_JOINED) return;
  char told[96];
  snprintf(told, sizeof told, "* you were idle for %u s; goodbye",
           u->room->opts.idle_timeout_ms / 1000);
  u->room->count.idle++;
  expel(u, "idle", "idle", told);
  settle(u->room);
}

/* ---- Telnet callbacks ------------------------------------------------- */

static bool on_line(void *ctx, const char *line, size_t len) {
  user *u = ctx;
  room *r = u->room;
  if (u->state == U_GONE || u->dropped) return false;
  if (r->opts.rate_lines > 0) u->line_tokens -= 1;
  if (u->state == U_JOINED && r->opts.idle_timeout_ms)
    cnet_timer_refresh(&u->deadline);
  /* From here on the line is what others may see: nothing in it can
   * drive a terminal. */
  len = text_clean(line, len, r->clean);
  line = r->clean;
  /* Trailing blanks mean nothing in a chat line and would make "l " or a
   * nickname typed with a space after it fail. */
  while (len > 0 && is_blank(line[len - 1])) len--;
  if (u->state == U_NAMING)
    choose_nick(u, line, len);
  else if (len > 0)
    command(u, line, len);
  return may_read(u);
}

static void on_overlong(void *ctx) {
  user *u = ctx;
  if (u->state == U_GONE) return;
  tell(u, "error: line too long (over %d bytes), ignored", TELNET_LINE_MAX);
  if (u->state == U_NAMING) prompt(u);
}

static void on_reply(void *ctx, const void *bytes, size_t len) {
  user *u = ctx;
  if (u->state != U_GONE) queue_bytes(u, bytes, len);
}

static const telnet_ops chat_telnet = {on_line, on_overlong, on_reply};

/* ---- Socket events ---------------------------------------------------- */

static void on_data(const cnet_event *ev, void *arg) {
  user *u = arg;
  if (u->state == U_GONE || u->dropped) return;
  if (waiting_input(u) > 0 || u->throttled || u->blocked || u->waiting ||
      u->held) {
    keep(u, ev->data, ev->len);
  } else {
    size_t used = feed(u, ev->data, ev->len);
    if (used < ev->len && u->state != U_GONE && !u->dropped)
      keep(u, (const char *)ev->data + used, ev->len - used);
  }
  after_input(u);
  settle(u->room);
}

static void on_end(const cnet_event *ev, void *arg) {
  user *u = arg;
  (void)ev;
  u->peer_ended = true;
  if (u->state == U_GONE) {
    close_gently(u); /* it quit or was refused: already closing */
    return;
  }
  after_input(u);
  settle(u->room);
}

static void on_error(const cnet_event *ev, void *arg) {
  user *u = arg;
  u->error = ev->error ? ev->error->code : 0;
}

static void on_close(const cnet_event *ev, void *arg) {
  user *u = arg;
  room *r = u->room;
  (void)ev;
  if (u->state == U_JOINED) {
    if (u->error)
      chat_log(u->peer, "left: %s (%s)", u->nick, cnet_err_name(u->error));
    else
      chat_log(u->peer, "left: %s", u->nick);
    leave(u, "left");
  }
  /* A claim still on its way is forgotten. */
  if (r->cluster) cluster_leave(r->cluster, &u->cm, "left");
  free(u->rename);
  cnet_timer_stop(&u->deadline);
  cnet_timer_stop(&u->throttle);
  if (u->dirty) {
    user **p = &r->dirty;
    while (*p != u) p = &(*p)->next_dirty;
    *p = u->next_dirty;
  }
  if (u->prev) u->prev->next = u->next; else r->head = u->next;
  if (u->next) u->next->prev = u->prev; else r->tail = u->prev;
  if (u->counted) r->connections--;
  text_free(&u->out);
  text_free(&u->in);
  free(u);
  if (r->shutting_down && r->connections == 0) cnet_timer_stop(&r->grace);
  settle(r);
}

static void on_refused_error(const cnet_event *ev, void *arg) {
  (void)ev, (void)arg; /* a refused client that resets: nothing to say */
}

static void peer_name(cnet_socket *so, char *buf, size_t size,
                      unsigned char *ip, size_t *ip_len) {
  cnet_address a;
  *ip_len = 0;
  if (cnet_socket_remote_address(so, &a) != 0) {
    snprintf(buf, size, "(unknown peer)");
    return;
  }
  if (a.family && strcmp(a.family, "IPv6") == 0)
    snprintf(buf, size, "[%s]:%d", a.address, a.port);
  else
    snprintf(buf, size, "%s:%d", a.address, a.port);
  /* The address as bytes: an IPv4 address whole, an IPv6 one by its /64,
   * as one host usually holds a whole /64. */
  char host[CNET_ADDRESS_MAX];
  snprintf(host, sizeof host, "%s", a.address);
  char *zone = strchr(host, '%');
  if (zone) *zone = '\0';
  struct in6_addr a6;
  if (inet_pton(AF_INET, host, ip) == 1) {
    *ip_len = 4;
  } else if (inet_pton(AF_INET6, host, &a6) == 1) {
    if (IN6_IS_ADDR_V4MAPPED(&a6)) {
      memcpy(ip, a6.s6_addr + 12, 4);
      *ip_len = 4;
    } else {
      memcpy(ip, a6.s6_addr, 8);
      *ip_len = 8;
    }
  }
}

/* Connections from this address that hold a seat (those already leaving
 * do not: they are gone as far as their owner can tell). */
static size_t connections_from(room *r, const unsigned char *ip,
                               size_t ip_len) {
  size_t n = 0;
  if (ip_len == 0) return 0;
  for (user *u = r->head; u; u = u->next)
    if (u->state != U_GONE && u->ip_len == ip_len &&
        memcmp(u->ip, ip, ip_len) == 0)
      n++;
  return n;
}

/* Tells a connection the room will not take it, and closes it. */
static void refuse(room *r, cnet_socket *so, const char *peer,
                   const char *why, const char *told) {
  r->count.refused++;
  chat_log(peer, "refused: %s", why);
  cnet_on(so, CNET_EV_ERROR, on_refused_error, NULL);
  cnet_socket_write(so, told, strlen(told), NULL, NULL);
  cnet_socket_set_timeout(so, GOODBYE_TIMEOUT_MS, on_goodbye_timeout, NULL);
  cnet_socket_destroy_soon(so);
}

void room_on_connection(const cnet_event *ev, void *arg) {
  room *r = arg;
  cnet_socket *so = ev->object;
  if (r->shutting_down) {
    cnet_socket_destroy(so, NULL);
    return;
  }
  char peer[CNET_ADDRESS_MAX + 16], msg[128], why[64];
  unsigned char ip[16];
  size_t ip_len;
  peer_name(so, peer, sizeof peer, ip, &ip_len);
  int max = r->opts.max_per_ip;
  if (max > 0 && connections_from(r, ip, ip_len) >= (size_t)max) {
    snprintf(why, sizeof why, "too many connections from the address (%d)",
             max);
    snprintf(msg, sizeof msg,
             "Sorry, too many connections from your address (%d). "
             "Try again later.\r\n", max);
    refuse(r, so, peer, why, msg);
    return;
  }
  max = r->opts.max_users;
  if (max > 0 && r->connections >= (size_t)max) {
    snprintf(why, sizeof why, "the room is full (%d users)", max);
    snprintf(msg, sizeof msg,
             "Sorry, the room is full (%d users). Try again later.\r\n", max);
    /* A seat held by a connection that never gave a nickname goes to the
     * newcomer: the oldest such connection makes way. Silent connections
     * never keep real users out. */
    user *old = r->head;
    while (old && (old->state != U_NAMING || !old->counted)) old = old->next;
    if (!old) {
      refuse(r, so, peer, why, msg);
      return;
    }
    r->count.made_way++;
    chat_log(old->peer, "made way: %s, waited longest without a nickname",
              why);
    queue_bytes(old, msg, strlen(msg));
    flush(old);
    leave(old, "left");
    old->closing = true;
    old->counted = false;
    r->connections--;
    cnet_socket_destroy(old->socket, NULL);
  }
  user *u = calloc(1, sizeof *u);
  if (!u) {
    cnet_socket_destroy(so, NULL);
    return;
  }
  u->room = r;
  u->socket = so;
  u->cm.nick = u->nick;
  u->cm.key = u->key;
  u->state = U_NAMING;
  u->counted = true;
  memcpy(u->peer, peer, sizeof peer);
  memcpy(u->ip, ip, sizeof ip);
  u->ip_len = ip_len;
  u->line_tokens = r->opts.burst_lines;
  u->byte_tokens = r->opts.burst_bytes;
  u->refilled_at = cnet_loop_now(r->loop);
  cnet_timer_init(r->loop, &u->deadline);
  cnet_timer_init(r->loop, &u->throttle);
  /* The socket keeps the loop running; its timers need not. */
  cnet_timer_unref(&u->deadline);
  cnet_timer_unref(&u->throttle);
  if (r->opts.login_timeout_ms)
    cnet_timer_start(&u->deadline, on_login_timeout, u,
                     r->opts.login_timeout_ms, 0);
  telnet_init(&u->tn, &chat_telnet, u);
  cnet_on(so, CNET_EV_DATA, on_data, u);
  cnet_on(so, CNET_EV_END, on_end, u);
  cnet_on(so, CNET_EV_DRAIN, on_drain, u);
  cnet_on(so, CNET_EV_ERROR, on_error, u);
  cnet_on(so, CNET_EV_CLOSE, on_close, u);
  u->prev = r->tail;
  if (r->tail) r->tail->next = u; else r->head = u;
  r->tail = u;
  r->connections++;
  tell(u, "Welcome to cnet-chat! %zu %s online. Please enter your nickname:",
       online(r), plural(online(r)));
  settle(r);
}

/* ---- The other instances ---------------------------------------------- */

static user *member_user(cluster_member *m) {
  return (user *)((char *)m - offsetof(user, cm));
}

/* A line said elsewhere: for everyone here. */
static void on_cluster_line(void *ctx, const char *line, size_t len) {
  room *r = ctx;
  r->out.len = 0;
  text_add(&r->out, line, len);
  text_add(&r->out, "\r\n", 2);
  transcript(r);
  for (user *u = r->head; u; u = u->next)
    if (u->state == U_JOINED) send_line(u, r->out.p, r->out.len);
}

static void on_cluster_joined(void *ctx, const char *nick) {
  room *r = ctx;
  announce(r, NULL, "* %s joined (%zu %s online)", nick, online(r),
           plural(online(r)));
}

static void on_cluster_left(void *ctx, const char *nick, const char *how) {
  room *r = ctx;
  announce(r, NULL, "* %s %s (%zu %s online)", nick, how, online(r),
           plural(online(r)));
}

static void on_cluster_renamed(void *ctx, const char *from, const char *to) {
  announce(ctx, NULL, "* %s is now known as %s", from, to);
}

static void on_cluster_private(void *ctx, const char *key, const char *from,
                               const char *msg, size_t len) {
  user *to = find_key(ctx, key);
  if (to) tell(to, "[private] %s: %.*s", from, (int)len, msg);
}

static void on_cluster_link(void *ctx, bool up) {
  room *r = ctx;
  if (up)
    announce(r, NULL, "* the link to the other servers is back (%zu %s "
                      "online)", online(r), plural(online(r)));
  else
    announce(r, NULL, "%s", LINK_LOST);
}

/* The answer to a claim (u is naming itself) or a rename. */
static void on_cluster_claimed(void *ctx, cluster_member *m, int result) {
  room *r = ctx;
  user *u = member_user(m);
  u->waiting = false;
  rename_t *rn = u->rename;
  u->rename = NULL;
  const char *nick = rn ? rn->nick : u->nick, *key = rn ? rn->key : u->key;
  /* Down: decided here, and told to the others once linked again. */
  if (result == CLUSTER_DOWN && find_key(r, key) && find_key(r, key) != u)
    result = CLUSTER_TAKEN;
  if (result == CLUSTER_TAKEN) {
    tell(u, "error: the nickname %s is taken", nick);
    if (!rn) prompt(u);
  } else if (rn) {
    renamed(u, nick, key);
    if (result == CLUSTER_DOWN) cluster_changed(r->cluster, m);
  } else {
    if (result == CLUSTER_DOWN) cluster_add(r->cluster, m);
    join(u);
  }
  free(rn);
  run(u);
  after_input(u);
}

/* u's nickname went to someone elsewhere while the link was down: u gets
 * the first free one of nick2, nick3, ... (shortened to fit). */
static void on_cluster_conflict(void *ctx, cluster_member *m) {
  room *r = ctx;
  user *u = member_user(m);
  char base[NICK_MAX_BYTES + 1], try[NICK_MAX_BYTES + 16];
  char nick[NICK_MAX_BYTES + 1], key[NICK_KEY_MAX];
  snprintf(base, sizeof base, "%s", u->nick);
  for (unsigned n = 2; n < 100000; n++) {
    snprintf(try, sizeof try, "%s%u", base, n);
    const char *why = nick_normalize(try, strlen(try), nick, key);
    if (why) {
      /* Too long: one character less of the name (and this n again). */
      size_t len = strlen(base);
      while (len > 0 && ((unsigned char)base[len - 1] & 0xC0) == 0x80) len--;
      if (len <= 1) break;
      base[len - 1] = '\0';
      n--;
      continue;
    }
    if (!taken(r, key)) {
      tell(u, "* your nickname %s was taken on another server; you are "
              "now %s", u->nick, nick);
      renamed(u, nick, key);
      cluster_changed(r->cluster, m);
      return;
    }
  }
  /* No name left to give: it goes. */
  expel(u, "no free nickname", "no free nickname after a clash",
        "error: your nickname was taken on another server; goodbye");
}

static void on_cluster_settle(void *ctx) { settle(ctx); }

/* Redis has caught up: everyone held goes on. */
static void on_cluster_drained(void *ctx) {
  room *r = ctx;
  for (user *u = r->head; u; u = u->next) {
    if (!u->held) continue;
    u->held = false;
    if (u->state == U_GONE) continue;
    if (!u->blocked) cnet_socket_resume(u->socket);
    run(u);
    after_input(u);
    if (cluster_busy_(r)) break; /* the others wait for the next time */
  }
  settle(r);
}

static const cluster_ops room_cluster_ops = {
    .line = on_cluster_line,
    .joined = on_cluster_joined,
    .left = on_cluster_left,
    .renamed = on_cluster_renamed,
    .private_message = on_cluster_private,
    .link = on_cluster_link,
    .claimed = on_cluster_claimed,
    .conflict = on_cluster_conflict,
    .settle = on_cluster_settle,
    .drained = on_cluster_drained,
};

/* ---- The room --------------------------------------------------------- */

size_t room_high_water_mark(const room_options *opts) {
  size_t mark = opts->max_queue / 2;
  if (mark > OWN_OUTPUT_MARK) mark = OWN_OUTPUT_MARK;
  return mark ? mark : 1;
}

room *room_new(cnet_loop *loop, const room_options *opts) {
  room *r = calloc(1, sizeof *r);
  if (!r) return NULL;
  r->clean = malloc(TEXT_CLEAN_MAX(TELNET_LINE_MAX));
  if (!r->clean) {
    free(r);
    return NULL;
  }
  r->loop = loop;
  r->opts = *opts;
  r->mark = room_high_water_mark(opts);
  cnet_timer_init(loop, &r->grace);
  if (opts->cluster) {
    r->cluster = cluster_new(loop, opts->cluster, &room_cluster_ops, r);
    if (!r->cluster) {
      free(r->clean);
      free(r);
      return NULL;
    }
  }
  return r;
}

static void on_grace_over(cnet_timer *t, void *arg) {
  room *r = arg;
  (void)t;
  for (user *u = r->head; u; u = u->next) cnet_socket_destroy(u->socket, NULL);
}

void room_shutdown(room *r, bool force) {
  if (!r->shutting_down) {
    r->shutting_down = true;
    /* The others hear every user here leave at once. */
    if (r->cluster) cluster_close(r->cluster);
    chat_log("-", "shutting down: %zu connections, %zu users online",
              r->connections, r->online);
    r->out.len = 0;
    text_append(&r->out, "* the server is shutting down\r\n");
    transcript(r);
    for (user *u = r->head; u; u = u->next) {
      if (u->state != U_GONE) send_line(u, r->out.p, r->out.len);
      u->state = U_GONE;
      cnet_timer_stop(&u->deadline);
      cnet_timer_stop(&u->throttle);
    }
    r->online = 0;
    for (user *u = r->head; u; u = u->next) close_gently(u);
    r->drops = NULL; /* everyone is closing anyway */
    flush_all(r);    /* not from a callback of the room: no settle() */
    if (r->connections > 0)
      cnet_timer_start(&r->grace, on_grace_over, r, SHUTDOWN_GRACE_MS, 0);
  }
  if (force) on_grace_over(&r->grace, r);
}

void room_leave_cluster(room *r) {
  if (r->cluster) cluster_close(r->cluster);
}

size_t room_connections(const room *r) { return r->connections; }

void room_log_status(const room *r, uint64_t uptime_ms) {
  uint64_t s = uptime_ms / 1000;
  char up[48];
  if (s >= 86400)
    snprintf(up, sizeof up, "%" PRIu64 "d %02u:%02u:%02u", s / 86400,
             (unsigned)(s / 3600 % 24), (unsigned)(s / 60 % 60),
             (unsigned)(s % 60));
  else
    snprintf(up, sizeof up, "%02u:%02u:%02u", (unsigned)(s / 3600),
             (unsigned)(s / 60 % 60), (unsigned)(s % 60));
  uint64_t dropped = r->count.not_reading + r->count.flooding +
                     r->count.idle + r->count.no_nickname + r->count.made_way;
  chat_log("-", "status: %zu %s online, %zu connection%s; %" PRIu64
            " line%s relayed (%" PRIu64 " bytes); %" PRIu64 " dropped (%"
            PRIu64 " not reading, %" PRIu64 " flooding, %" PRIu64 " idle, %"
            PRIu64 " no nickname, %" PRIu64 " made way), %" PRIu64
            " refused; up %s",
            r->online, plural(r->online), r->connections,
            r->connections == 1 ? "" : "s", r->count.lines,
            r->count.lines == 1 ? "" : "s", r->count.bytes, dropped,
            r->count.not_reading, r->count.flooding, r->count.idle,
            r->count.no_nickname, r->count.made_way, r->count.refused, up);
  if (r->cluster) cluster_log_status(r->cluster);
}

void room_free(room *r) {
  if (!r) return;
  cnet_timer_stop(&r->grace);
  cluster_free(r->cluster);
  free(r->out.p);
  free(r->clean);
  free(r);
  text_cleanup();
}
