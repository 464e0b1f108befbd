/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* Fuzz target: cnet-chat's room (apps/cnet-chat/room.c) on real cnet
 * sockets: nicknames, commands, broadcast, private messages, drops of
 * clients that do not read, the full room, half-closes, resets and
 * shutdown. It uses room.h only (room_new, room_on_connection,
 * room_shutdown, room_connections, room_free), so that it follows the
 * room through changes to its insides.
 *
 * Each client is one end of a Unix socketpair; the other end is wrapped
 * by cnet_socket_new and handed to the room as a server's 'connection'
 * event. Unix sockets deliver within the send call, so that after each
 * step "run the loop until nothing moves" is deterministic.
 *
 * Input: a settings byte, then a script of steps: what client k types, k
 * half-closes, k closes, k stops or resumes reading, the server shuts
 * down. Between steps the loop runs until quiet. Properties:
 *  - (clients that always read) the script gives the same bytes to every
 *    client and the same transcript whether each step's text is written
 *    whole, one byte at a time or in random chunks, with the loop run in
 *    between: what a character-at-a-time telnet client does must not
 *    change what anyone sees;
 *  - a transcript line holds no CR or LF;
 *  - a client that never sent a telnet command (0xFF) gets text a
 *    terminal can show safely: well-formed UTF-8, no control character but
 *    tab, CR and LF, no C1 control and no format character (bidi
 *    overrides, zero-width joiners, soft hyphen...), whatever the others
 *    typed;
 *  - the loop always comes to rest (no step makes it run without end),
 *    and once quiet it waits in the poller instead of spinning;
 *  - once every client has closed, the room has no connection left, and
 *    the loop closes with no handle open and nothing leaked (LSan). */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cnet.h>

#include "fuzz.h"
#include "room.h"

#define CLIENTS 4
#define MAX_STEPS 64
#define MAX_CONNECTS 12
/* Turns of the loop with nothing moving before a step counts as done. */
#define QUIET_TURNS 3
/* A step that keeps the loop busy longer than this never comes to rest. */
#define MAX_TURNS 200000
/* An idle loop waits for a REST_MS timer in a turn or two, not hundreds. */
#define REST_MS 2
#define MAX_REST_TURNS 20

enum { SEND_MAX = 9, A_END = 10, A_CLOSE, A_STALL, A_RESUME, A_SHUTDOWN, A_PASTE };

typedef struct client {
  int fd;             /* our end, or -1 */
  bool ended;         /* we half-closed */
  bool stalled;       /* we stopped reading */
  bool eof;           /* the server's end is closed (EOF or reset) */
  bool sent_iac;      /* sent 0xFF: a telnet client, answered in kind */
  fuzz_buf got;       /* everything received, across reconnections */
  size_t checked;     /* bytes of got checked by check_clean */
} client;

enum split { WHOLE, BYTES, RANDOM };

typedef struct world {
  cnet_loop *loop;
  cnet_server *server;
  room *room;
  client c[CLIENTS];
  fuzz_buf transcript;
  enum split how;
  fuzz_rng rng;
  bool hostile;
  int connects;
} world;

static void on_transcript(void *ctx, const char *line, size_t len) {
  world *w = ctx;
  FUZZ_CHECK(!memchr(line, '\r', len) && !memchr(line, '\n', len));
  uint8_t n[4] = {(uint8_t)(len >> 24), (uint8_t)(len >> 16), (uint8_t)(len >> 8),
                  (uint8_t)len};
  fuzz_buf_add(&w->transcript, n, 4);
  fuzz_buf_add(&w->transcript, line, len);
}

/* Reads what the server sent to the clients that read. True if anything
 * moved (bytes, an EOF). */
static bool drain(world *w) {
  bool moved = false;
  for (int k = 0; k < CLIENTS; k++) {
    client *c = &w->c[k];
    if (c->fd < 0 || c->stalled || c->eof) continue;
    for (;;) {
      char buf[65536];
      ssize_t n = recv(c->fd, buf, sizeof buf, MSG_DONTWAIT);
      if (n > 0) {
        fuzz_buf_add(&c->got, buf, (size_t)n);
        moved = true;
        continue;
      }
      if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
        c->eof = true; /* EOF, or a reset from a server that dropped us */
        moved = true;
      }
      if (n < 0 && errno == EINTR) continue;
      break;
    }
  }
  return moved;
}

/* Runs the loop until nothing has moved for QUIET_TURNS turns. */
static void settle(world *w) {
  size_t conns = room_connections(w->room);
  int quiet = 0;
  for (int turns = 0; quiet < QUIET_TURNS; turns++) {
    FUZZ_CHECK(turns < MAX_TURNS);
    FUZZ_CHECK(cnet_loop_run(w->loop, CNET_RUN_NOWAIT) >= 0);
    bool moved = drain(w);
    size_t now = room_connections(w->room);
    if (now != conns) moved = true;
    conns = now;
    quiet = moved ? 0 : quiet + 1;
  }
}

static void on_rest_timer(cnet_timer *t, void *arg) {
  (void)t;
  *(bool *)arg = true;
}

/* Once the room is quiet, the loop must wait in the poller, not spin: a
 * socket left ready but never read (a peer's FIN with output queued, say)
 * would wake it again and again. Count the turns it takes for a short
 * timer to fire: an idle loop blocks until then, in a turn or two. */
static void check_rests(world *w) {
  cnet_timer t;
  bool fired = false;
  int turns = 0;
  cnet_timer_init(w->loop, &t);
  cnet_timer_start(&t, on_rest_timer, &fired, REST_MS, 0);
  while (!fired && turns <= MAX_REST_TURNS) {
    cnet_loop_run(w->loop, CNET_RUN_ONCE);
    turns++;
  }
  cnet_timer_stop(&t);
  FUZZ_CHECK(turns <= MAX_REST_TURNS);
}

/* Format characters (Unicode's Cf) that the room must never relay: they
 * reorder or hide text on the reader's terminal. */
static bool format_char(uint32_t cp) {
  return cp == 0xAD || (cp >= 0x600 && cp <= 0x605) || cp == 0x61C || cp == 0x6DD ||
         cp == 0x70F || cp == 0x180E || (cp >= 0x200B && cp <= 0x200F) ||
         (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2060 && cp <= 0x2064) ||
         (cp >= 0x2066 && cp <= 0x206F) || cp == 0xFEFF || (cp >= 0xFFF9 && cp <= 0xFFFB) ||
         cp == 0xE0001 || (cp >= 0xE0020 && cp <= 0xE007F);
}

/* Checks what a client received since the last check, up to its last
 * complete line: a connection cut by a drop may end inside a character. */
static void check_clean(client *c) {
  if (c->sent_iac || c->got.len == c->checked) return;
  const uint8_t *p = c->got.p + c->checked;
  size_t len = c->got.len - c->checked;
  while (len > 0 && p[len - 1] != '\n') len--;
  if (len == 0) return;
  FUZZ_CHECK(fuzz_utf8_valid(p, len));
  uint32_t *cps = malloc(len * sizeof *cps);
  FUZZ_CHECK(cps != NULL);
  size_t n = fuzz_utf8_decode(p, len, cps);
  for (size_t i = 0; i < n; i++) {
    uint32_t cp = cps[i];
    FUZZ_CHECK(cp >= 0x20 || cp == '\t' || cp == '\r' || cp == '\n');
    FUZZ_CHECK(cp != 0x7F && !(cp >= 0x80 && cp <= 0x9F));
    FUZZ_CHECK(!format_char(cp));
  }
  free(cps);
  c->checked += len;
}

static void connect_client(world *w, int k) {
  client *c = &w->c[k];
  check_clean(c);
  c->checked = c->got.len; /* a new connection starts on a line */
  int sv[2];
  FUZZ_CHECK(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) == 0);
  if (w->hostile) {
    /* Small buffers: a client that stops reading backs the server up
     * into its queue cap within a few kilobytes. */
    int size = 4096;
    setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &size, sizeof size);
    setsockopt(sv[1], SOL_SOCKET, SO_RCVBUF, &size, sizeof size);
  }
  cnet_socket_options o = {.has_fd = true, .fd = sv[0]};
  cnet_socket *so = NULL;
  FUZZ_CHECK(cnet_socket_new(w->loop, &o, &so) == 0);
  c->fd = sv[1];
  c->ended = c->stalled = c->eof = false;
  w->connects++;
  /* What the room's listening server would hand it. */
  cnet_event ev = {.type = CNET_EV_CONNECTION, .object = so};
  cnet_emit(w->server, &ev);
  settle(w);
}

/* Writes the bytes as the mode says, running the loop between pieces. */
static void type_text(world *w, int k, const uint8_t *p, size_t len) {
  client *c = &w->c[k];
  size_t at = 0;
  while (at < len && !c->eof) {
    size_t n = w->how == WHOLE ? len - at : w->how == BYTES ? 1 : fuzz_chunk(&w->rng, len - at);
    ssize_t sent = send(c->fd, p + at, n, MSG_DONTWAIT | MSG_NOSIGNAL);
    if (sent < 0) {
      if (errno == EAGAIN || errno == EINTR) {
        settle(w); /* the server has not read yet */
        continue;
      }
      break; /* the server has closed our connection */
    }
    at += (size_t)sent;
    settle(w);
  }
}

static void close_client(client *c) {
  check_clean(c);
  if (c->fd >= 0) close(c->fd);
  c->fd = -1;
}

static void play(world *w, const uint8_t *script, size_t size) {
  fuzz_reader in = fuzz_reader_init(script, size);
  bool shut = false;
  for (int steps = 0; in.left > 0 && steps < MAX_STEPS; steps++) {
    uint8_t op = fuzz_u8(&in);
    int act = op >> 4, k = op & 3;
    client *c = &w->c[k];
    if (act <= SEND_MAX || act == A_PASTE) {
      size_t n = act == A_PASTE ? fuzz_u16(&in) : fuzz_u8(&in);
      if (n > in.left) n = in.left;
      const uint8_t *text = in.p;
      in.p += n;
      in.left -= n;
      if (c->fd < 0 || c->eof) {
        if (w->connects == MAX_CONNECTS) continue;
        close_client(c);
        connect_client(w, k);
      }
      if (n && memchr(text, 0xFF, n)) c->sent_iac = true;
      if (!c->ended) type_text(w, k, text, n);
    } else if (act == A_END) {
      if (c->fd >= 0 && !c->ended) shutdown(c->fd, SHUT_WR);
      c->ended = true;
    } else if (act == A_CLOSE) {
      close_client(c);
    } else if (act == A_STALL) {
      c->stalled = w->hostile; /* clients that read: nothing to compare */
    } else if (act == A_RESUME) {
      c->stalled = false;
    } else if (act == A_SHUTDOWN && !shut) {
      shut = true;
      room_shutdown(w->room, op & 4);
    }
    settle(w);
  }
}

/* The room logs every join and leave to stderr; glibc lets the stderr
 * stream point elsewhere while the room runs, which keeps the fuzzer's
 * output readable. FUZZ_CHECK and the sanitizers write to fd 2 itself. */
static FILE *real_stderr, *dev_null;

/* Runs the whole script on a fresh loop, room and clients, and closes it
 * all again; what the clients received stays in w. */
static void run(world *w, const uint8_t *data, size_t size, enum split how) {
  memset(w, 0, sizeof *w);
  for (int k = 0; k < CLIENTS; k++) w->c[k].fd = -1;
  w->how = how;
  w->rng = fuzz_rng_from(data, size);
  w->hostile = data[0] & 2;
  FUZZ_CHECK(cnet_loop_new(&w->loop) == 0);
  stderr = dev_null;
  room_options ro = {
      .max_queue = w->hostile ? 2048 : 64 << 20,
      .max_users = data[0] & 1 ? 2 : 0,
      .transcript = on_transcript,
      .transcript_ctx = w,
  };
  w->room = room_new(w->loop, &ro);
  FUZZ_CHECK(w->room != NULL);
  cnet_server_options so = {.no_delay = true};
  cnet_create_server(w->loop, &so, room_on_connection, w->room, &w->server);
  FUZZ_CHECK(w->server != NULL);

  play(w, data + 1, size - 1);
  if (how == WHOLE) check_rests(w);

  /* Everyone leaves: the room must let go of every connection. */
  for (int k = 0; k < CLIENTS; k++) {
    w->c[k].stalled = false;
    drain(w);
    close_client(&w->c[k]);
  }
  settle(w);
  FUZZ_CHECK(room_connections(w->room) == 0);
  cnet_server_free(w->server);
  settle(w);
  room_free(w->room);
  stderr = real_stderr; /* to name any handle left open */
  FUZZ_CHECK(cnet_loop_close(w->loop) == 0);
}

static void forget(world *w) {
  for (int k = 0; k < CLIENTS; k++) fuzz_buf_free(&w->c[k].got);
  fuzz_buf_free(&w->transcript);
}

/* CNET_FUZZ_VERBOSE=1: what each client received, to read a failure by. */
static void dump(const world *w) {
  for (int k = 0; k < CLIENTS; k++) {
    fprintf(stderr, "--- client %d received %zu bytes:\n", k, w->c[k].got.len);
    fwrite(w->c[k].got.p, 1, w->c[k].got.len, stderr);
  }
  fprintf(stderr, "--- transcript: %zu bytes\n", w->transcript.len);
}

static bool same_world(const world *a, const world *b) {
  for (int k = 0; k < CLIENTS; k++)
    if (!fuzz_buf_eq(&a->c[k].got, &b->c[k].got)) return false;
  return fuzz_buf_eq(&a->transcript, &b->transcript);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size == 0) return 0;
  if (!dev_null) {
    signal(SIGPIPE, SIG_IGN);
    real_stderr = stderr;
    dev_null = fopen("/dev/null", "w");
    FUZZ_CHECK(dev_null != NULL);
  }
  bool hostile = data[0] & 2;
  world whole, other;
  run(&whole, data, size, WHOLE);
  if (getenv("CNET_FUZZ_VERBOSE")) dump(&whole);
  /* Clients that stop reading make the outcome depend on how the kernel
   * packs what was sent: nothing to compare then. One byte at a time costs
   * a few loop turns per byte: done for the short scripts. */
  if (!hostile && size <= 1024) {
    run(&other, data, size, BYTES);
    FUZZ_CHECK(same_world(&whole, &other));
    forget(&other);
  }
  run(&other, data, size, RANDOM);
  if (!hostile) FUZZ_CHECK(same_world(&whole, &other));
  forget(&other);
  forget(&whole);
  return 0;
}
