/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* The dgram behaviours only the inside shows (the rest are in tests/unit).
 *
 * Where a 'message's data lives: the loop's read buffer (docs/dgram.md),
 * compared with loop->rbuf (src/handle.h). From outside, the same
 * address for every message proves it only under ASan, whose quarantine
 * keeps a freed buffer from coming back at the same place.
 *
 * Datagrams the kernel refuses: loopback never runs out of room, so
 * nothing public makes sendmsg fail with EAGAIN; cnet__udp_test_no_try_send
 * (src/dgram_socket.c, as Node's --test-udp-no-try-send) queues every datagram as
 * if it had. */
#include "harness.h"
#include "dgram_bound.h"
#include "handle.h"

/* ---- receiving ------------------------------------------------------------ */

static int messages;
static const char *seen_data;

static void note_data(const cnet_event *ev, void *arg) {
  (void)arg;
  seen_data = ev->data;
  messages++;
  cnet_dgram_close(ev->target, NULL, NULL);
}

CNET_TEST(message_data_points_into_the_loops_read_buffer) {
  cnet_loop *loop = test_loop();
  int port;
  messages = 0;
  cnet_dgram *r = bound_socket(loop, note_data, NULL, &port);
  cnet_dgram *s = bound_socket(loop, NULL, NULL, NULL);
  ASSERT_EQ(0, cnet_dgram_send(s, "x", 1, port, "127.0.0.1", NULL, NULL));
  ASSERT_EQ(0, cnet_dgram_close(s, NULL, NULL)); /* sent already: from the call */
  test_run(loop);
  ASSERT_EQ(1, messages);
  ASSERT(seen_data == loop->rbuf); /* no allocation per datagram */
  (void)r;
  test_loop_close(loop);
}

/* ---- datagrams the kernel cannot take at once ------------------------------ */

/* In dgram_socket.c: Node's --test-udp-no-try-send, every datagram queued
 * as if the kernel had no room (loopback never runs out, so nothing else
 * shows it). */
extern int cnet__udp_test_no_try_send;

/* arg: the datagram sent, traced by its first letter and its length. */
static void trace_sent(void *s, const cnet_error *err, void *arg) {
  const char *sent = arg;
  test_trace("%c:%s:%zu:q%zu", sent[0], err ? err->message : "ok", strlen(sent),
             cnet_dgram_get_send_queue_count(s));
}

static int received;
static void count_and_close(const cnet_event *ev, void *arg) {
  test_trace("got:%.*s", (int)ev->len, ev->data);
  if (++received == 4) {
    cnet_dgram_close(ev->target, NULL, NULL);
    cnet_dgram_close(arg, NULL, NULL);
  }
}

CNET_TEST(queued_datagrams_are_counted_then_sent_in_order) {
  cnet_loop *loop = test_loop();
  test_trace_reset();
  int port;
  received = 0;
  cnet_dgram *s = bound_socket(loop, NULL, NULL, NULL);
  bound_socket(loop, count_and_close, s, &port);
  cnet__udp_test_no_try_send = 1;
  ASSERT_EQ(0, cnet_dgram_send(s, "a", 1, port, "127.0.0.1", trace_sent, "a"));
  ASSERT_EQ(0, cnet_dgram_send(s, "bb", 2, port, "127.0.0.1", NULL, NULL));
  ASSERT_EQ(0, cnet_dgram_send(s, "ccc", 3, port, "127.0.0.1", trace_sent, "ccc"));
  ASSERT_EQ(3, cnet_dgram_get_send_queue_count(s));
  ASSERT_EQ(6, cnet_dgram_get_send_queue_size(s));
  cnet__udp_test_no_try_send = 0;
  /* A datagram never overtakes the queued ones. */
  ASSERT_EQ(0, cnet_dgram_send(s, "d", 1, port, "127.0.0.1", NULL, NULL));
  ASSERT_EQ(4, cnet_dgram_get_send_queue_count(s));
  ASSERT_EQ(7, cnet_dgram_get_send_queue_size(s));
  cnet_on(s, CNET_EV_CLOSE, trace_close, "s-close");
  test_run(loop);
  ASSERT_TRACE("a:ok:1:q3 c:ok:3:q1 got:a got:bb got:ccc got:d s-close");
  test_loop_close(loop);
}

static void trace_cancel(void *s, const cnet_error *err, void *arg) {
  (void)s;
  ASSERT_NOT_NULL(err);
  const char *want = strcmp(arg, "a") == 0 ? "send ECANCELED 127.0.0.1:"
                                           : "send ECANCELED undefined:";
  ASSERT(strncmp(err->message, want, strlen(want)) == 0);
  test_trace("%s:%s", (const char *)arg, cnet_err_name(err->code));
}

/* Sends the kernel could not take, then close() in the same tick. Node
 * sends from the tick after send(), so the close comes first and the
 * datagrams and their callbacks are dropped; `node
 * --test-udp-no-try-send` prints only "close" for:
 *   s.send('a', port, '127.0.0.1', cb); s.send('b', port, cb); s.close();
 * (closed from a later tick instead, they are cancelled: see below). */
CNET_TEST(close_in_the_same_tick_drops_the_datagrams_still_queued) {
  cnet_loop *loop = test_loop();
  test_trace_reset();
  int port;
  cnet_dgram *r = bound_socket(loop, NULL, NULL, &port);
  cnet_dgram *s = bound_socket(loop, NULL, NULL, NULL);
  cnet_on(s, CNET_EV_CLOSE, trace_close, "close");
  cnet__udp_test_no_try_send = 1;
  ASSERT_EQ(0, cnet_dgram_send(s, "a", 1, port, "127.0.0.1", trace_cancel, "a"));
  ASSERT_EQ(0, cnet_dgram_send(s, "b", 1, port, NULL, trace_cancel, "b"));
  cnet__udp_test_no_try_send = 0;
  ASSERT_EQ(0, cnet_dgram_close(s, NULL, NULL));
  ASSERT_EQ(0, cnet_dgram_get_send_queue_count(s));
  cnet_dgram_close(r, NULL, NULL);
  test_run(loop);
  ASSERT_TRACE("close");
  test_loop_close(loop);
}

/* ---- the ticks after each queued datagram's callback ------------------------ */

/* libuv completes each queued datagram with a callback of its own, and
 * Node runs its ticks after each (its MakeCallback), so a tick queued by
 * one send's callback runs before the next send's callback. */
static cnet_loop *tick_loop;
static cnet_dgram *tick_sender, *tick_receiver;
static int tick_port;

static void trace_arg(void *arg) { test_trace("%s", (const char *)arg); }

static void trace_then_tick(void *s, const cnet_error *err, void *arg) {
  (void)s;
  
  const char *name = arg;
  test_trace("%s:%s", name, err ? cnet_err_name(err->code) : "ok");
  static const char *ticks[] = {"tick-a", "tick-b", "tick-c"};
  ASSERT_EQ(0, cnet_next_tick(tick_loop, trace_arg, (void *)ticks[name[0] - 'a']));
}

static void send_abc(void) {
  static const char *names[] = {"a", "b", "c"};
  for (int i = 0; i < 3; i++)
    ASSERT_EQ(0, cnet_dgram_send(tick_sender, names[i], 1, tick_port, "127.0.0.1",
                                 trace_then_tick, (void *)names[i]));
}

static void close_both(void *arg) {
  (void)arg;
  test_trace("closing");
  cnet_dgram_close(tick_sender, NULL, NULL);
  cnet_dgram_close(tick_receiver, NULL, NULL);
}

static void close_after_three(const cnet_event *ev, void *arg) {
  (void)ev;
  if (++received == 3) close_both(arg);
}

/* node --test-udp-no-try-send, on 3 sends with callbacks that each queue
 * a process.nextTick, the receiver closing both sockets at the third:
 *   a:ok tick-a b:ok tick-b c:ok tick-c closing close */
CNET_TEST(queued_send_callbacks_each_run_the_ticks_after) {
  tick_loop = test_loop();
  test_trace_reset();
  received = 0;
  tick_sender = bound_socket(tick_loop, NULL, NULL, NULL);
  tick_receiver = bound_socket(tick_loop, close_after_three, NULL, &tick_port);
  cnet_on(tick_sender, CNET_EV_CLOSE, trace_close, "close");
  cnet__udp_test_no_try_send = 1;
  send_abc();
  cnet__udp_test_no_try_send = 0;
  test_run(tick_loop);
  ASSERT_TRACE("a:ok tick-a b:ok tick-b c:ok tick-c closing close");
  test_loop_close(tick_loop);
}

static void trace_close_then_tick(const cnet_event *ev, void *arg) {
  (void)ev;
  test_trace("%s", (const char *)arg);
  ASSERT_EQ(0, cnet_next_tick(tick_loop, trace_arg, "tick-close"));
}

static void send_abc_then_close(void *s, const cnet_error *err, void *arg) {
  (void)s;
  
  (void)arg;
  test_trace("x:%s", err ? cnet_err_name(err->code) : "ok");
  cnet__udp_test_no_try_send = 1;
  send_abc();
  cnet__udp_test_no_try_send = 0;
  ASSERT_EQ(0, cnet_next_tick(tick_loop, close_both, NULL));
}

/* node --test-udp-no-try-send: x's callback sends a, b and c (queued),
 * then closes both sockets from a process.nextTick; the close phase
 * cancels a, b and c, each callback queueing a process.nextTick:
 *   x:ok closing close tick-close a:ECANCELED tick-a b:ECANCELED tick-b
 *   c:ECANCELED tick-c */
CNET_TEST(cancelled_send_callbacks_each_run_the_ticks_after) {
  tick_loop = test_loop();
  test_trace_reset();
  tick_sender = bound_socket(tick_loop, NULL, NULL, NULL);
  tick_receiver = bound_socket(tick_loop, NULL, NULL, &tick_port);
  cnet_on(tick_sender, CNET_EV_CLOSE, trace_close_then_tick, "close");
  cnet__udp_test_no_try_send = 1;
  ASSERT_EQ(0, cnet_dgram_send(tick_sender, "x", 1, tick_port, "127.0.0.1",
                               send_abc_then_close, NULL));
  cnet__udp_test_no_try_send = 0;
  test_run(tick_loop);
  ASSERT_TRACE("x:ok closing close tick-close a:ECANCELED tick-a "
               "b:ECANCELED tick-b c:ECANCELED tick-c");
  test_loop_close(tick_loop);
}
