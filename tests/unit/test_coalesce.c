/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* Per-turn write coalescing (cnet_socket_set_coalesce_writes, cnet's own):
 * the writes of one turn wait in the socket's queue and leave in one
 * writev before the loop waits again. Every byte arrives in order, the
 * callbacks, 'drain', end() and destroy() keep their meaning, and the
 * system calls are one per turn: a packet-mode pipe (O_DIRECT) keeps each
 * write(2) apart, so its reader counts them. */
#include "harness.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include "pattern.h"
#include "receiver.h"

static cnet_loop *the_loop;

static void trace_cb(void *object, const cnet_error *err, void *arg) {
  (void)object;
  test_trace("cb%d:%s", (int)(uintptr_t)arg, err ? cnet_err_name(err->code) : "ok");
}

static void on_end_cb(void *object, const cnet_error *err, void *arg) {
  (void)object, (void)arg;
  test_trace("endcb:%s", err ? cnet_err_name(err->code) : "ok");
}

/* A receiving server and a coalescing client connecting to it (its
 * high-water mark hwm, 0 for the default), 'finish', 'drain' and 'close'
 * traced. */
static cnet_socket *client(cnet_loop *loop, size_t hwm) {
  the_loop = loop;
  int port = receiver_start(loop);
  cnet_socket *c;
  cnet_socket_options so = {.high_water_mark = hwm};
  ASSERT_EQ(0, cnet_socket_new(loop, &so, &c));
  ASSERT_EQ(0, cnet_socket_set_coalesce_writes(c, true));
  ASSERT(cnet_socket_coalesce_writes(c));
  ASSERT_EQ(0, cnet_socket_connect_port(c, port, "127.0.0.1", NULL, NULL));
  cnet_on(c, CNET_EV_FINISH, on_event, NULL);
  cnet_on(c, CNET_EV_DRAIN, on_event, NULL);
  cnet_on(c, CNET_EV_CLOSE, on_event, NULL);
  return c;
}

static void done(cnet_loop *loop) {
  free(rx.got);
  cnet_server_free(server);
  test_loop_close(loop);
}

/* Writes n pieces of size bytes, the pattern from piece `first` on. */
static void write_pattern(cnet_socket *c, size_t first, size_t n, size_t size) {
  unsigned char buf[64];
  ASSERT(size <= sizeof buf);
  for (size_t i = first; i < first + n; i++) {
    pattern_fill(i * size, buf, size);
    cnet_socket_write(c, buf, size, NULL, NULL);
  }
}

static void assert_pattern(size_t expect) {
  ASSERT(rx.ended);
  ASSERT_EQ(expect, rx.len);
  unsigned char *want = malloc(expect);
  ASSERT_NOT_NULL(want);
  pattern_fill(0, want, expect);
  for (size_t i = 0; i < rx.len; i++)
    if (rx.got[i] != want[i]) fail_msg("byte %zu differs", i);
  free(want);
}

/* 1 500 writes from two callbacks of one turn ('connect', then an
 * immediate), more than one writev carries: all of it, in order. */
static cnet_immediate later;

static void write_more_then_end(cnet_immediate *im, void *arg) {
  (void)im;
  write_pattern(arg, 1000, 500, 10);
  cnet_socket_end(arg, NULL, 0, on_end_cb, NULL);
}

static void write_many(const cnet_event *ev, void *arg) {
  (void)arg;
  write_pattern(ev->target, 0, 1000, 10);
  cnet_set_immediate(the_loop, &later, write_more_then_end,
                     ev->target);
}

CNET_TEST(writes_of_a_turn_arrive_whole_and_in_order) {
  cnet_loop *loop = test_loop();
  cnet_socket *c = client(loop, 0);
  cnet_once(c, CNET_EV_CONNECT, write_many, NULL);
  test_run(loop);
  assert_pattern(15000);
  ASSERT_TRACE("endcb:ok finish close");
  done(loop);
}

/* Writes made before the connection is up wait for it, as without
 * coalescing: the turn's flush hands them to the connect, which sends
 * them on 'connect'. */
CNET_TEST(writes_made_while_connecting_arrive_once_connected) {
  cnet_loop *loop = test_loop();
  cnet_socket *c = client(loop, 0);
  write_pattern(c, 0, 300, 10);
  cnet_socket_end(c, NULL, 0, on_end_cb, NULL);
  test_run(loop);
  assert_pattern(3000);
  ASSERT_TRACE("endcb:ok finish close");
  done(loop);
}

/* Writes without a callback share the queue's entries; those with one,
 * and one larger than an entry, keep their own: bytes and callbacks stay
 * in the order of the writes. */
static void mixed_writes(const cnet_event *ev, void *arg) {
  (void)arg;
  cnet_socket *c = ev->target;
  static unsigned char big[5000];
  pattern_fill(0, big, sizeof big);
  cnet_socket_write(c, "a", 1, NULL, NULL);
  cnet_socket_write(c, "b", 1, trace_cb, (void *)0);
  cnet_socket_write(c, "c", 1, NULL, NULL);
  cnet_socket_write(c, big, sizeof big, NULL, NULL);
  cnet_socket_write(c, "d", 1, NULL, NULL);
  cnet_socket_write(c, "e", 1, trace_cb, (void *)1);
  cnet_socket_end(c, "f", 1, on_end_cb, NULL);
}

CNET_TEST(writes_with_and_without_callbacks_keep_their_order) {
  cnet_loop *loop = test_loop();
  cnet_socket *c = client(loop, 0);
  cnet_once(c, CNET_EV_CONNECT, mixed_writes, NULL);
  test_run(loop);
  ASSERT_EQ(5006, rx.len);
  ASSERT_MEM_EQ("abc", rx.got, 3);
  unsigned char big[5000];
  pattern_fill(0, big, sizeof big);
  ASSERT_MEM_EQ(big, rx.got + 3, sizeof big);
  ASSERT_MEM_EQ("def", rx.got + 5003, 3);
  ASSERT_TRACE("cb0:ok cb1:ok endcb:ok finish close");
  done(loop);
}

/* The writes leave after the turn's other callbacks (the immediate), and
 * their callbacks run once they have: without coalescing they would run
 * on the tick after 'connect', before the immediate. */
static void trace_immediate(cnet_immediate *im, void *arg) {
  (void)im;
  test_trace("immediate");
  cnet_socket_end(arg, NULL, 0, on_end_cb, NULL);
}

static void write_three(const cnet_event *ev, void *arg) {
  (void)arg;
  cnet_socket *c = ev->target;
  for (int i = 0; i < 3; i++) cnet_socket_write(c, "abc", 3, trace_cb, (void *)(uintptr_t)i);
  cnet_set_immediate(the_loop, &later, trace_immediate, c);
}

CNET_TEST(write_callbacks_run_once_the_turn_has_flushed) {
  cnet_loop *loop = test_loop();
  cnet_socket *c = client(loop, 0);
  cnet_once(c, CNET_EV_CONNECT, write_three, NULL);
  test_run(loop);
  ASSERT_EQ(9, rx.len);
  ASSERT_MEM_EQ("abcabcabc", rx.got, 9);
  ASSERT_TRACE("immediate cb0:ok cb1:ok cb2:ok endcb:ok finish close");
  done(loop);
}

/* writableLength and bytesWritten count the waiting bytes; by the first
 * callback the kernel has them all. */
static void length_in_cb(void *object, const cnet_error *err, void *arg) {
  (void)arg;
  ASSERT_NULL(err);
  ASSERT_EQ(0, cnet_socket_writable_length(object));
  ASSERT_EQ(30, cnet_socket_bytes_written(object));
  test_trace("cb");
  cnet_socket_end(object, NULL, 0, NULL, NULL);
}

static void write_and_measure(const cnet_event *ev, void *arg) {
  (void)arg;
  cnet_socket *c = ev->target;
  cnet_socket_write(c, "0123456789", 10, NULL, NULL);
  cnet_socket_write(c, "0123456789", 10, NULL, NULL);
  cnet_socket_write(c, "0123456789", 10, length_in_cb, NULL);
  ASSERT_EQ(30, cnet_socket_writable_length(c));
  ASSERT_EQ(30, cnet_socket_buffer_size(c));
  ASSERT_EQ(30, cnet_socket_bytes_written(c));
}

CNET_TEST(writable_length_counts_the_waiting_bytes_until_the_flush) {
  cnet_loop *loop = test_loop();
  cnet_socket *c = client(loop, 0);
  cnet_once(c, CNET_EV_CONNECT, write_and_measure, NULL);
  test_run(loop);
  ASSERT_EQ(30, rx.len);
  ASSERT_TRACE("cb finish close");
  done(loop);
}

/* end(data) after the turn's writes: they go first, then its data, then
 * the FIN. */
static void write_then_end(const cnet_event *ev, void *arg) {
  (void)arg;
  cnet_socket *c = ev->target;
  write_pattern(c, 0, 99, 10);
  unsigned char last[10];
  pattern_fill(990, last, 10);
  cnet_socket_end(c, last, 10, on_end_cb, NULL);
}

CNET_TEST(end_sends_the_waiting_writes_before_its_own_and_the_fin) {
  cnet_loop *loop = test_loop();
  cnet_socket *c = client(loop, 0);
  cnet_once(c, CNET_EV_CONNECT, write_then_end, NULL);
  test_run(loop);
  assert_pattern(1000);
  ASSERT_TRACE("endcb:ok finish close");
  done(loop);
}

/* destroy() sends the turn's writes first: without coalescing they
 * would have been in the kernel since the write. */
static void write_then_destroy(const cnet_event *ev, void *arg) {
  (void)arg;
  cnet_socket *c = ev->target;
  for (int i = 0; i < 2; i++) cnet_socket_write(c, "abc", 3, trace_cb, (void *)(uintptr_t)i);
  cnet_socket_destroy(c, NULL);
}

CNET_TEST(destroy_sends_the_turns_writes_first) {
  cnet_loop *loop = test_loop();
  cnet_socket *c = client(loop, 0);
  cnet_once(c, CNET_EV_CONNECT, write_then_destroy, NULL);
  test_run(loop);
  ASSERT(rx.ended);
  ASSERT_EQ(6, rx.len);
  ASSERT_MEM_EQ("abcabc", rx.got, 6);
  ASSERT_TRACE("cb0:ok cb1:ok close");
  done(loop);
}

/* Corked writes are another matter: destroy() drops them, as it does
 * without coalescing, and their callbacks get ERR_STREAM_DESTROYED. */
static void cork_write_then_destroy(const cnet_event *ev, void *arg) {
  (void)arg;
  cnet_socket *c = ev->target;
  cnet_socket_cork(c);
  for (int i = 0; i < 2; i++) cnet_socket_write(c, "abc", 3, trace_cb, (void *)(uintptr_t)i);
  cnet_socket_destroy(c, NULL);
}

CNET_TEST(destroy_drops_corked_writes) {
  cnet_loop *loop = test_loop();
  cnet_socket *c = client(loop, 0);
  cnet_once(c, CNET_EV_CONNECT, cork_write_then_destroy, NULL);
  test_run(loop);
  ASSERT(rx.ended);
  ASSERT_EQ(0, rx.len);
  ASSERT_TRACE("cb0:ERR_STREAM_DESTROYED cb1:ERR_STREAM_DESTROYED close");
  done(loop);
}

/* destroySoon() is end() then destroy on 'finish': the writes arrive. */
static void write_then_destroy_soon(const cnet_event *ev, void *arg) {
  (void)arg;
  write_pattern(ev->target, 0, 50, 10);
  cnet_socket_destroy_soon(ev->target);
}

CNET_TEST(destroy_soon_sends_the_waiting_writes_first) {
  cnet_loop *loop = test_loop();
  cnet_socket *c = client(loop, 0);
  cnet_once(c, CNET_EV_CONNECT, write_then_destroy_soon, NULL);
  test_run(loop);
  assert_pattern(500);
  ASSERT_TRACE("finish close");
  done(loop);
}

/* A cork outlives the turn: its writes wait for uncork(), even past the
 * flush of the turn they were made in. */
static cnet_timer timer;

static void uncork_later(cnet_timer *t, void *arg) {
  (void)t;
  ASSERT_EQ(6, cnet_socket_writable_length(arg));
  test_trace("timer");
  cnet_socket_uncork(arg);
  cnet_socket_end(arg, NULL, 0, on_end_cb, NULL);
}

static void cork_across_turns(const cnet_event *ev, void *arg) {
  (void)arg;
  cnet_socket *c = ev->target;
  cnet_socket_cork(c);
  cnet_socket_write(c, "abc", 3, trace_cb, (void *)0);
  cnet_socket_write(c, "def", 3, trace_cb, (void *)1);
  cnet_timer_init(the_loop, &timer);
  cnet_timer_start(&timer, uncork_later, c, 1, 0);
}

CNET_TEST(corked_writes_wait_for_uncork_across_turns) {
  cnet_loop *loop = test_loop();
  cnet_socket *c = client(loop, 0);
  cnet_once(c, CNET_EV_CONNECT, cork_across_turns, NULL);
  test_run(loop);
  ASSERT_EQ(6, rx.len);
  ASSERT_MEM_EQ("abcdef", rx.got, 6);
  ASSERT_TRACE("timer cb0:ok cb1:ok endcb:ok finish close");
  done(loop);
}

/* Turning coalescing off sends what waits at once, so that the next
 * write, which goes straight to the kernel, cannot pass it. */
static void write_then_turn_off(const cnet_event *ev, void *arg) {
  (void)arg;
  cnet_socket *c = ev->target;
  cnet_socket_write(c, "abc", 3, NULL, NULL);
  ASSERT_EQ(3, cnet_socket_writable_length(c));
  ASSERT_EQ(0, cnet_socket_set_coalesce_writes(c, false));
  ASSERT(!cnet_socket_coalesce_writes(c));
  ASSERT_EQ(0, cnet_socket_writable_length(c)); /* loopback took it */
  cnet_socket_write(c, "def", 3, NULL, NULL);
  cnet_socket_end(c, NULL, 0, NULL, NULL);
}

CNET_TEST(turning_it_off_sends_what_waits_at_once) {
  cnet_loop *loop = test_loop();
  cnet_socket *c = client(loop, 0);
  cnet_once(c, CNET_EV_CONNECT, write_then_turn_off, NULL);
  test_run(loop);
  ASSERT_EQ(6, rx.len);
  ASSERT_MEM_EQ("abcdef", rx.got, 6);
  ASSERT_TRACE("finish close");
  done(loop);
}

/* A server's coalesce_writes option turns it on for the sockets it
 * accepts; without it they write at once. */
static void note_coalescing(const cnet_event *ev, void *arg) {
  (void)arg;
  cnet_socket *so = cnet_event_socket(ev);
  test_trace("%d", cnet_socket_coalesce_writes(so));
  cnet_socket_destroy(so, NULL);
  cnet_server_close(ev->target, NULL, NULL);
}

static void accept_one(cnet_loop *loop, bool coalesce) {
  cnet_server_options o = {.coalesce_writes = coalesce};
  cnet_server *srv;
  ASSERT_EQ(0, cnet_create_server(loop, &o, note_coalescing, NULL, &srv));
  int port = test_listen(loop, srv, "127.0.0.1", 0);
  cnet_socket *c;
  ASSERT_EQ(0, cnet_connect_port(loop, port, "127.0.0.1", NULL, NULL, &c));
  ASSERT(!cnet_socket_coalesce_writes(c));
  test_run(loop);
  cnet_server_free(srv);
}

CNET_TEST(the_server_option_makes_accepted_sockets_coalesce) {
  cnet_loop *loop = test_loop();
  test_trace_reset();
  accept_one(loop, true);
  accept_one(loop, false);
  ASSERT_STR_EQ("1 0", test_trace_get());
  test_loop_close(loop);
}

/* A write error (the peer is gone: EPIPE) reaches the callback, 'error'
 * and 'close' as it does without coalescing, in the same order. */
static void trace_error(const cnet_event *ev, void *arg) {
  (void)arg;
  test_trace("error:%s", cnet_err_name(cnet_event_error(ev)->code));
}

static void trace_close(const cnet_event *ev, void *arg) {
  (void)arg;
  test_trace("close:%d", ev->had_error);
}

static const char *write_to_a_closed_peer(bool coalesce) {
  cnet_loop *loop = test_loop();
  int sv[2];
  ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv));
  close(sv[1]);
  cnet_socket_options o = {.has_fd = true, .fd = sv[0], .no_readable = true};
  cnet_socket *c;
  ASSERT_EQ(0, cnet_socket_new(loop, &o, &c));
  ASSERT_EQ(0, cnet_socket_set_coalesce_writes(c, coalesce));
  cnet_on(c, CNET_EV_ERROR, trace_error, NULL);
  cnet_on(c, CNET_EV_CLOSE, trace_close, NULL);
  test_trace_reset();
  cnet_socket_write(c, "abc", 3, trace_cb, (void *)0);
  cnet_socket_write(c, "def", 3, trace_cb, (void *)1);
  test_run(loop);
  test_loop_close(loop);
  return test_trace_get();
}

CNET_TEST(a_write_error_arrives_as_without_coalescing) {
  char without[256];
  snprintf(without, sizeof without, "%s", write_to_a_closed_peer(false));
  ASSERT_STR_EQ("cb0:EPIPE cb1:EPIPE error:EPIPE close:1", without);
  ASSERT_STR_EQ(without, write_to_a_closed_peer(true));
}

/* ---- the system calls: a packet-mode pipe counts them ----------------- */

static int pipe_rd;

/* A socket over the write end of a packet-mode pipe (each write(2) or
 * writev(2) of up to 4 KiB is one packet for the reader). */
static cnet_socket *pipe_writer_hwm(cnet_loop *loop, bool coalesce, size_t hwm) {
  int p[2];
  ASSERT_EQ(0, pipe2(p, O_DIRECT | O_NONBLOCK | O_CLOEXEC));
  pipe_rd = p[0];
  cnet_socket_options o = {.has_fd = true, .fd = p[1], .no_readable = true,
                           .high_water_mark = hwm};
  cnet_socket *c;
  ASSERT_EQ(0, cnet_socket_new(loop, &o, &c));
  ASSERT_EQ(0, cnet_socket_set_coalesce_writes(c, coalesce));
  return c;
}

static cnet_socket *pipe_writer(cnet_loop *loop, bool coalesce) {
  return pipe_writer_hwm(loop, coalesce, 0);
}

/* The sizes of the packets in the pipe, as "10 10 ...", until it is
 * empty. */
static const char *packets(void) {
  static char out[1024];
  char buf[8192];
  size_t len = 0;
  out[0] = 0;
  ssize_t n;
  while ((n = read(pipe_rd, buf, sizeof buf)) > 0)
    len += (size_t)snprintf(out + len, sizeof out - len, "%s%zd", len ? " " : "", n);
  ASSERT(n == 0 || errno == EAGAIN);
  close(pipe_rd);
  return out;
}

static void destroy_cb(void *object, const cnet_error *err, void *arg) {
  (void)arg;
  ASSERT_NULL(err);
  cnet_socket_destroy(object, NULL);
}

/* Ten writes of ten bytes; the last one's callback closes the socket. */
static void ten_writes(cnet_immediate *im, void *arg) {
  (void)im;
  for (int i = 0; i < 9; i++) cnet_socket_write(arg, "0123456789", 10, NULL, NULL);
  cnet_socket_write(arg, "0123456789", 10, destroy_cb, NULL);
}

CNET_TEST(without_coalescing_each_write_is_a_system_call) {
  cnet_loop *loop = test_loop();
  cnet_socket *c = pipe_writer(loop, false);
  cnet_set_immediate(loop, &later, ten_writes, c);
  test_run(loop);
  ASSERT_STR_EQ("10 10 10 10 10 10 10 10 10 10", packets());
  test_loop_close(loop);
}

CNET_TEST(the_writes_of_a_turn_are_one_system_call) {
  cnet_loop *loop = test_loop();
  cnet_socket *c = pipe_writer(loop, true);
  cnet_set_immediate(loop, &later, ten_writes, c);
  test_run(loop);
  ASSERT_STR_EQ("100", packets());
  test_loop_close(loop);
}

/* Three immediates of one turn write four times each: one system call.
 * (Twelve writes, not more: were they each a packet, the pipe would hold
 * them all, and the test would fail rather than wait for a reader.) */
static cnet_immediate three[3];

static void some_writes(cnet_immediate *im, void *arg) {
  for (int i = 0; i < 3; i++) cnet_socket_write(arg, "0123456789", 10, NULL, NULL);
  cnet_socket_write(arg, "0123456789", 10, im == &three[2] ? destroy_cb : NULL, NULL);
}

CNET_TEST(the_writes_of_several_callbacks_of_a_turn_are_one_system_call) {
  cnet_loop *loop = test_loop();
  cnet_socket *c = pipe_writer(loop, true);
  for (int i = 0; i < 3; i++) cnet_set_immediate(loop, &three[i], some_writes, c);
  test_run(loop);
  ASSERT_STR_EQ("120", packets());
  test_loop_close(loop);
}

/* A write made in the next turn (an immediate set by an immediate) is
 * that turn's system call. */
static void next_turn_writes(cnet_immediate *im, void *arg) {
  (void)im;
  ten_writes(NULL, arg);
}

static void first_turn_writes(cnet_immediate *im, void *arg) {
  for (int i = 0; i < 5; i++) cnet_socket_write(arg, "0123456789", 10, NULL, NULL);
  cnet_set_immediate(cnet_immediate_loop(im), &three[0], next_turn_writes, arg);
}

CNET_TEST(each_turn_is_one_system_call) {
  cnet_loop *loop = test_loop();
  cnet_socket *c = pipe_writer(loop, true);
  cnet_set_immediate(loop, &later, first_turn_writes, c);
  test_run(loop);
  ASSERT_STR_EQ("50 100", packets());
  test_loop_close(loop);
}

/* cnet_loop_run(NOWAIT) returns only once the turn's writes are out: no
 * write waits on a loop that is not running. */
static void five_writes(cnet_immediate *im, void *arg) {
  (void)im;
  for (int i = 0; i < 5; i++) cnet_socket_write(arg, "0123456789", 10, NULL, NULL);
}

CNET_TEST(a_run_returns_after_flushing_its_turn) {
  cnet_loop *loop = test_loop();
  cnet_socket *c = pipe_writer(loop, true);
  cnet_set_immediate(loop, &later, five_writes, c);
  cnet_loop_run(loop, CNET_RUN_NOWAIT);
  ASSERT_EQ(0, cnet_socket_writable_length(c));
  cnet_socket_destroy(c, NULL);
  test_run(loop);
  ASSERT_STR_EQ("50", packets());
  test_loop_close(loop);
}

/* The waiting bytes stay below the high-water mark: the write that
 * reaches it hands them to the kernel at once, and returns 1 when the
 * kernel took them, as a write without coalescing would. */
static void writes_past_the_mark(cnet_immediate *im, void *arg) {
  (void)im;
  for (int i = 0; i < 6; i++)
    ASSERT_EQ(1, cnet_socket_write(arg, "0123456789", 10, NULL, NULL));
  ASSERT_EQ(60, cnet_socket_writable_length(arg));
  ASSERT_EQ(1, cnet_socket_write(arg, "0123456789", 10, NULL, NULL));
  ASSERT_EQ(0, cnet_socket_writable_length(arg));
  ASSERT(!cnet_stream_writable_need_drain(arg));
  for (int i = 0; i < 2; i++) cnet_socket_write(arg, "0123456789", 10, NULL, NULL);
  cnet_socket_write(arg, "0123456789", 10, destroy_cb, NULL);
}

CNET_TEST(the_write_that_reaches_the_mark_flushes_at_once) {
  cnet_loop *loop = test_loop();
  cnet_socket *c = pipe_writer_hwm(loop, true, 64);
  cnet_set_immediate(loop, &later, writes_past_the_mark, c);
  test_run(loop);
  ASSERT_STR_EQ("70 30", packets());
  test_loop_close(loop);
}

/* When the kernel refuses, write() returns 0 and 'drain' comes once the
 * reader has made room, as without coalescing: a writer fills a pipe
 * that a reader on the same loop drains. */
static size_t written, drained;
static unsigned char chunk[4096];

static void count_read(const cnet_event *ev, void *arg) {
  (void)arg;
  drained += ev->len;
}

static void fill(cnet_immediate *im, void *arg) {
  (void)im;
  int r;
  do {
    r = cnet_socket_write(arg, chunk, sizeof chunk, NULL, NULL);
    written += sizeof chunk;
  } while (r == 1);
  ASSERT_EQ(0, r);
  ASSERT(written > 64 * 1024); /* past the pipe's buffer */
}

static void destroy_on_drain(const cnet_event *ev, void *arg) {
  (void)arg;
  test_trace("drain");
  ASSERT_EQ(0, cnet_socket_writable_length(ev->target));
  cnet_socket_destroy(ev->target, NULL);
}

CNET_TEST(drain_follows_when_the_kernel_made_write_wait) {
  cnet_loop *loop = test_loop();
  test_trace_reset();
  int p[2];
  ASSERT_EQ(0, pipe2(p, O_NONBLOCK | O_CLOEXEC));
  cnet_socket_options wo = {.has_fd = true, .fd = p[1], .no_readable = true};
  cnet_socket_options ro = {.has_fd = true, .fd = p[0], .no_writable = true};
  cnet_socket *w, *rd;
  ASSERT_EQ(0, cnet_socket_new(loop, &wo, &w));
  ASSERT_EQ(0, cnet_socket_new(loop, &ro, &rd));
  ASSERT_EQ(0, cnet_socket_set_coalesce_writes(w, true));
  cnet_on(w, CNET_EV_DRAIN, destroy_on_drain, NULL);
  cnet_on(rd, CNET_EV_DATA, count_read, NULL);
  written = drained = 0;
  cnet_set_immediate(loop, &later, fill, w);
  test_run(loop);
  ASSERT_TRACE("drain");
  ASSERT_EQ(written, drained);
  test_loop_close(loop);
}
