/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* cnet-test-labels: unit threads
 * pipe(socket, fs.createWriteStream()) through splice(2) (src/splice.c):
 * the file holds exactly the bytes sent, the counts and the events are
 * those of the copying path (CNET_NO_SPLICE=1), and whatever could tell
 * the two apart (a late 'data' listener, an encoding, an append-mode
 * file) puts the socket back on the copying path without losing or
 * reordering a byte. Errors on either side, unpipe() and destroy in the
 * middle of a transfer end as they would without the fast path.
 *
 * A client on the same loop sends a pseudo-random stream (any offset can
 * be regenerated); conditions on the server side that no event marks in
 * the fast path ("so many bytes have been read") are watched with a 1 ms
 * interval timer, never waited for with a sleep.
 *
 * Internal because splice(2) leaves no trace a user can see: the file,
 * the counts and the events are the same either way, which is the point.
 * Every case reads cnet__splice_test_bytes (src/splice.h), the bytes the
 * splice jobs moved, to know that the fast path did carry the transfer
 * (or was under way when the test acted, or was rightly not used);
 * without it each case could pass on the copying path alone. */
#include "harness.h"
#include "pattern.h"
#include "sha256.h"
#include "splice.h"

#include <signal.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#define MIB (1024u * 1024u)
#define CHUNK (64u * 1024u)

static unsigned long long spliced(void) { return cnet__splice_test_bytes; }

/* The SHA-256 of the stream's bytes [from, to). */
static void stream_hash(uint64_t from, uint64_t to, char hex[65]) {
  static uint8_t buf[CHUNK];
  sha256 c;
  sha256_init(&c);
  for (uint64_t off = from; off < to; off += CHUNK) {
    size_t len = to - off < CHUNK ? (size_t)(to - off) : CHUNK;
    pattern_fill(off, buf, len);
    sha256_update(&c, buf, len);
  }
  sha256_hex(&c, hex);
}

enum action {
  ACT_NONE,
  ACT_DATA_LISTENER, /* at `at` bytes read: a 'data' listener of the test's */
  ACT_UNPIPE,        /* at `at`: unpipe, end the file, read the rest by hand */
  ACT_DESTROY_FILE,  /* at `at`: destroy the file stream with an error */
  ACT_CLIENT_RESET,  /* the client resets the connection after `at` bytes */
  ACT_PAUSE,         /* at `at`: pause; resume once the file caught up */
  ACT_WRITE_DESTROY  /* at `at`: a write of the test's to the file, then destroy it */
};

static struct {
  cnet_loop *loop;
  cnet_server *server;
  cnet_socket *client;
  cnet_socket *conn;
  cnet_fs_write_stream *ws;
  cnet_timer watch;
  char path[256];
  const char *flags;
  const char *encoding;
  enum action action;
  uint64_t total, at, limit; /* limit: what the client sends before waiting */
  uint64_t sent;
  char *chunk;
  bool acted;
  /* what the server saw */
  char src_events[512], dst_events[512];
  uint64_t data_bytes, data_from; /* the test's own 'data' listener */
  sha256 data_hash;
  int src_error, dst_error;
  uint64_t src_bytes_read, ws_bytes_written;
  unsigned long long spliced_at_action;
  uint64_t read_while_paused; /* bytesRead when the file had caught up */
  bool paused_seen;
  int write_cbs, write_cb_error; /* the test's own write to the file */
} T;

static void note(char *log, const char *what) {
  size_t n = strlen(log);
  snprintf(log + n, 512 - n, "%s%s", n ? " " : "", what);
}

/* ---- the client ----------------------------------------------------------------- */

static void send_more(void);

static void client_drain(const cnet_event *ev, void *arg) { send_more(); }

static void send_more(void) {
  while (T.sent < T.limit) {
    size_t n = T.limit - T.sent < CHUNK ? (size_t)(T.limit - T.sent) : CHUNK;
    pattern_fill(T.sent, T.chunk, n);
    bool ok = cnet_socket_write(T.client, T.chunk, n, NULL, NULL);
    T.sent += n;
    if (T.sent == T.total) {
      if (T.action == ACT_CLIENT_RESET)
        cnet_socket_reset_and_destroy(T.client);
      else
        cnet_socket_end(T.client, NULL, 0, NULL, NULL);
      return;
    }
    if (!ok) {
      cnet_once(T.client, CNET_EV_DRAIN, client_drain, NULL);
      return;
    }
  }
}

static void client_connected(void *target, const cnet_error *err, void *arg) {
  (void)target;
  (void)err; send_more(); }

/* The rest of the stream, once the server has acted. */
static void client_go_on(void) {
  T.limit = T.total;
  if (!cnet_listener_count(T.client, CNET_EV_DRAIN)) send_more();
}

/* ---- the server ------------------------------------------------------------------ */

static void src_on(const cnet_event *ev, void *arg) {
  note(T.src_events, arg);
  if (ev->type == CNET_EV_ERROR) T.src_error = ev->error->code;
  if (ev->type == CNET_EV_CLOSE) {
    T.src_bytes_read = cnet_socket_bytes_read(T.conn);
    /* pipe() leaves the file open when the socket closes without 'end'
     * (as Node's does): the server ends it itself. */
    if (T.ws && !cnet_stream_writable_ended(T.ws) && !cnet_stream_destroyed(T.ws))
      cnet_stream_end(T.ws, NULL, 0, NULL, NULL);
    cnet_server_close(T.server, NULL, NULL);
    T.conn = NULL; /* freed after its 'close' */
  }
}

static void dst_on(const cnet_event *ev, void *arg) {
  note(T.dst_events, arg);
  if (ev->type == CNET_EV_ERROR) T.dst_error = ev->error->code;
  if (ev->type == CNET_EV_CLOSE) T.ws_bytes_written = cnet_fs_write_stream_bytes_written(T.ws);
}

static void test_data(const cnet_event *ev, void *arg) {
  sha256_update(&T.data_hash, ev->data, ev->len);
  T.data_bytes += ev->len;
}

/* The test's listener got the stream's last bytes, from `from` on. */
static void assert_listener_got_the_tail(uint64_t from) {
  char want[65], got[65];
  ASSERT_EQ(T.total, from + T.data_bytes);
  stream_hash(from, T.total, want);
  sha256_hex(&T.data_hash, got);
  ASSERT_STR_EQ(want, got);
}

static void ws_unpiped_end(const cnet_event *ev, void *arg) {
  cnet_stream_end(T.ws, NULL, 0, NULL, NULL);
}

static void watch_paused(cnet_timer *t, void *arg);

static void test_write_done(void *object, const cnet_error *err, void *arg) {
  T.write_cbs++;
  T.write_cb_error = err ? err->code : 0;
}

static void act(void) {
  T.acted = true;
  T.spliced_at_action = spliced();
  switch (T.action) {
    case ACT_DATA_LISTENER:
      T.data_from = cnet_socket_bytes_read(T.conn);
      cnet_on(T.conn, CNET_EV_DATA, test_data, NULL);
      break;
    case ACT_UNPIPE:
      /* Everything read so far goes to the file; what follows comes to a
       * listener added once the file has closed. */
      cnet_once(T.ws, CNET_EV_UNPIPE, ws_unpiped_end, NULL);
      cnet_unpipe(T.conn, T.ws);
      break;
    case ACT_PAUSE:
      cnet_stream_pause(T.conn);
      cnet_set_interval(&T.watch, watch_paused, NULL, 1);
      break;
    case ACT_WRITE_DESTROY:
      cnet_stream_write(T.ws, "x", 1, test_write_done, NULL);
      /* fall through */
    case ACT_DESTROY_FILE: {
      cnet_error e;
      cnet_error_set(&e, CNET_EIO, "test: the disk went away");
      cnet_stream_destroy(T.ws, &e);
      break;
    }
    default:
      break;
  }
  client_go_on();
}

/* Paused: once a splice job that was under way has ended (the file
 * holds every byte read), nothing more is read until the resume. */
static void watch_paused(cnet_timer *t, void *arg) {
  if (!T.conn || !T.ws) {
    cnet_timer_stop(t);
    return;
  }
  if (cnet_fs_write_stream_bytes_written(T.ws) < cnet_socket_bytes_read(T.conn)) return;
  cnet_timer_stop(t);
  T.paused_seen = cnet_stream_is_paused(T.conn);
  T.read_while_paused = cnet_socket_bytes_read(T.conn);
  cnet_stream_resume(T.conn);
}

static void watch(cnet_timer *t, void *arg) {
  if (!T.conn) {
    cnet_timer_stop(t);
    return;
  }
  if (cnet_socket_bytes_read(T.conn) >= T.at) {
    cnet_timer_stop(t);
    act();
  }
}

static void on_connection(const cnet_event *ev, void *arg) {
  T.conn = ev->object;
  static const struct {
    int type;
    const char *name;
  } src_evs[] = {{CNET_EV_END, "end"}, {CNET_EV_ERROR, "error"}, {CNET_EV_CLOSE, "close"}};
  for (size_t i = 0; i < sizeof src_evs / sizeof src_evs[0]; i++)
    cnet_on(T.conn, src_evs[i].type, src_on, (void *)src_evs[i].name);
  if (T.encoding) ASSERT_EQ(0, cnet_stream_set_encoding(T.conn, T.encoding));
  ASSERT_EQ(0, cnet_pipe(T.conn, T.ws, NULL));
  if (T.action != ACT_NONE && T.action != ACT_CLIENT_RESET)
    cnet_set_interval(&T.watch, watch, NULL, 1);
}

/* Reads what the socket has after an unpipe. */
static void ws_closed_read_rest(const cnet_event *ev, void *arg) {
  T.ws = NULL; /* freed after its 'close' */
  if (!T.conn || T.action == ACT_DATA_LISTENER || cnet_stream_destroyed(T.conn) ||
      cnet_stream_readable_ended(T.conn))
    return;
  /* The file failed or was unpiped: the socket was paused. */
  T.data_from = cnet_socket_bytes_read(T.conn);
  cnet_on(T.conn, CNET_EV_DATA, test_data, NULL);
  cnet_stream_resume(T.conn);
}

static void on_listening(const cnet_event *ev, void *arg) {
  cnet_address a;
  ASSERT_EQ(0, cnet_server_address(T.server, &a));
  cnet_connect_options o = {.port = a.port, .host = "127.0.0.1"};
  ASSERT_EQ(0, cnet_connect(T.loop, &o, client_connected, NULL, &T.client));
}

/* The server listens once the file is open, so that the order of events
 * does not depend on how soon the open ends. */
static void ws_ready_listen(const cnet_event *ev, void *arg) {
  cnet_once(T.server, CNET_EV_LISTENING, on_listening, NULL);
  ASSERT_EQ(0, cnet_server_listen(T.server, 0, "127.0.0.1", 0));
}

/* Runs one transfer of total bytes; the fast path is off with no_splice. */
static void run(bool no_splice, uint64_t total) {
  const char *flags = T.flags, *enc = T.encoding;
  enum action action = T.action;
  uint64_t at = T.at;
  memset(&T, 0, sizeof T);
  T.flags = flags;
  T.encoding = enc;
  T.action = action;
  T.at = at;
  T.total = total;
  T.limit = action == ACT_NONE || action == ACT_CLIENT_RESET ? total : at;
  if (no_splice)
    setenv("CNET_NO_SPLICE", "1", 1);
  else
    unsetenv("CNET_NO_SPLICE");
  cnet__splice_test_bytes = 0;
  sha256_init(&T.data_hash);
  T.loop = test_loop();
  T.chunk = malloc(CHUNK);
  const char *dir = getenv("TMPDIR");
  snprintf(T.path, sizeof T.path, "%s/cnet-splice-%ld", dir && *dir ? dir : "/tmp",
           (long)getpid());
  cnet_fs_stream_options fo = {.flags = T.flags};
  if (T.flags && T.flags[0] == 'a') unlink(T.path);
  ASSERT_EQ(0, cnet_fs_create_write_stream(T.loop, T.path, &fo, &T.ws));
  static const struct {
    int type;
    const char *name;
  } dst_evs[] = {{CNET_EV_PIPE, "pipe"},     {CNET_EV_OPEN, "open"},
                 {CNET_EV_READY, "ready"},   {CNET_EV_FINISH, "finish"},
                 {CNET_EV_UNPIPE, "unpipe"}, {CNET_EV_ERROR, "error"},
                 {CNET_EV_CLOSE, "close"}};
  for (size_t i = 0; i < sizeof dst_evs / sizeof dst_evs[0]; i++)
    cnet_on(T.ws, dst_evs[i].type, dst_on, (void *)dst_evs[i].name);
  cnet_on(T.ws, CNET_EV_CLOSE, ws_closed_read_rest, NULL);
  cnet_timer_init(T.loop, &T.watch);
  cnet_create_server(T.loop, NULL, on_connection, NULL, &T.server);
  cnet_once(T.ws, CNET_EV_READY, ws_ready_listen, NULL);
  test_run(T.loop);
  free(T.chunk);
  cnet_server_free(T.server);
  test_loop_close(T.loop);
}

/* The file holds the stream's first `size` bytes, exactly. */
static uint64_t assert_file_is_prefix(void) {
  char want[65], got[65];
  uint64_t size;
  sha256_file(T.path, got, &size);
  stream_hash(0, size, want);
  ASSERT_STR_EQ(want, got);
  return size;
}

/* ---- the tests ------------------------------------------------------------------ */

CNET_TEST(splice_file_holds_every_byte_and_counts_match) {
  run(false, 24 * MIB + 12345);
  ASSERT_EQ(24 * MIB + 12345, assert_file_is_prefix());
  ASSERT_EQ(24 * MIB + 12345, T.src_bytes_read);
  ASSERT_EQ(24 * MIB + 12345, T.ws_bytes_written);
  /* The fast path did the work (the first chunks, read before the file
   * was open, went the copying way). */
  ASSERT(spliced() >= 16 * MIB);
  ASSERT_STR_EQ("end close", T.src_events);
  ASSERT_STR_EQ("open ready pipe finish unpipe close", T.dst_events);
  unlink(T.path);
}

CNET_TEST(splice_events_are_those_of_the_copying_path) {
  run(true, 8 * MIB);
  ASSERT_EQ(0, spliced());
  char src[512], dst[512];
  strcpy(src, T.src_events);
  strcpy(dst, T.dst_events);
  run(false, 8 * MIB);
  ASSERT(spliced() > 0);
  ASSERT_STR_EQ(src, T.src_events);
  ASSERT_STR_EQ(dst, T.dst_events);
  ASSERT_EQ(8 * MIB, assert_file_is_prefix());
  unlink(T.path);
}

CNET_TEST(splice_late_data_listener_switches_to_copying) {
  T.action = ACT_DATA_LISTENER;
  T.at = 4 * MIB;
  run(false, 16 * MIB);
  ASSERT(T.spliced_at_action > 0);
  /* From the listener on, the bytes were read into memory: the listener
   * saw the rest of the stream, in order (from where the last splice
   * job, if one was under way, had stopped). */
  ASSERT(spliced() - T.spliced_at_action <= 4 * MIB);
  ASSERT(T.data_bytes >= 8 * MIB);
  assert_listener_got_the_tail(T.total - T.data_bytes);
  ASSERT_EQ(16 * MIB, assert_file_is_prefix());
  ASSERT_STR_EQ("end close", T.src_events);
  ASSERT_STR_EQ("open ready pipe finish unpipe close", T.dst_events);
  unlink(T.path);
}

CNET_TEST(splice_unpipe_mid_transfer_keeps_what_was_read) {
  T.action = ACT_UNPIPE;
  T.at = 3 * MIB;
  run(false, 8 * MIB);
  ASSERT(T.spliced_at_action > 0);
  /* Every byte read before the unpipe is in the file, the rest came to
   * the listener added after it: nothing lost, nothing twice. */
  uint64_t size = assert_file_is_prefix();
  ASSERT(size >= 3 * MIB);
  ASSERT_EQ(size, T.ws_bytes_written);
  ASSERT_EQ(size, T.data_from);
  assert_listener_got_the_tail(T.data_from);
  ASSERT_STR_EQ("open ready pipe unpipe finish close", T.dst_events);
  ASSERT_STR_EQ("end close", T.src_events);
  unlink(T.path);
}

/* Removes the first " word" from an event list. */
static void drop_word(char *list, const char *word) {
  char *at = strstr(list, word);
  if (at) memmove(at, at + strlen(word), strlen(at + strlen(word)) + 1);
}

CNET_TEST(splice_peer_reset_mid_transfer) {
  T.action = ACT_CLIENT_RESET;
  run(true, 16 * MIB);
  char src[512], dst[512];
  strcpy(src, T.src_events);
  strcpy(dst, T.dst_events);
  run(false, 16 * MIB);
  /* What the kernel delivered before the RST is in the file, and counted
   * alike on both sides; the socket fails as a read would. */
  uint64_t size = assert_file_is_prefix();
  ASSERT_EQ(size, T.src_bytes_read);
  ASSERT_EQ(size, T.ws_bytes_written);
  ASSERT(spliced() > 0);
  /* The RST may come before or after the last byte is read ('error' or
   * 'end'); either way the events are those of the copying path. One
   * exception: after an 'error', the file's 'unpipe' comes only if its
   * 'finish' (the server ends it from the socket's 'close') beats the
   * pipe's teardown a tick after that 'close' — which it does when no
   * write is on the pool at that moment, and cannot when a splice job is
   * (or a write of the copying path: the same race). */
  if (T.src_error) ASSERT_EQ(CNET_ECONNRESET, T.src_error);
  if (strcmp(src, T.src_events) == 0) {
    if (T.src_error) {
      drop_word(dst, " unpipe");
      drop_word(T.dst_events, " unpipe");
    }
    ASSERT_STR_EQ(dst, T.dst_events);
  }
  unlink(T.path);
}

CNET_TEST(splice_file_destroyed_mid_transfer) {
  T.action = ACT_DESTROY_FILE;
  T.at = 2 * MIB;
  run(true, 8 * MIB);
  char src[512], dst[512];
  strcpy(src, T.src_events);
  strcpy(dst, T.dst_events);
  run(false, 8 * MIB);
  ASSERT(T.spliced_at_action > 0);
  ASSERT_EQ(CNET_EIO, T.dst_error);
  /* The file's 'error' unpipes it, as without the fast path; what the
   * socket read before is in the file (what it read between the destroy
   * and the unpipe went to the destroyed stream, as it does without the
   * fast path), the rest came to a listener. */
  ASSERT_STR_EQ(dst, T.dst_events);
  ASSERT_STR_EQ(src, T.src_events);
  uint64_t size = assert_file_is_prefix();
  ASSERT_EQ(size, T.ws_bytes_written);
  ASSERT(size >= 2 * MIB && size <= T.data_from);
  assert_listener_got_the_tail(T.data_from);
  unlink(T.path);
}

/* A failing write(2) and a failing splice(2) end the same way. */
static void run_file_too_large(bool no_splice) {
  signal(SIGXFSZ, SIG_IGN);
  struct rlimit rl;
  getrlimit(RLIMIT_FSIZE, &rl);
  struct rlimit small = {4 * MIB, rl.rlim_max};
  ASSERT_EQ(0, setrlimit(RLIMIT_FSIZE, &small));
  run(no_splice, 8 * MIB);
  setrlimit(RLIMIT_FSIZE, &rl);
}

CNET_TEST(splice_write_error_as_in_the_copying_path) {
  run_file_too_large(true);
  ASSERT_EQ(CNET_EFBIG, T.dst_error);
  char dst[512];
  strcpy(dst, T.dst_events);
  uint64_t copied = T.ws_bytes_written;
  run_file_too_large(false);
  ASSERT(spliced() > 0);
  ASSERT_EQ(CNET_EFBIG, T.dst_error);
  ASSERT_STR_EQ(dst, T.dst_events);
  /* bytesWritten leaves out the write that failed, whose bytes partly
   * reached the file: how much that is depends on the chunking. */
  ASSERT(copied <= 4 * MIB);
  ASSERT(T.ws_bytes_written <= 4 * MIB);
  ASSERT_EQ(4 * MIB, assert_file_is_prefix());
  unlink(T.path);
}

CNET_TEST(splice_not_used_with_an_encoding) {
  T.encoding = "hex";
  run(false, 1 * MIB);
  ASSERT_EQ(0, spliced());
  struct stat st;
  ASSERT_EQ(0, stat(T.path, &st));
  ASSERT_EQ(2 * MIB, st.st_size); /* the file got text, as in Node */
  unlink(T.path);
}

CNET_TEST(splice_not_used_for_an_append_mode_file) {
  T.flags = "a";
  run(false, 4 * MIB);
  ASSERT_EQ(0, spliced());
  ASSERT_EQ(4 * MIB, assert_file_is_prefix());
  unlink(T.path);
}

CNET_TEST(splice_pause_and_resume_mid_transfer) {
  T.action = ACT_PAUSE;
  T.at = 3 * MIB;
  run(false, 8 * MIB);
  ASSERT(T.spliced_at_action > 0);
  ASSERT(T.paused_seen);
  ASSERT(T.read_while_paused >= 3 * MIB);
  /* After the resume the fast path took over again, and the file holds
   * every byte in order. */
  ASSERT(spliced() > T.spliced_at_action);
  ASSERT_EQ(8 * MIB, assert_file_is_prefix());
  ASSERT_EQ(8 * MIB, T.src_bytes_read);
  ASSERT_EQ(8 * MIB, T.ws_bytes_written);
  ASSERT_STR_EQ("end close", T.src_events);
  ASSERT_STR_EQ("open ready pipe finish unpipe close", T.dst_events);
  unlink(T.path);
}

/* A write of the user's own that waits for a splice job, then a destroy:
 * the write's callback still comes, once, with an error, as it does when
 * the write waited for the file to open. */
CNET_TEST(splice_write_waiting_for_a_job_gets_its_callback_on_destroy) {
  T.action = ACT_WRITE_DESTROY;
  T.at = 2 * MIB;
  run(false, 8 * MIB);
  ASSERT(T.spliced_at_action > 0);
  ASSERT_EQ(CNET_EIO, T.dst_error);
  ASSERT_EQ(1, T.write_cbs);
  /* The destroy's error when the write waited for a job; a write of
   * the copying path's that was under way gets ERR_STREAM_DESTROYED. */
  ASSERT(T.write_cb_error != 0);
}
