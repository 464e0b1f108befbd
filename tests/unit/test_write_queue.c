/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* Long and nested write queues on a socket: more queued writes than one
 * writev may carry, several corked batches flushed in one tick, cork
 * nesting undone by end(). In each, every byte arrives in order and every
 * callback and event comes once, where Node's come (the randomized
 * differential test in tests/random plays many more mixes against Node;
 * these are the cases it found or that matter most). */
#include "harness.h"

#include <stdlib.h>

#include "pattern.h"
#include "receiver.h"


static void on_end_cb(void *object, const cnet_error *err, void *arg) {
  (void)object, (void)arg;
  test_trace("endcb:%s", err ? cnet_err_name(err->code) : "ok");
}

/* A receiving server and a client connecting to it, its 'finish' and
 * 'close' traced; start(c) runs once the client is created. */
static cnet_socket *client(cnet_loop *loop) {
  int port = receiver_start(loop);
  cnet_socket *c;
  cnet_connect_options o = {.port = port, .host = "127.0.0.1"};
  ASSERT_EQ(0, cnet_connect(loop, &o, NULL, NULL, &c));
  cnet_on(c, CNET_EV_FINISH, on_event, NULL);
  cnet_on(c, CNET_EV_CLOSE, on_event, NULL);
  return c;
}

/* n writes of size bytes each, the bytes of the pattern in order. */
static void write_pattern(cnet_socket *c, size_t n, size_t size, cnet_callback cb) {
  unsigned char buf[64];
  ASSERT(size <= sizeof buf);
  for (size_t i = 0; i < n; i++) {
    pattern_fill(i * size, buf, size);
    cnet_socket_write(c, buf, size, cb, (void *)(uintptr_t)i);
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
  free(rx.got);
}

/* 5 000 corked writes are one batch, more than the kernel's limit of
 * 1 024 buffers per writev: all of it reaches the peer, then 'finish'. */
static void cork_many_and_end(const cnet_event *ev, void *arg) {
  (void)arg;
  cnet_socket_cork(ev->target);
  write_pattern(ev->target, 5000, 10, NULL);
  cnet_socket_end(ev->target, NULL, 0, on_end_cb, NULL);
}

CNET_TEST(corked_writes_beyond_iov_max_arrive_whole_then_finish) {
  cnet_loop *loop = test_loop();
  cnet_socket *c = client(loop);
  cnet_once(c, CNET_EV_CONNECT, cork_many_and_end, NULL);
  test_run(loop);
  assert_pattern(50000);
  ASSERT_TRACE("endcb:ok finish close");
  cnet_server_free(server);
  test_loop_close(loop);
}

/* Writes made while connecting wait behind the first one: on 'connect'
 * the 4 999 queued ones leave as one batch. */
CNET_TEST(writes_queued_while_connecting_beyond_iov_max_arrive_whole) {
  cnet_loop *loop = test_loop();
  cnet_socket *c = client(loop);
  write_pattern(c, 5000, 10, NULL);
  cnet_socket_end(c, NULL, 0, on_end_cb, NULL);
  test_run(loop);
  assert_pattern(50000);
  ASSERT_TRACE("endcb:ok finish close");
  cnet_server_free(server);
  test_loop_close(loop);
}

/* Every callback of a batch larger than one writev runs once, in order. */
static size_t next_cb;
static void count_cb(void *object, const cnet_error *err, void *arg) {
  (void)object;
  ASSERT_NULL(err);
  ASSERT_EQ(next_cb, (uintptr_t)arg);
  next_cb++;
}

static void cork_many_with_callbacks(const cnet_event *ev, void *arg) {
  (void)arg;
  next_cb = 0;
  cnet_socket_cork(ev->target);
  write_pattern(ev->target, 3000, 7, count_cb);
  cnet_socket_uncork(ev->target);
  cnet_socket_end(ev->target, NULL, 0, NULL, NULL);
}

CNET_TEST(callbacks_of_a_batch_beyond_iov_max_run_once_in_order) {
  cnet_loop *loop = test_loop();
  cnet_socket *c = client(loop);
  cnet_once(c, CNET_EV_CONNECT, cork_many_with_callbacks, NULL);
  test_run(loop);
  ASSERT_EQ(3000, next_cb);
  assert_pattern(21000);
  ASSERT_TRACE("finish close");
  cnet_server_free(server);
  test_loop_close(loop);
}

/* Two corked batches flushed in the same tick, each completing at once:
 * Node calls cb0..cb3 in order on the next tick; each batch must keep its
 * own callbacks (a batch waiting for its tick is not the next one). */
static void trace_cb(void *object, const cnet_error *err, void *arg) {
  (void)object;
  test_trace("cb%d:%s", (int)(uintptr_t)arg, err ? cnet_err_name(err->code) : "ok");
}

static void two_batches(const cnet_event *ev, void *arg) {
  (void)arg;
  cnet_socket *c = ev->target;
  for (int b = 0; b < 2; b++) {
    cnet_socket_cork(c);
    cnet_socket_write(c, "ab", 2, trace_cb, (void *)(uintptr_t)(2 * b));
    cnet_socket_write(c, "cd", 2, trace_cb, (void *)(uintptr_t)(2 * b + 1));
    cnet_socket_uncork(c);
  }
  cnet_socket_end(c, NULL, 0, NULL, NULL);
}

CNET_TEST(two_batches_in_one_tick_keep_their_own_callbacks) {
  cnet_loop *loop = test_loop();
  cnet_socket *c = client(loop);
  cnet_once(c, CNET_EV_CONNECT, two_batches, NULL);
  test_run(loop);
  ASSERT_EQ(8, rx.len);
  ASSERT_MEM_EQ("abcdabcd", rx.got, 8);
  free(rx.got);
  ASSERT_TRACE("cb0:ok cb1:ok cb2:ok cb3:ok finish close");
  cnet_server_free(server);
  test_loop_close(loop);
}

/* cork(); cork(); write(); end(): end() uncorks however deep the cork is
 * (Node sets corked to 1, then uncorks), so the write, the FIN, 'finish'
 * and 'close' all come. In Node: wcb endcb finish, then the peer has
 * "abc". */
static void cork_twice_then_end(const cnet_event *ev, void *arg) {
  (void)arg;
  cnet_socket *c = ev->target;
  cnet_socket_cork(c);
  cnet_socket_cork(c);
  cnet_socket_write(c, "abc", 3, trace_cb, (void *)(uintptr_t)0);
  cnet_socket_end(c, NULL, 0, on_end_cb, NULL);
}

CNET_TEST(cork_twice_then_end_sends_everything_and_finishes) {
  cnet_loop *loop = test_loop();
  cnet_socket *c = client(loop);
  cnet_once(c, CNET_EV_CONNECT, cork_twice_then_end, NULL);
  test_run(loop);
  ASSERT_EQ(3, rx.len);
  ASSERT_MEM_EQ("abc", rx.got, 3);
  free(rx.got);
  ASSERT_TRACE("cb0:ok endcb:ok finish close");
  cnet_server_free(server);
  test_loop_close(loop);
}
