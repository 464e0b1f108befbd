/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* cnet-test-labels: unit threads
 * Streams beyond sockets: file read and write streams (events, offsets,
 * errors with Node's messages, pause with a read in flight, destroy), the
 * memory sink, pipe() between them (several destinations, unpipe, errors,
 * a source that already ended, bad arguments) and stdin/stdout on pipes,
 * files and a pty, checking that the descriptors shared with the parent
 * keep their flags. File I/O runs on the worker pool, hence the threads
 * label (these tests also run under ThreadSanitizer). */
#include "harness.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- helpers ----------------------------------------------------------------- */

static char dir[256];

static void make_dir(void) {
  const char *t = getenv("TMPDIR");
  snprintf(dir, sizeof dir, "%s/cnet-stream-XXXXXX", t && *t ? t : "/tmp");
  ASSERT_NOT_NULL(mkdtemp(dir));
}

static const char *path_of(const char *name) {
  static char buf[4][512];
  static int i;
  char *p = buf[i++ % 4];
  snprintf(p, 512, "%s/%s", dir, name);
  return p;
}

static void write_file(const char *path, const char *text) {
  FILE *f = fopen(path, "wb");
  ASSERT_NOT_NULL(f);
  fputs(text, f);
  fclose(f);
}

static char *read_file(const char *path) {
  static char buf[1 << 16];
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  size_t n = fread(buf, 1, sizeof buf - 1, f);
  fclose(f);
  buf[n] = '\0';
  return buf;
}

static void remove_dir(void) {
  char cmd[600];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  ASSERT_EQ(0, system(cmd));
}

/* Listeners that trace "<tag>:<event>". */
static void tr(const cnet_event *ev, void *arg) {
  const char *tag = arg;
  switch (ev->type) {
    case CNET_EV_DATA: test_trace("%s:data(%.*s)", tag, (int)ev->len, ev->data); break;
    case CNET_EV_ERROR: test_trace("%s:error(%s)", tag, ev->error->message); break;
    default: test_trace("%s:%s", tag, cnet_event_name((int)ev->type)); break;
  }
}

static void trace_all(void *s, const char *tag, bool data) {
  static const int evs[] = {CNET_EV_OPEN, CNET_EV_READY, CNET_EV_END, CNET_EV_FINISH,
                            CNET_EV_ERROR, CNET_EV_CLOSE, CNET_EV_PIPE, CNET_EV_UNPIPE};
  for (size_t i = 0; i < sizeof evs / sizeof evs[0]; i++) cnet_on(s, evs[i], tr, (void *)tag);
  if (data) cnet_on(s, CNET_EV_DATA, tr, (void *)tag);
}

/* ---- read streams ------------------------------------------------------------- */

CNET_TEST(fs_read_chunks_of_high_water_mark) {
  make_dir();
  write_file(path_of("a.txt"), "0123456789");
  cnet_loop *loop = test_loop();
  cnet_fs_stream_options o = {.high_water_mark = 3};
  int err = 1;
  cnet_fs_read_stream *rs = NULL;
  err = cnet_fs_create_read_stream(loop, path_of("a.txt"), &o, &rs);
  ASSERT_NOT_NULL(rs);
  ASSERT_EQ(0, err);
  ASSERT(cnet_fs_read_stream_pending(rs));
  ASSERT(cnet_is_stream(rs));
  trace_all(rs, "r", true);
  test_run(loop);
  ASSERT_TRACE("r:open r:ready r:data(012) r:data(345) r:data(678) r:data(9) r:end r:close");
  test_loop_close(loop);
  remove_dir();
}

CNET_TEST(fs_read_start_end_inclusive) {
  make_dir();
  write_file(path_of("a.txt"), "abcdefghij");
  cnet_loop *loop = test_loop();
  cnet_fs_stream_options o = {.has_start = true, .start = 2, .has_end = true, .end = 5,
                              .high_water_mark = 64};
  cnet_fs_read_stream *rs = NULL;
  cnet_fs_create_read_stream(loop, path_of("a.txt"), &o, &rs);
  ASSERT_NOT_NULL(rs);
  cnet_on(rs, CNET_EV_DATA, tr, "r");
  cnet_on(rs, CNET_EV_END, tr, "r");
  test_run(loop);
  ASSERT_TRACE("r:data(cdef) r:end");
  test_loop_close(loop);
  remove_dir();
}

CNET_TEST(fs_read_enoent_error_message) {
  make_dir();
  cnet_loop *loop = test_loop();
  const char *p = path_of("missing.txt");
  cnet_fs_read_stream *rs = NULL;
  cnet_fs_create_read_stream(loop, p, NULL, &rs);
  ASSERT_NOT_NULL(rs);
  trace_all(rs, "r", true);
  test_run(loop);
  char want[700];
  snprintf(want, sizeof want, "r:error(ENOENT: no such file or directory, open '%s') r:close", p);
  ASSERT_TRACE(want);
  test_loop_close(loop);
  remove_dir();
}

CNET_TEST(fs_read_directory_fails_on_read) {
  make_dir();
  cnet_loop *loop = test_loop();
  cnet_fs_read_stream *rs = NULL;
  cnet_fs_create_read_stream(loop, dir, NULL, &rs);
  ASSERT_NOT_NULL(rs);
  trace_all(rs, "r", true);
  test_run(loop);
  ASSERT_TRACE("r:open r:ready r:error(EISDIR: illegal operation on a directory, read) r:close");
  test_loop_close(loop);
  remove_dir();
}

CNET_TEST(fs_read_bad_arguments) {
  cnet_loop *loop = test_loop();
  cnet_fs_read_stream *rs = (cnet_fs_read_stream *)loop;
  cnet_fs_stream_options bad_flags = {.flags = "rw"};
  ASSERT_EQ(CNET_ERR_INVALID_ARG_VALUE,
            cnet_fs_create_read_stream(loop, "x", &bad_flags, &rs));
  ASSERT_NULL(rs);
  cnet_fs_stream_options bad_range = {.has_start = true, .start = 5, .has_end = true, .end = 4};
  ASSERT_EQ(CNET_ERR_OUT_OF_RANGE,
            cnet_fs_create_read_stream(loop, "x", &bad_range, &rs));
  ASSERT_EQ(CNET_EINVAL, cnet_fs_create_read_stream(
                             loop, NULL, &(cnet_fs_stream_options){.fd = -1}, &rs));
  test_loop_close(loop);
}

CNET_TEST(fs_read_set_encoding) {
  make_dir();
  write_file(path_of("a.txt"), "hi!");
  cnet_loop *loop = test_loop();
  cnet_fs_read_stream *rs = NULL;
  cnet_fs_create_read_stream(loop, path_of("a.txt"), NULL, &rs);
  ASSERT_EQ(0, cnet_stream_set_encoding(rs, "hex"));
  cnet_on(rs, CNET_EV_DATA, tr, "r");
  test_run(loop);
  ASSERT_TRACE("r:data(686921)");
  test_loop_close(loop);
  remove_dir();
}

/* Paused while a read is in flight: the chunk it brings waits, and comes
 * after 'resume', in order, with nothing lost or read twice. */
static cnet_loop *held_loop;
static void *held_rs;
static int held_pauses;
static uint64_t held_bytes;
/* With one pool thread, a marker stream's open runs after the read
 * submitted before it, and its 'open' comes after the read's completion:
 * the read landed while the stream was paused. */
static void held_resume(const cnet_event *ev, void *arg) {
  (void)arg;
  cnet_stream_destroy(ev->target, NULL);
  test_trace("resume()");
  cnet_stream_resume(held_rs);
}
static void held_pause_tick(void *arg) {
  test_trace("pause()");
  cnet_stream_pause(arg);
  held_rs = arg;
  cnet_fs_read_stream *marker;
  ASSERT_EQ(0, cnet_fs_create_read_stream(held_loop, path_of("a.txt"), NULL, &marker));
  cnet_on(marker, CNET_EV_OPEN, held_resume, NULL);
}
static void held_data(const cnet_event *ev, void *arg) {
  (void)arg;
  test_trace("data(%.*s)", (int)ev->len, ev->data);
  /* After this listener the stream starts its next read: pause once it
   * is under way (a tick later). */
  if (held_pauses++ < 2) cnet_next_tick(held_loop, held_pause_tick, ev->target);
}
static void held_event(const cnet_event *ev, void *arg) {
  (void)arg;
  test_trace("%s", cnet_event_name((int)ev->type));
  if (ev->type == CNET_EV_END) held_bytes = cnet_fs_read_stream_bytes_read(ev->target);
}

CNET_TEST(fs_read_pause_with_read_in_flight_keeps_the_chunk) {
  setenv("CNET_THREADPOOL_SIZE", "1", 1);
  make_dir();
  write_file(path_of("a.txt"), "aabbccdd");
  cnet_loop *loop = held_loop = test_loop();
  cnet_fs_stream_options o = {.high_water_mark = 2};
  cnet_fs_read_stream *rs = NULL;
  cnet_fs_create_read_stream(loop, path_of("a.txt"), &o, &rs);
  cnet_on(rs, CNET_EV_RESUME, held_event, NULL);
  cnet_on(rs, CNET_EV_END, held_event, NULL);
  cnet_on(rs, CNET_EV_DATA, held_data, NULL);
  test_run(loop);
  ASSERT_TRACE("resume data(aa) pause() resume() resume data(bb) pause() resume() resume "
               "data(cc) data(dd) end");
  ASSERT_EQ(8, held_bytes);
  test_loop_close(loop);
  remove_dir();
}

/* destroy() in the middle: no 'end', 'close' once the fd is closed. */
static int destroyed_fd = -1;
static void open_fd(const cnet_event *ev, void *arg) {
  (void)arg;
  destroyed_fd = CNET_EVENT_FD(ev);
}
static void destroy_on_data(const cnet_event *ev, void *arg) {
  (void)arg;
  cnet_stream_destroy(ev->target, NULL);
  ASSERT(cnet_stream_destroyed(ev->target));
}
static void fd_closed_on_close(const cnet_event *ev, void *arg) {
  (void)ev;
  (void)arg;
  ASSERT(destroyed_fd >= 0);
  ASSERT_EQ(-1, fcntl(destroyed_fd, F_GETFD));
  ASSERT_EQ(EBADF, errno);
}

CNET_TEST(fs_read_destroy_closes_the_fd_before_close) {
  make_dir();
  write_file(path_of("a.txt"), "0123456789");
  cnet_loop *loop = test_loop();
  cnet_fs_stream_options o = {.high_water_mark = 2};
  cnet_fs_read_stream *rs = NULL;
  cnet_fs_create_read_stream(loop, path_of("a.txt"), &o, &rs);
  cnet_on(rs, CNET_EV_OPEN, open_fd, NULL);
  trace_all(rs, "r", true);
  cnet_on(rs, CNET_EV_DATA, destroy_on_data, NULL);
  cnet_on(rs, CNET_EV_CLOSE, fd_closed_on_close, NULL);
  test_run(loop);
  ASSERT_TRACE("r:open r:ready r:data(01) r:close");
  test_loop_close(loop);
  remove_dir();
}

/* An fd of the caller's, not closed (autoClose: false), read from its
 * current position. */
CNET_TEST(fs_read_fd_no_auto_close) {
  make_dir();
  write_file(path_of("a.txt"), "skip:rest");
  int fd = open(path_of("a.txt"), O_RDONLY);
  ASSERT(fd >= 0);
  ASSERT_EQ(5, lseek(fd, 5, SEEK_SET));
  cnet_loop *loop = test_loop();
  cnet_fs_stream_options o = {.fd = fd, .no_auto_close = true};
  cnet_fs_read_stream *rs = NULL;
  cnet_fs_create_read_stream(loop, NULL, &o, &rs);
  ASSERT_NOT_NULL(rs);
  ASSERT(!cnet_fs_read_stream_pending(rs));
  ASSERT_NULL(cnet_fs_read_stream_path(rs));
  trace_all(rs, "r", true);
  test_run(loop);
  ASSERT_TRACE("r:data(rest) r:end r:close");
  ASSERT(fcntl(fd, F_GETFD) >= 0);
  close(fd);
  test_loop_close(loop);
  remove_dir();
}

/* ---- write streams -------------------------------------------------------------- */

static const char *ws_path;
static size_t ws_total;
static void size_on_finish(const cnet_event *ev, void *arg) {
  (void)ev;
  (void)arg;
  struct stat st;
  ASSERT_EQ(0, stat(ws_path, &st));
  /* 'finish' comes once every byte is in the file. */
  ASSERT_EQ(ws_total, (size_t)st.st_size);
  ASSERT_EQ(ws_total, cnet_fs_write_stream_bytes_written(ev->target));
  ASSERT_EQ(0, cnet_stream_writable_length(ev->target));
}

CNET_TEST(fs_write_in_order_finish_after_data_close_after_fd) {
  make_dir();
  ws_path = path_of("out.txt");
  cnet_loop *loop = test_loop();
  cnet_fs_write_stream *ws = NULL;
  cnet_fs_create_write_stream(loop, ws_path, NULL, &ws);
  ASSERT_NOT_NULL(ws);
  ASSERT(cnet_fs_write_stream_pending(ws));
  ASSERT_EQ(16384, cnet_stream_writable_high_water_mark(ws));
  trace_all(ws, "w", false);
  cnet_on(ws, CNET_EV_FINISH, size_on_finish, NULL);
  char expect[8000];
  size_t n = 0;
  ws_total = 0;
  for (int i = 0; i < 1000; i++) {
    char line[16];
    int len = snprintf(line, sizeof line, "%d,", i);
    cnet_stream_write(ws, line, (size_t)len, NULL, NULL);
    memcpy(expect + n, line, (size_t)len);
    n += (size_t)len;
  }
  ws_total = n;
  expect[n] = '\0';
  ASSERT_EQ(n, cnet_stream_writable_length(ws));
  ASSERT_EQ(0, cnet_stream_end(ws, NULL, 0, NULL, NULL));
  ASSERT(cnet_stream_writable_ended(ws));
  test_run(loop);
  ASSERT_TRACE("w:open w:ready w:finish w:close");
  ASSERT_STR_EQ(expect, read_file(ws_path));
  test_loop_close(loop);
  remove_dir();
}

CNET_TEST(fs_write_flags_and_start) {
  make_dir();
  write_file(path_of("a.txt"), "start:");
  write_file(path_of("b.txt"), "0123456789");
  cnet_loop *loop = test_loop();
  cnet_fs_stream_options append = {.flags = "a"};
  cnet_fs_write_stream *a = NULL;
  cnet_fs_create_write_stream(loop, path_of("a.txt"), &append, &a);
  cnet_stream_end(a, "appended", 8, NULL, NULL);
  cnet_fs_stream_options mid = {.flags = "r+", .has_start = true, .start = 3};
  cnet_fs_write_stream *b = NULL;
  cnet_fs_create_write_stream(loop, path_of("b.txt"), &mid, &b);
  cnet_stream_write(b, "ab", 2, NULL, NULL);
  cnet_stream_end(b, "cd", 2, NULL, NULL);
  cnet_fs_stream_options excl = {.flags = "wx"};
  cnet_fs_write_stream *c = NULL;
  cnet_fs_create_write_stream(loop, path_of("b.txt"), &excl, &c);
  trace_all(c, "c", false);
  test_run(loop);
  char want[700];
  snprintf(want, sizeof want, "c:error(EEXIST: file already exists, open '%s') c:close",
           path_of("b.txt"));
  ASSERT_TRACE(want);
  ASSERT_STR_EQ("start:appended", read_file(path_of("a.txt")));
  ASSERT_STR_EQ("012abcd789", read_file(path_of("b.txt")));
  test_loop_close(loop);
  remove_dir();
}

static void write_cb(void *obj, const cnet_error *err, void *arg) {
  (void)obj;
  test_trace("%s:cb(%s)", (const char *)arg, err ? cnet_err_name(err->code) : "ok");
}

/* Writes made before an open that fails get the error, and so does the
 * end callback; 'error' once, then 'close'. */
CNET_TEST(fs_write_open_error_fails_waiting_writes) {
  make_dir();
  cnet_loop *loop = test_loop();
  const char *p = path_of("no/such/dir.txt");
  cnet_fs_write_stream *ws = NULL;
  cnet_fs_create_write_stream(loop, p, NULL, &ws);
  trace_all(ws, "w", false);
  ASSERT(cnet_stream_write(ws, "x", 1, write_cb, "w1"));
  cnet_stream_write(ws, "y", 1, write_cb, "w2");
  test_run(loop);
  char want[700];
  snprintf(want, sizeof want,
           "w1:cb(ENOENT) w2:cb(ENOENT) "
           "w:error(ENOENT: no such file or directory, open '%s') w:close", p);
  ASSERT_TRACE(want);
  test_loop_close(loop);
  remove_dir();
}

CNET_TEST(fs_write_after_end) {
  make_dir();
  cnet_loop *loop = test_loop();
  cnet_fs_write_stream *ws = NULL;
  cnet_fs_create_write_stream(loop, path_of("o.txt"), NULL, &ws);
  trace_all(ws, "w", false);
  cnet_stream_end(ws, "a", 1, write_cb, "end");
  ASSERT(!cnet_stream_write(ws, "b", 1, write_cb, "late"));
  test_run(loop);
  /* Node's order: both callbacks, then 'error', then 'close'. */
  ASSERT_TRACE("late:cb(ERR_STREAM_WRITE_AFTER_END) end:cb(ERR_STREAM_WRITE_AFTER_END) "
               "w:error(write after end) w:close");
  test_loop_close(loop);
  remove_dir();
}

static void close_cb(void *obj, const cnet_error *err, void *arg) {
  (void)obj;
  test_trace("%s:closecb(%s)", (const char *)arg, err ? cnet_err_name(err->code) : "ok");
}

CNET_TEST(fs_stream_close_methods) {
  make_dir();
  write_file(path_of("a.txt"), "abc");
  cnet_loop *loop = test_loop();
  cnet_fs_write_stream *ws = NULL;
  cnet_fs_create_write_stream(loop, path_of("o.txt"), NULL, &ws);
  cnet_stream_write(ws, "data", 4, NULL, NULL);
  ASSERT_EQ(0, cnet_fs_write_stream_close(ws, close_cb, "w"));
  cnet_fs_read_stream *rs = NULL;
  cnet_fs_create_read_stream(loop, path_of("a.txt"), NULL, &rs);
  ASSERT_EQ(0, cnet_fs_read_stream_close(rs, close_cb, "r"));
  test_run(loop);
  ASSERT_TRACE("r:closecb(ERR_STREAM_PREMATURE_CLOSE) w:closecb(ok)");
  ASSERT_STR_EQ("data", read_file(path_of("o.txt")));
  test_loop_close(loop);
  remove_dir();
}

/* ---- the memory sink ------------------------------------------------------------ */

static cnet_memory_sink *held_sink;
CNET_TEST(memory_sink_collects_and_drains) {
  cnet_loop *loop = test_loop();
  cnet_memory_sink_options o = {.high_water_mark = 4, .slow = true};
  cnet_memory_sink *m;
  ASSERT_EQ(0, cnet_memory_sink_new(loop, &o, &m));
  held_sink = m;
  ASSERT_EQ(0, cnet_stream_hold(m));
  trace_all(m, "m", false);
  cnet_on(m, CNET_EV_DRAIN, tr, "m");
  ASSERT(cnet_stream_write(m, "ab", 2, write_cb, "1"));
  ASSERT(!cnet_stream_write(m, "cd", 2, write_cb, "2"));
  ASSERT(cnet_stream_writable_need_drain(m));
  ASSERT_EQ(4, cnet_stream_writable_length(m));
  cnet_stream_end(m, "ef", 2, write_cb, "end");
  ASSERT_EQ(CNET_EINVAL, cnet_stream_pause(m));
  test_run(loop);
  ASSERT_TRACE("1:cb(ok) 2:cb(ok) end:cb(ok) m:finish m:close");
  size_t len;
  const char *d = cnet_memory_sink_data(m, &len);
  ASSERT_EQ(6, len);
  ASSERT_MEM_EQ("abcdef", d, 6);
  ASSERT_EQ(2, cnet_memory_sink_write_count(m)); /* "ab", then "cd"+"ef" together */
  ASSERT(cnet_stream_closed(m));
  cnet_stream_release(m);
  test_loop_close(loop);
}

/* ---- pipe ------------------------------------------------------------------------- */

CNET_TEST(pipe_bad_arguments) {
  cnet_loop *loop = test_loop();
  cnet_memory_sink *m = NULL;
  cnet_memory_sink_new(loop, NULL, &m);
  cnet_emitter mine;
  cnet_emitter_init(&mine);
  cnet_server *srv = NULL;
  cnet_create_server(loop, NULL, NULL, NULL, &srv);
  /* Not streams: seen at run time through a void * (a direct call with
   * a server or an emitter does not compile). */
  ASSERT_EQ(CNET_EINVAL, cnet_pipe((void *)&mine, m, NULL));
  ASSERT_EQ(CNET_EINVAL, cnet_pipe((void *)srv, m, NULL));
  ASSERT_EQ(CNET_EINVAL, cnet_pipe(NULL, m, NULL));
  ASSERT_EQ(CNET_ERR_STREAM_CANNOT_PIPE, cnet_pipe(m, m, NULL));
  ASSERT(!cnet_is_stream(srv));
  ASSERT(!cnet_is_stream(&mine));
  cnet_dgram *udp = NULL;
  cnet_dgram_create(loop, "udp4", NULL, NULL, &udp);
  ASSERT_NOT_NULL(udp);
  ASSERT(!cnet_is_stream(udp));
  ASSERT_EQ(CNET_EINVAL, cnet_pipe((void *)udp, m, NULL));
  cnet_dgram_close(udp, NULL, NULL);
  ASSERT_EQ(CNET_EINVAL, cnet_stream_write((void *)srv, "x", 1, NULL, NULL));
  ASSERT_EQ(CNET_EINVAL, cnet_stream_destroy((void *)&mine, NULL));
  ASSERT_EQ(0, cnet_unpipe(m, NULL) == CNET_EINVAL ? 1 : 0);
  cnet_emitter_dispose(&mine);
  cnet_server_free(srv);
  cnet_stream_destroy(m, NULL);
  test_run(loop);
  test_loop_close(loop);
}

/* One source, two destinations: a slow one (4 bytes of buffer) and a
 * fast one. The source pauses for the slow one and goes on when it
 * drains; both get every byte. */
static int src_pauses;
static void count_pause(const cnet_event *ev, void *arg) {
  (void)ev;
  (void)arg;
  src_pauses++;
}

CNET_TEST(pipe_two_destinations_wait_for_the_slow_one) {
  make_dir();
  char text[401];
  for (int i = 0; i < 400; i++) text[i] = (char)('a' + i % 26);
  text[400] = '\0';
  write_file(path_of("a.txt"), text);
  cnet_loop *loop = test_loop();
  cnet_fs_stream_options o = {.high_water_mark = 16};
  cnet_fs_read_stream *rs = NULL;
  cnet_fs_create_read_stream(loop, path_of("a.txt"), &o, &rs);
  cnet_memory_sink *slow = NULL;
  cnet_memory_sink_new(
      loop, &(cnet_memory_sink_options){.high_water_mark = 4, .slow = true, .delay_ms = 1}, &slow);
  cnet_memory_sink *fast = NULL;
  cnet_memory_sink_new(loop, NULL, &fast);
  cnet_stream_hold(slow);
  cnet_stream_hold(fast);
  cnet_on(rs, CNET_EV_PAUSE, count_pause, NULL);
  ASSERT_EQ(0, cnet_pipe(rs, slow, NULL));
  ASSERT_EQ(0, cnet_pipe(rs, fast, NULL));
  ASSERT_EQ(2, cnet_stream_pipe_count(rs));
  trace_all(slow, "slow", false);
  trace_all(fast, "fast", false);
  test_run(loop);
  ASSERT(src_pauses >= 400 / 16);
  size_t n1, n2;
  const char *d1 = cnet_memory_sink_data(slow, &n1);
  const char *d2 = cnet_memory_sink_data(fast, &n2);
  ASSERT_EQ(400, n1);
  ASSERT_EQ(400, n2);
  ASSERT_MEM_EQ(text, d1, 400);
  ASSERT_MEM_EQ(text, d2, 400);
  /* The source's 'end' ends both, in the order they were piped; each
   * unpipes itself on 'finish' (pipe's listener came before ours). */
  ASSERT_TRACE("slow:unpipe slow:finish fast:unpipe fast:finish slow:close fast:close");
  cnet_stream_release(slow);
  cnet_stream_release(fast);
  test_loop_close(loop);
  remove_dir();
}

/* unpipe() with no destination: every one gets 'unpipe', the source
 * pauses; nothing more is written to them. */
static void unpipe_all_on_data(const cnet_event *ev, void *arg) {
  (void)arg;
  ASSERT_EQ(0, cnet_unpipe(ev->target, NULL));
  ASSERT_EQ(0, cnet_stream_pipe_count(ev->target));
  ASSERT(cnet_stream_is_paused(ev->target));
  test_trace("flowing=%d", cnet_stream_readable_flowing(ev->target));
  cnet_stream_destroy(ev->target, NULL);
}

CNET_TEST(pipe_unpipe_all) {
  make_dir();
  write_file(path_of("a.txt"), "0123456789");
  cnet_loop *loop = test_loop();
  cnet_fs_stream_options o = {.high_water_mark = 4};
  cnet_fs_read_stream *rs = NULL;
  cnet_fs_create_read_stream(loop, path_of("a.txt"), &o, &rs);
  cnet_memory_sink *a = NULL;
  cnet_memory_sink_new(loop, NULL, &a);
  cnet_memory_sink *b = NULL;
  cnet_memory_sink_new(loop, NULL, &b);
  cnet_on(a, CNET_EV_UNPIPE, tr, "a");
  cnet_on(b, CNET_EV_UNPIPE, tr, "b");
  cnet_pipe(rs, a, NULL);
  cnet_pipe(rs, b, NULL);
  cnet_on(rs, CNET_EV_DATA, unpipe_all_on_data, NULL);
  test_run(loop);
  ASSERT_TRACE("a:unpipe b:unpipe flowing=0");
  size_t n;
  cnet_memory_sink_data(a, &n);
  ASSERT_EQ(4, n);
  cnet_stream_destroy(a, NULL);
  cnet_stream_destroy(b, NULL);
  test_run(loop);
  test_loop_close(loop);
  remove_dir();
}

/* An error on the destination unpipes it (its own 'error' listener
 * sees the error); the source, left with no destination, pauses. */
static void fail_dest_on_data(const cnet_event *ev, void *arg) {
  cnet_error e;
  cnet_error_set(&e, CNET_EIO, "disk on fire");
  cnet_stream_destroy(arg, &e);
  (void)ev;
}
static void src_state_on_unpipe(const cnet_event *ev, void *arg) {
  (void)arg;
  test_trace("src-paused=%d", cnet_stream_is_paused(ev->object));
  cnet_stream_destroy(ev->object, NULL);
}

CNET_TEST(pipe_destination_error_unpipes) {
  make_dir();
  write_file(path_of("a.txt"), "0123456789");
  cnet_loop *loop = test_loop();
  cnet_fs_stream_options o = {.high_water_mark = 4};
  cnet_fs_read_stream *rs = NULL;
  cnet_fs_create_read_stream(loop, path_of("a.txt"), &o, &rs);
  cnet_memory_sink *m = NULL;
  cnet_memory_sink_new(loop, NULL, &m);
  cnet_pipe(rs, m, NULL);
  cnet_on(m, CNET_EV_ERROR, tr, "m");
  cnet_on(m, CNET_EV_UNPIPE, tr, "m");
  cnet_on(m, CNET_EV_UNPIPE, src_state_on_unpipe, NULL);
  cnet_on(m, CNET_EV_CLOSE, tr, "m");
  cnet_once(rs, CNET_EV_DATA, fail_dest_on_data, m);
  test_run(loop);
  ASSERT_TRACE("m:unpipe src-paused=1 m:error(disk on fire) m:close");
  test_loop_close(loop);
  remove_dir();
}

/* Piping a source that already ended ends the destination (Node's
 * process.nextTick(endFn)). */
static cnet_memory_sink *late_sink;
static void late_pipe_on_end(const cnet_event *ev, void *arg) {
  (void)arg;
  ASSERT(cnet_stream_readable_ended(ev->target));
  ASSERT_EQ(0, cnet_pipe(ev->target, late_sink, NULL));
  test_trace("piped");
}

CNET_TEST(pipe_from_a_source_that_ended) {
  make_dir();
  write_file(path_of("a.txt"), "x");
  cnet_loop *loop = test_loop();
  cnet_fs_read_stream *rs = NULL;
  cnet_fs_create_read_stream(loop, path_of("a.txt"), NULL, &rs);
  cnet_memory_sink_new(loop, NULL, &late_sink);
  trace_all(late_sink, "m", false);
  cnet_on(rs, CNET_EV_END, late_pipe_on_end, NULL);
  cnet_stream_resume(rs);
  test_run(loop);
  ASSERT_TRACE("m:pipe piped m:finish m:unpipe m:close");
  test_loop_close(loop);
  remove_dir();
}

/* ---- stdio ------------------------------------------------------------------------ */

/* Puts fd_new in place of target (0 or 1) for the test; restore_fd puts
 * the original back. */
static int saved_fd = -1;
static void replace_fd(int target, int fd_new) {
  fflush(stdout);
  saved_fd = dup(target);
  ASSERT(saved_fd >= 0);
  ASSERT_EQ(target, dup2(fd_new, target));
  close(fd_new);
}
static void restore_fd(int target) {
  ASSERT_EQ(target, dup2(saved_fd, target));
  close(saved_fd);
}

static bool nonblocking(int fd) { return (fcntl(fd, F_GETFL) & O_NONBLOCK) != 0; }

static void stdout_written(void *obj, const cnet_error *err, void *arg) {
  (void)obj;
  (void)arg;
  ASSERT_NULL(err);
  /* cnet writes without ever making the shared description non-blocking. */
  ASSERT(!nonblocking(1));
  test_trace("written");
}

CNET_TEST(stdout_pipe_keeps_shared_flags) {
  int p[2];
  ASSERT_EQ(0, pipe(p));
  replace_fd(1, p[1]);
  ASSERT_STR_EQ("PIPE", cnet_guess_handle_type(1));
  cnet_loop *loop = test_loop();
  cnet_stream *out = NULL, *again = NULL;
  ASSERT_EQ(0, cnet_stdout(loop, &out));
  ASSERT_EQ(0, cnet_stdout(loop, &again));
  ASSERT(out == again);
  ASSERT(!nonblocking(1));
  cnet_stream_write(out, "hello ", 6, stdout_written, NULL);
  cnet_stream_end(out, "world", 5, NULL, NULL);
  trace_all(out, "o", false);
  test_run(loop);
  ASSERT(!nonblocking(1));
  ASSERT(fcntl(1, F_GETFD) >= 0); /* fd 1 itself stays open */
  restore_fd(1);
  char buf[64];
  ssize_t n = read(p[0], buf, sizeof buf);
  ASSERT_EQ(11, n);
  ASSERT_MEM_EQ("hello world", buf, 11);
  close(p[0]);
  ASSERT_TRACE("written o:finish o:close");
  test_loop_close(loop);
}

CNET_TEST(stdin_pipe_reads_to_end) {
  int p[2];
  ASSERT_EQ(0, pipe(p));
  ASSERT_EQ(9, write(p[1], "from pipe", 9));
  close(p[1]);
  replace_fd(0, p[0]);
  cnet_loop *loop = test_loop();
  cnet_stream *in = NULL;
  cnet_stdin(loop, &in);
  ASSERT_NOT_NULL(in);
  trace_all(in, "i", true);
  ASSERT_EQ(CNET_EINVAL, cnet_stream_write(in, "x", 1, NULL, NULL));
  test_run(loop);
  ASSERT(!nonblocking(0));
  restore_fd(0);
  ASSERT_TRACE("i:data(from pipe) i:end i:close");
  test_loop_close(loop);
}

CNET_TEST(stdin_and_stdout_regular_files) {
  make_dir();
  write_file(path_of("in.txt"), "file input");
  write_file(path_of("out.txt"), "kept:");
  int in = open(path_of("in.txt"), O_RDONLY);
  int out = open(path_of("out.txt"), O_WRONLY | O_APPEND);
  ASSERT(in >= 0 && out >= 0);
  int saved_in = dup(0);
  replace_fd(1, out);
  ASSERT_EQ(0, dup2(in, 0));
  close(in);
  ASSERT_STR_EQ("FILE", cnet_guess_handle_type(0));
  cnet_loop *loop = test_loop();
  cnet_stream *i = NULL;
  cnet_stdin(loop, &i);
  cnet_stream *o = NULL;
  cnet_stdout(loop, &o);
  ASSERT_NOT_NULL(i);
  ASSERT_NOT_NULL(o);
  /* pipe() never ends stdout: it stays open after the source ended. */
  ASSERT_EQ(0, cnet_pipe(i, o, NULL));
  cnet_on(i, CNET_EV_END, tr, "i");
  test_run(loop);
  ASSERT(cnet_stream_writable(o));
  ASSERT(!cnet_stream_writable_ended(o));
  cnet_stream_end(o, "!", 1, NULL, NULL);
  test_run(loop);
  ASSERT(fcntl(1, F_GETFD) >= 0);
  restore_fd(1);
  ASSERT_EQ(0, dup2(saved_in, 0));
  close(saved_in);
  ASSERT_TRACE("i:end");
  ASSERT_STR_EQ("kept:file input!", read_file(path_of("out.txt")));
  test_loop_close(loop);
  remove_dir();
}

/* A pty slave as stdout: cnet reopens the tty for itself, as libuv does,
 * and the caller's description stays blocking. */
CNET_TEST(stdout_tty_reopened) {
  int master = posix_openpt(O_RDWR | O_NOCTTY);
  if (master < 0) return; /* no ptys here: nothing to test */
  ASSERT_EQ(0, grantpt(master));
  ASSERT_EQ(0, unlockpt(master));
  int slave = open(ptsname(master), O_RDWR | O_NOCTTY);
  ASSERT(slave >= 0);
  replace_fd(1, slave);
  ASSERT_STR_EQ("TTY", cnet_guess_handle_type(1));
  cnet_loop *loop = test_loop();
  cnet_stream *out = NULL;
  cnet_stdout(loop, &out);
  ASSERT_NOT_NULL(out);
  cnet_stream_write(out, "tty!", 4, stdout_written, NULL);
  test_run(loop);
  ASSERT(!nonblocking(1));
  cnet_stream_destroy(out, NULL);
  test_run(loop);
  restore_fd(1);
  char buf[64];
  ssize_t n = read(master, buf, sizeof buf);
  ASSERT(n >= 4);
  ASSERT_MEM_EQ("tty!", buf, 4);
  close(master);
  ASSERT_TRACE("written");
  test_loop_close(loop);
}

/* A reader that went away: EPIPE as an 'error', no SIGPIPE. */
CNET_TEST(stdout_broken_pipe_is_an_error) {
  signal(SIGPIPE, SIG_DFL);
  int p[2];
  ASSERT_EQ(0, pipe(p));
  replace_fd(1, p[1]);
  close(p[0]);
  cnet_loop *loop = test_loop();
  cnet_stream *out = NULL;
  cnet_stdout(loop, &out);
  ASSERT_NOT_NULL(out);
  cnet_on(out, CNET_EV_ERROR, tr, "o");
  cnet_on(out, CNET_EV_CLOSE, tr, "o");
  cnet_stream_write(out, "lost", 4, write_cb, "w");
  test_run(loop);
  restore_fd(1);
  ASSERT_TRACE("w:cb(EPIPE) o:error(write EPIPE) o:close");
  test_loop_close(loop);
}

/* ---- pipe and sockets ------------------------------------------------------------- */

/* The classic echo server, socket.pipe(socket): everything comes back,
 * the client's end ends the server's side, and nothing is left behind. */
static cnet_server *echo_server;
static char echo_got[64];
static size_t echo_len;
static void echo_connection(const cnet_event *ev, void *arg) {
  (void)arg;
  ASSERT_EQ(0, cnet_pipe(ev->object, ev->object, NULL));
  cnet_on(ev->object, CNET_EV_UNPIPE, tr, "s");
  cnet_on(ev->object, CNET_EV_CLOSE, tr, "s");
}
static void echo_client_data(const cnet_event *ev, void *arg) {
  (void)arg;
  ASSERT(echo_len + ev->len <= sizeof echo_got);
  memcpy(echo_got + echo_len, ev->data, ev->len);
  echo_len += ev->len;
  if (echo_len == 11) cnet_socket_end(ev->target, NULL, 0, NULL, NULL);
}
static void echo_client_close(const cnet_event *ev, void *arg) {
  (void)ev;
  (void)arg;
  cnet_server_close(echo_server, NULL, NULL);
}
static void echo_listening(const cnet_event *ev, void *arg) {
  (void)ev;
  cnet_address a;
  cnet_server_address(echo_server, &a);
  cnet_socket *c;
  cnet_connect_options o = {.port = a.port, .host = "127.0.0.1"};
  ASSERT_EQ(0, cnet_connect(arg, &o, NULL, NULL, &c));
  cnet_on(c, CNET_EV_DATA, echo_client_data, NULL);
  cnet_on(c, CNET_EV_CLOSE, echo_client_close, NULL);
  cnet_socket_write(c, "hello ", 6, NULL, NULL);
  cnet_socket_write(c, "world", 5, NULL, NULL);
}

CNET_TEST(pipe_socket_into_itself_echoes) {
  cnet_loop *loop = test_loop();
  cnet_create_server(loop, NULL, echo_connection, NULL, &echo_server);
  cnet_once(echo_server, CNET_EV_LISTENING, echo_listening, loop);
  ASSERT_EQ(0, cnet_server_listen(echo_server, 0, "127.0.0.1", 0));
  test_run(loop);
  ASSERT_EQ(11, echo_len);
  ASSERT_MEM_EQ("hello world", echo_got, 11);
  ASSERT_TRACE("s:unpipe s:close");
  cnet_server_free(echo_server);
  test_loop_close(loop);
}

/* A file piped into a socket whose reader is slow: the file stream
 * pauses on the socket's backpressure and every byte arrives in order. */
/* More than the kernel's socket buffers hold on loopback (about 4 MB
 * here when nobody reads). */
#define BIG_FILE (8 * 1024 * 1024 + 7)
static cnet_server *fs_server;
static size_t fs_got;
static bool fs_bad;
static int fs_pauses;
static cnet_loop *fs_loop;
static void fs_peer_data(const cnet_event *ev, void *arg) {
  (void)arg;
  for (size_t i = 0; i < ev->len; i++)
    if ((unsigned char)ev->data[i] != (unsigned char)((fs_got + i) * 7 % 251)) fs_bad = true;
  fs_got += ev->len;
}
static void fs_peer_end(const cnet_event *ev, void *arg) {
  (void)arg;
  cnet_socket_end(ev->target, NULL, 0, NULL, NULL);
  cnet_server_close(fs_server, NULL, NULL);
}
static cnet_socket *fs_peer_socket;
static void fs_peer(const cnet_event *ev, void *arg) {
  (void)arg;
  fs_peer_socket = ev->object;
  cnet_on(ev->object, CNET_EV_DATA, fs_peer_data, NULL);
  cnet_on(ev->object, CNET_EV_END, fs_peer_end, NULL);
}
/* The reader starts paused and goes only once the sender had to wait:
 * the kernel's buffers are full then, and backpressure is certain. */
static void fs_rs_pause(const cnet_event *ev, void *arg) {
  (void)arg;
  if (ev->type == CNET_EV_PAUSE) fs_pauses++;
  if (cnet_socket_is_paused(fs_peer_socket)) cnet_socket_resume(fs_peer_socket);
}
static void fs_connected(void *target, const cnet_error *err, void *arg) {
  (void)err;
  cnet_fs_read_stream *rs = NULL;
  cnet_fs_create_read_stream(fs_loop, arg, NULL, &rs);
  ASSERT_NOT_NULL(rs);
  cnet_on(rs, CNET_EV_PAUSE, fs_rs_pause, NULL);
  cnet_on(rs, CNET_EV_END, fs_rs_pause, NULL); /* never stuck, whatever happens */
  ASSERT_EQ(0, cnet_pipe(rs, target, NULL));
}
static void fs_listening(const cnet_event *ev, void *arg) {
  (void)ev;
  cnet_address a;
  cnet_server_address(fs_server, &a);
  cnet_socket *c;
  cnet_connect_options o = {.port = a.port, .host = "127.0.0.1"};
  ASSERT_EQ(0, cnet_connect(fs_loop, &o, fs_connected, arg, &c));
}

CNET_TEST(pipe_file_into_socket) {
  make_dir();
  const char *p = path_of("big.bin");
  FILE *f = fopen(p, "wb");
  ASSERT_NOT_NULL(f);
  static unsigned char block[65536];
  for (size_t off = 0; off < BIG_FILE; off += sizeof block) {
    size_t n = BIG_FILE - off < sizeof block ? BIG_FILE - off : sizeof block;
    for (size_t i = 0; i < n; i++) block[i] = (unsigned char)((off + i) * 7 % 251);
    ASSERT_EQ(n, fwrite(block, 1, n, f));
  }
  fclose(f);
  cnet_loop *loop = fs_loop = test_loop();
  cnet_server_options so = {.pause_on_connect = true};
  cnet_create_server(loop, &so, fs_peer, NULL, &fs_server);
  cnet_once(fs_server, CNET_EV_LISTENING, fs_listening, (void *)p);
  ASSERT_EQ(0, cnet_server_listen(fs_server, 0, "127.0.0.1", 0));
  test_run(loop);
  ASSERT(!fs_bad);
  ASSERT_EQ(BIG_FILE, fs_got);
  ASSERT(fs_pauses > 0);
  cnet_server_free(fs_server);
  test_loop_close(loop);
  remove_dir();
}

/* stdin as a socket (a parent that spawned us with a socketpair, as Node
 * does for 'pipe' stdio): read with MSG_DONTWAIT, flags left alone. */
CNET_TEST(stdin_socket_reads_without_changing_flags) {
  int sv[2];
  ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
  ASSERT_EQ(6, write(sv[1], "socket", 6));
  ASSERT_EQ(0, shutdown(sv[1], SHUT_WR));
  replace_fd(0, sv[0]);
  ASSERT_STR_EQ("PIPE", cnet_guess_handle_type(0));
  cnet_loop *loop = test_loop();
  cnet_stream *in = NULL;
  cnet_stdin(loop, &in);
  ASSERT_NOT_NULL(in);
  trace_all(in, "i", true);
  test_run(loop);
  ASSERT(!nonblocking(0));
  restore_fd(0);
  close(sv[1]);
  ASSERT_TRACE("i:data(socket) i:end i:close");
  test_loop_close(loop);
}
