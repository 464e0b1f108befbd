/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* cnet-test-labels: unit threads
 * No byte lost, none changed: 64 MiB piped from a socket into a file,
 * with a clean end and with an RST right after the last write; and the
 * loop keeps running timers while a file stream writes 100 MiB (to a
 * regular file, and to a FIFO whose reader holds the writer blocked in
 * the kernel until the loop has shown it is free). The data is a
 * pseudo-random stream that any offset can regenerate, so every received
 * byte is checked against what was sent. Nothing sleeps: every wait is on
 * an event or a condition variable. */
#include "harness.h"
#include "pattern.h"
#include "sha256.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#define MIB (1024u * 1024u)
#define CHUNK (64u * 1024u)

/* ---- the data --------------------------------------------------------------- */

/* Whether data is the stream's bytes at off (fill and memcmp: much
 * cheaper than hashing without optimisation). */
static bool matches(uint64_t off, const void *data, size_t len) {
  static uint8_t want[CHUNK];
  const uint8_t *p = data;
  while (len) {
    size_t n = len < sizeof want ? len : sizeof want;
    pattern_fill(off, want, n);
    if (memcmp(want, p, n) != 0) return false;
    p += n;
    off += n;
    len -= n;
  }
  return true;
}

static void temp_path(char *out, size_t size, const char *name) {
  const char *dir = getenv("TMPDIR");
  snprintf(out, size, "%s/cnet-%s-%ld", dir && *dir ? dir : "/tmp", name, (long)getpid());
}

CNET_TEST(sha256_known_answers) {
  sha256 c;
  char hex[65];
  sha256_init(&c);
  sha256_update(&c, "abc", 3);
  sha256_hex(&c, hex);
  ASSERT_STR_EQ("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", hex);
  sha256_init(&c);
  const char *s = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
  for (size_t i = 0; i < strlen(s); i++) sha256_update(&c, s + i, 1);
  sha256_hex(&c, hex);
  ASSERT_STR_EQ("248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1", hex);
}

/* ---- 64 MiB, socket -> file ----------------------------------------------------- */

#define PIPE_TOTAL (64u * MIB)

static struct {
  cnet_loop *loop;
  cnet_server *server;
  cnet_socket *client;
  cnet_fs_write_stream *ws;
  char path[256];
  bool rst;
  uint64_t sent;
  uint64_t received;
  bool mismatch;
  bool ended;     /* the server socket saw 'end' */
  bool errored;   /* ... or an error */
  int ws_closed;
  sha256 recv_hash;
  char *chunk;
} P;

static void send_more(void);

static void client_drain(const cnet_event *ev, void *arg) {
  (void)ev;
  (void)arg;
  send_more();
}

static void send_more(void) {
  while (P.sent < PIPE_TOTAL) {
    pattern_fill(P.sent, P.chunk, CHUNK);
    bool ok = cnet_socket_write(P.client, P.chunk, CHUNK, NULL, NULL);
    P.sent += CHUNK;
    if (P.sent == PIPE_TOTAL) {
      if (P.rst)
        cnet_socket_reset_and_destroy(P.client); /* right after the last write */
      else
        cnet_socket_end(P.client, NULL, 0, NULL, NULL);
      return;
    }
    if (!ok) {
      cnet_once(P.client, CNET_EV_DRAIN, client_drain, NULL);
      return;
    }
  }
}

static void client_connected(void *target, const cnet_error *err, void *arg) {
  (void)target;
  (void)err;
  
  (void)arg;
  send_more();
}

/* A second 'data' listener next to the pipe's: what the server got. */
static void server_data(const cnet_event *ev, void *arg) {
  (void)arg;
  if (!matches(P.received, ev->data, ev->len)) P.mismatch = true;
  sha256_update(&P.recv_hash, ev->data, ev->len);
  P.received += ev->len;
}

static void server_end(const cnet_event *ev, void *arg) {
  (void)ev;
  (void)arg;
  P.ended = true;
}

static void server_error(const cnet_event *ev, void *arg) {
  (void)arg;
  ASSERT_EQ(CNET_ECONNRESET, ev->error->code);
  P.errored = true;
}

static void server_sock_close(const cnet_event *ev, void *arg) {
  (void)ev;
  (void)arg;
  /* An RST is no 'end': pipe() leaves the file open (as Node's does),
   * and the server ends it itself. */
  if (!P.ended) cnet_stream_end(P.ws, NULL, 0, NULL, NULL);
  cnet_server_close(P.server, NULL, NULL);
}

static void on_connection(const cnet_event *ev, void *arg) {
  (void)arg;
  cnet_socket *s = ev->object;
  cnet_on(s, CNET_EV_DATA, server_data, NULL);
  cnet_on(s, CNET_EV_END, server_end, NULL);
  cnet_on(s, CNET_EV_ERROR, server_error, NULL);
  cnet_on(s, CNET_EV_CLOSE, server_sock_close, NULL);
  ASSERT_EQ(0, cnet_pipe(s, P.ws, NULL));
}

static void ws_close(const cnet_event *ev, void *arg) {
  (void)ev;
  (void)arg;
  P.ws_closed++;
}

static void on_listening(const cnet_event *ev, void *arg) {
  (void)ev;
  (void)arg;
  cnet_address a;
  ASSERT_EQ(0, cnet_server_address(P.server, &a));
  cnet_connect_options o = {.port = a.port, .host = "127.0.0.1"};
  ASSERT_EQ(0, cnet_connect(P.loop, &o, client_connected, NULL, &P.client));
}

static void run_pipe_to_file(bool rst) {
  memset(&P, 0, sizeof P);
  P.rst = rst;
  P.loop = test_loop();
  P.chunk = malloc(CHUNK);
  ASSERT_NOT_NULL(P.chunk);
  sha256_init(&P.recv_hash);
  temp_path(P.path, sizeof P.path, rst ? "pipe-rst" : "pipe-end");
  ASSERT_EQ(0, cnet_fs_create_write_stream(P.loop, P.path, NULL, &P.ws));
  cnet_on(P.ws, CNET_EV_CLOSE, ws_close, NULL);
  cnet_create_server(P.loop, NULL, on_connection, NULL, &P.server);
  ASSERT_NOT_NULL(P.server);
  cnet_once(P.server, CNET_EV_LISTENING, on_listening, NULL);
  ASSERT_EQ(0, cnet_server_listen(P.server, 0, "127.0.0.1", 0));
  test_run(P.loop);

  ASSERT_EQ(1, P.ws_closed);
  ASSERT(!P.mismatch);
  char recv_hex[65], file_hex[65];
  uint64_t file_size;
  sha256_hex(&P.recv_hash, recv_hex);
  sha256_file(P.path, file_hex, &file_size);
  /* The file holds exactly what the server received... */
  ASSERT_EQ(P.received, file_size);
  ASSERT_STR_EQ(recv_hex, file_hex);
  if (rst) {
    /* ... which, after an RST, is what the kernel delivered: a prefix of
     * what was sent (checked byte by byte above). */
    ASSERT(P.received <= PIPE_TOTAL);
    ASSERT(P.errored || P.ended);
  } else {
    /* ... which, after a clean end, is everything that was sent (every
     * byte received was checked against what was sent). */
    ASSERT(P.ended);
    ASSERT_EQ(PIPE_TOTAL, P.received);
  }
  unlink(P.path);
  free(P.chunk);
  cnet_server_free(P.server);
  test_loop_close(P.loop);
}

CNET_TEST(pipe_64m_socket_to_file_clean_end) { run_pipe_to_file(false); }
CNET_TEST(pipe_64m_socket_to_file_rst) { run_pipe_to_file(true); }

/* ---- 100 MiB written while timers run ---------------------------------------- */

#define BIG_TOTAL (100u * MIB)

static struct {
  cnet_loop *loop;
  cnet_fs_write_stream *ws;
  cnet_timer timer;
  char path[256];
  char *chunk;
  uint64_t written;
  unsigned ticks;          /* timer callbacks */
  unsigned ticks_pending;  /* ... while the stream still held unwritten data */
  unsigned release_after;  /* FIFO: wake the reader after this many */
  bool finished;
  int closed;
} B;

static void big_write_more(void);
static void big_drain(const cnet_event *ev, void *arg) {
  (void)ev;
  (void)arg;
  big_write_more();
}

static void big_write_more(void) {
  while (B.written < BIG_TOTAL) {
    pattern_fill(B.written, B.chunk, CHUNK);
    bool ok = cnet_stream_write(B.ws, B.chunk, CHUNK, NULL, NULL);
    B.written += CHUNK;
    if (B.written == BIG_TOTAL) {
      cnet_stream_end(B.ws, NULL, 0, NULL, NULL);
      return;
    }
    if (!ok) {
      cnet_once(B.ws, CNET_EV_DRAIN, big_drain, NULL);
      return;
    }
  }
}

static pthread_mutex_t gate_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t gate_cv = PTHREAD_COND_INITIALIZER;
static bool gate_open;

static void big_tick(cnet_timer *t, void *arg) {
  (void)t;
  (void)arg;
  B.ticks++;
  if (cnet_stream_writable_length(B.ws) > 0) B.ticks_pending++;
  if (B.release_after && B.ticks_pending == B.release_after) {
    pthread_mutex_lock(&gate_mu);
    gate_open = true;
    pthread_cond_broadcast(&gate_cv);
    pthread_mutex_unlock(&gate_mu);
  }
}

static void big_finish(const cnet_event *ev, void *arg) {
  (void)ev;
  (void)arg;
  /* 'finish' comes only once everything is written. */
  ASSERT_EQ(0, cnet_stream_writable_length(B.ws));
  ASSERT_EQ(BIG_TOTAL, cnet_fs_write_stream_bytes_written(B.ws));
  B.finished = true;
  cnet_timer_stop(&B.timer);
}

static void big_close(const cnet_event *ev, void *arg) {
  (void)ev;
  (void)arg;
  B.closed++;
}

static void big_start(const char *name) {
  memset(&B, 0, sizeof B);
  B.loop = test_loop();
  B.chunk = malloc(CHUNK);
  ASSERT_NOT_NULL(B.chunk);
  temp_path(B.path, sizeof B.path, name);
  cnet_timer_init(B.loop, &B.timer);
}

static void big_run(void) {
  ASSERT_EQ(0, cnet_fs_create_write_stream(B.loop, B.path, NULL, &B.ws));
  cnet_on(B.ws, CNET_EV_FINISH, big_finish, NULL);
  cnet_on(B.ws, CNET_EV_CLOSE, big_close, NULL);
  ASSERT_EQ(0, cnet_set_interval(&B.timer, big_tick, NULL, 1));
  big_write_more();
  test_run(B.loop);
  ASSERT(B.finished);
  ASSERT_EQ(1, B.closed);
}

CNET_TEST(fs_write_100m_timers_keep_running) {
  big_start("big");
  big_run();
  /* The loop ran timers while data waited for the disk. */
  ASSERT(B.ticks_pending >= 3);
  /* Every byte landed, in order. */
  FILE *f = fopen(B.path, "rb");
  ASSERT_NOT_NULL(f);
  uint64_t off = 0;
  size_t n;
  while ((n = fread(B.chunk, 1, CHUNK, f)) > 0) {
    ASSERT(matches(off, B.chunk, n));
    off += n;
  }
  fclose(f);
  ASSERT_EQ(BIG_TOTAL, off);
  unlink(B.path);
  free(B.chunk);
  test_loop_close(B.loop);
}

/* The reader of the FIFO: it opens it (which lets the stream's open on
 * the pool complete), then waits at the gate, so the writer fills the
 * pipe and blocks in write(2) on a pool thread. The loop opens the gate
 * after its timer has fired 20 times with data still unwritten; the
 * reader notes that the pipe was full then, and reads everything. */
static struct {
  const char *path;
  int pipe_size;
  int full_at_release;
  uint64_t got;
  bool mismatch;
} R;

static void *fifo_reader(void *arg) {
  (void)arg;
  int fd = open(R.path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return NULL;
  R.pipe_size = fcntl(fd, F_GETPIPE_SZ);
  pthread_mutex_lock(&gate_mu);
  while (!gate_open) pthread_cond_wait(&gate_cv, &gate_mu);
  pthread_mutex_unlock(&gate_mu);
  ioctl(fd, FIONREAD, &R.full_at_release);
  static uint8_t buf[CHUNK];
  for (;;) {
    ssize_t n = read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    if (!matches(R.got, buf, (size_t)n)) R.mismatch = true;
    R.got += (uint64_t)n;
  }
  close(fd);
  return NULL;
}

CNET_TEST(fs_write_100m_blocked_writer_leaves_loop_free) {
  big_start("fifo");
  ASSERT_EQ(0, mkfifo(B.path, 0600));
  B.release_after = 20;
  gate_open = false;
  memset(&R, 0, sizeof R);
  R.path = B.path;
  pthread_t reader;
  ASSERT_EQ(0, pthread_create(&reader, NULL, fifo_reader, NULL));
  big_run();
  pthread_join(reader, NULL);
  /* When the loop let the reader go, the pipe was full and the stream
   * still had data: its writer was blocked in the kernel, on the pool,
   * while the loop ran 20 timer callbacks. */
  ASSERT(R.pipe_size > 0);
  ASSERT_EQ(R.pipe_size, R.full_at_release);
  ASSERT(B.ticks_pending >= 20);
  ASSERT(!R.mismatch);
  ASSERT_EQ(BIG_TOTAL, R.got);
  unlink(B.path);
  free(B.chunk);
  test_loop_close(B.loop);
}
