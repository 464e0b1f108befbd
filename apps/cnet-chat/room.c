/* cnet-chat's room: every connection from greeting to close, nicknames,
 * the commands, and delivery that a slow client cannot hold up. What users
 * type is cleaned (text.c) before anyone sees it.
 *
 * Each client's outgoing queue is capped: a line that would push a client
 * past the cap is not queued, the client is marked and, once the current
 * callback has finished its sends, destroyed and announced as dropped. The
 * drop is deferred so that no send ever changes the list of users while a
 * broadcast walks it. */
#include "room.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "telnet.h"

/* After quit, a client that does not take its goodbye is cut after this
 * long without progress; at shutdown, every client after this long. */
#define GOODBYE_TIMEOUT_MS 10000
#define SHUTDOWN_GRACE_MS 2000

typedef enum user_state {
  U_NAMING, /* greeted, no nickname yet                          */
  U_JOINED, /* in the room: counted online, receives lines       */
  U_GONE    /* left, dropped or refused: waiting for 'close'     */
} user_state;

typedef struct user {
  struct user *prev, *next; /* room->users; joined users in join order  */
  struct user *next_drop;   /* room->drops                              */
  struct room *room;
  cnet_socket *socket;
  user_state state;
  bool dropped;             /* over its queue cap; on room->drops       */
  bool closing;             /* end or destroy already asked             */
  bool corked;              /* on room->corked until the callback ends  */
  struct user *next_corked; /* room->corked                             */
  size_t backlog;           /* bytes queued when it was corked          */
  int error;                /* the socket's 'error', for the log        */
  char peer[CNET_ADDRESS_MAX + 16];
  char nick[NICK_MAX_BYTES + 1];
  char key[NICK_KEY_MAX];   /* what nicknames are compared by           */
  telnet tn;
} user;

/* A growable text buffer: every line is formatted here once, then sent to
 * as many users as it is for. */
typedef struct text {
  char *p;
  size_t len, cap;
} text;

struct room {
  cnet_loop *loop;
  room_options opts;
  user *head, *tail;
  user *drops;
  user *corked; /* users sent to in this callback: uncorked by settle() */
  size_t connections;
  size_t online;
  bool settling;
  bool shutting_down;
  cnet_timer grace;
  text out;
  char *clean; /* a line as cleaned for others' screens */
};

/* ---- Logging ---------------------------------------------------------- */

/* Joins, leaves and drops go to stderr with the time and the peer. */
static void log_event(const char *peer, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void log_event(const char *peer, const char *fmt, ...) {
  char when[32];
  time_t now = time(NULL);
  struct tm tm;
  localtime_r(&now, &tm);
  strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S", &tm);
  char msg[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  fprintf(stderr, "%s cnet-chat: %s %s\n", when, peer, msg);
}

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

/* Queues bytes for a client unless that would pass its cap. A client with
 * nothing queued always gets the line: the cap is about clients that stop
 * reading, not about long lines.
 *
 * The lines for one client within one callback (the lines of one read from
 * a talker, a burst of joins) are corked and leave in one writev when the
 * callback ends (settle): one system call per client instead of one per
 * line, which is most of what a fan-out costs. What was queued before the
 * callback is what counts as "not reading"; a client that keeps up takes
 * the whole burst, as it would without the cork. */
static void queue_bytes(user *u, const void *data, size_t len) {
  if (u->dropped || u->closing) return;
  size_t queued = cnet_socket_writable_length(u->socket);
  if (!u->corked) {
    u->backlog = queued;
    cnet_socket_cork(u->socket);
    u->corked = true;
    u->next_corked = u->room->corked;
    u->room->corked = u;
  }
  if (u->backlog > 0 && queued + len > u->room->opts.max_queue) {
    mark_dropped(u);
    return;
  }
  cnet_socket_write(u->socket, data, len, NULL, NULL);
}

static void uncork_all(room *r) {
  while (r->corked) {
    user *u = r->corked;
    r->corked = u->next_corked;
    u->corked = false;
    cnet_socket_uncork(u->socket);
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

/* ---- Leaving ---------------------------------------------------------- */

/* Takes u out of the room; the others are told how (left, dropped). */
static void leave(user *u, const char *how) {
  room *r = u->room;
  user_state was = u->state;
  u->state = U_GONE;
  if (was != U_JOINED) return;
  r->online--;
  announce(r, u, "* %s %s (%zu %s online)", u->nick, how, r->online,
           plural(r->online));
}

/* Processes the drops marked while sending: each dropped client is
 * destroyed and the others told, which may drop more. Runs at the end of
 * every callback that sends. */
static void settle(room *r) {
  if (r->settling) return;
  r->settling = true;
  uncork_all(r);
  while (r->drops) {
    user *u = r->drops;
    r->drops = u->next_drop;
    log_event(u->peer, "dropped%s%s: more than %zu bytes queued",
              u->state == U_JOINED ? " " : "",
              u->state == U_JOINED ? u->nick : "", r->opts.max_queue);
    leave(u, "was dropped: not reading");
    u->closing = true;
    cnet_socket_destroy(u->socket, NULL);
  }
  uncork_all(r);
  r->settling = false;
}

static void on_goodbye_timeout(const cnet_event *ev, void *arg) {
  (void)arg;
  cnet_socket_destroy(ev->target, NULL);
}

/* Ends the connection once what is queued for it is sent. */
static void close_gently(user *u) {
  if (u->closing) return;
  u->closing = true;
  cnet_socket_set_timeout(u->socket, GOODBYE_TIMEOUT_MS, on_goodbye_timeout,
                          NULL);
  cnet_socket_destroy_soon(u->socket);
}

static void quit(user *u) {
  if (u->state == U_JOINED) {
    tell(u, "* goodbye, %s!", u->nick);
    log_event(u->peer, "left: %s (quit)", u->nick);
  } else {
    tell(u, "* goodbye!");
  }
  leave(u, "left");
  close_gently(u);
}

/* ---- Commands --------------------------------------------------------- */

static void prompt(user *u) { tell(u, "Please enter your nickname:"); }

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
  if (find_key(r, key)) {
    tell(u, "error: the nickname %s is taken", nick);
    prompt(u);
    return;
  }
  memcpy(u->nick, nick, sizeof nick);
  memcpy(u->key, key, sizeof key);
  u->state = U_JOINED;
  r->online++;
  /* Joined users stay in join order at the tail: 'l' lists them so. */
  if (u != r->tail) {
    if (u->prev) u->prev->next = u->next; else r->head = u->next;
    u->next->prev = u->prev;
    u->prev = r->tail;
    u->next = NULL;
    r->tail->next = u;
    r->tail = u;
  }
  log_event(u->peer, "joined as %s (%zu online)", u->nick, r->online);
  tell(u, "Hello %s! %zu %s online. Type help for the commands.", u->nick,
       r->online, plural(r->online));
  announce(r, u, "* %s joined (%zu %s online)", u->nick, r->online,
           plural(r->online));
}

static void say(user *u, const char *msg, size_t len) {
  announce(u->room, u, "%s: %.*s", u->nick, (int)len, msg);
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

static void list(user *u) {
  room *r = u->room;
  r->out.len = 0;
  text_append(&r->out, "* %zu %s online:", r->online, plural(r->online));
  const char *sep = " ";
  for (user *v = r->head; v; v = v->next) {
    if (v->state != U_JOINED) continue;
    text_append(&r->out, "%s%s", sep, v->nick);
    sep = ", ";
  }
  text_append(&r->out, "\r\n");
  send_line(u, r->out.p, r->out.len);
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
    tell(u, "error: no user called %.*s", (int)nlen, nick);
  } else if (to == u) {
    tell(u, "error: that is you");
  } else {
    tell(to, "[private] %s: %.*s", u->nick, (int)mlen, msg);
    tell(u, "* private message sent to %s", to->nick);
  }
}

static void rename_user(user *u, const char *arg, size_t len) {
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
  user *other = find_key(u->room, key);
  if (other && other != u) {
    tell(u, "error: the nickname %s is taken", nick);
    return;
  }
  char old[sizeof u->nick];
  memcpy(old, u->nick, sizeof old);
  memcpy(u->nick, nick, sizeof nick);
  memcpy(u->key, key, sizeof key);
  log_event(u->peer, "renamed: %s is now %s", old, u->nick);
  announce(u->room, NULL, "* %s is now known as %s", old, u->nick);
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

/* ---- Telnet callbacks ------------------------------------------------- */

static bool on_line(void *ctx, const char *line, size_t len) {
  user *u = ctx;
  room *r = u->room;
  if (u->state == U_GONE || u->dropped) return false;
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
  return u->state != U_GONE && !u->dropped;
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
  if (u->state == U_GONE) return;
  telnet_feed(&u->tn, ev->data, ev->len);
  settle(u->room);
}

static void on_end(const cnet_event *ev, void *arg) {
  user *u = arg;
  (void)ev;
  /* A last line without its end (nc -N, a script) still counts. */
  if (u->state != U_GONE) telnet_finish(&u->tn);
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
      log_event(u->peer, "left: %s (%s)", u->nick, cnet_err_name(u->error));
    else
      log_event(u->peer, "left: %s", u->nick);
    leave(u, "left");
  }
  if (u->prev) u->prev->next = u->next; else r->head = u->next;
  if (u->next) u->next->prev = u->prev; else r->tail = u->prev;
  r->connections--;
  free(u);
  if (r->shutting_down && r->connections == 0) cnet_timer_stop(&r->grace);
  settle(r);
}

static void on_refused_error(const cnet_event *ev, void *arg) {
  (void)ev, (void)arg; /* a refused client that resets: nothing to say */
}

static void peer_name(cnet_socket *so, char *buf, size_t size) {
  cnet_address a;
  if (cnet_socket_remote_address(so, &a) != 0)
    snprintf(buf, size, "(unknown peer)");
  else if (a.family && strcmp(a.family, "IPv6") == 0)
    snprintf(buf, size, "[%s]:%d", a.address, a.port);
  else
    snprintf(buf, size, "%s:%d", a.address, a.port);
}

void room_on_connection(const cnet_event *ev, void *arg) {
  room *r = arg;
  cnet_socket *so = ev->object;
  if (r->shutting_down) {
    cnet_socket_destroy(so, NULL);
    return;
  }
  if (r->opts.max_users > 0 && r->connections >= (size_t)r->opts.max_users) {
    char peer[CNET_ADDRESS_MAX + 16], msg[128];
    peer_name(so, peer, sizeof peer);
    log_event(peer, "refused: the room is full (%d users)", r->opts.max_users);
    int n = snprintf(msg, sizeof msg,
                     "Sorry, the room is full (%d users). Try again later.\r\n",
                     r->opts.max_users);
    cnet_on(so, CNET_EV_ERROR, on_refused_error, NULL);
    cnet_socket_write(so, msg, (size_t)n, NULL, NULL);
    cnet_socket_set_timeout(so, GOODBYE_TIMEOUT_MS, on_goodbye_timeout, NULL);
    cnet_socket_destroy_soon(so);
    return;
  }
  user *u = calloc(1, sizeof *u);
  if (!u) {
    cnet_socket_destroy(so, NULL);
    return;
  }
  u->room = r;
  u->socket = so;
  u->state = U_NAMING;
  peer_name(so, u->peer, sizeof u->peer);
  telnet_init(&u->tn, &chat_telnet, u);
  cnet_on(so, CNET_EV_DATA, on_data, u);
  cnet_on(so, CNET_EV_END, on_end, u);
  cnet_on(so, CNET_EV_ERROR, on_error, u);
  cnet_on(so, CNET_EV_CLOSE, on_close, u);
  u->prev = r->tail;
  if (r->tail) r->tail->next = u; else r->head = u;
  r->tail = u;
  r->connections++;
  tell(u, "Welcome to cnet-chat! %zu %s online. Please enter your nickname:",
       r->online, plural(r->online));
  settle(r);
}

/* ---- The room --------------------------------------------------------- */

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
  cnet_timer_init(loop, &r->grace);
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
    log_event("-", "shutting down: %zu connections, %zu users online",
              r->connections, r->online);
    r->out.len = 0;
    text_append(&r->out, "* the server is shutting down\r\n");
    transcript(r);
    for (user *u = r->head; u; u = u->next) {
      if (u->state != U_GONE) send_line(u, r->out.p, r->out.len);
      u->state = U_GONE;
    }
    r->online = 0;
    for (user *u = r->head; u; u = u->next) close_gently(u);
    r->drops = NULL; /* everyone is closing anyway */
    uncork_all(r);   /* not from a callback of the room: no settle() */
    if (r->connections > 0)
      cnet_timer_start(&r->grace, on_grace_over, r, SHUTDOWN_GRACE_MS, 0);
  }
  if (force) on_grace_over(&r->grace, r);
}

size_t room_connections(const room *r) { return r->connections; }

void room_free(room *r) {
  if (!r) return;
  cnet_timer_stop(&r->grace);
  free(r->out.p);
  free(r->clean);
  free(r);
  text_cleanup();
}
