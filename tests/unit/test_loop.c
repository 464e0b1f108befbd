/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* The loop: run modes, stop, immediates, next ticks, the order of phases,
 * fd polls, and closing with handles left open. */
#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static void trace_timer(cnet_timer *t, void *arg) {
  (void)t;
  test_trace("%s", (const char *)arg);
}

static void trace_immediate(cnet_immediate *im, void *arg) {
  (void)im;
  test_trace("%s", (const char *)arg);
}

static void trace_tick(void *arg) { test_trace("%s", (const char *)arg); }

CNET_TEST(empty_loop_returns_at_once) {
  cnet_loop *loop = test_loop();
  ASSERT(!cnet_loop_alive(loop));
  ASSERT_EQ(0, cnet_loop_run(loop, CNET_RUN_DEFAULT));
  ASSERT_EQ(0, cnet_loop_run(loop, CNET_RUN_ONCE));
  ASSERT_EQ(0, cnet_loop_run(loop, CNET_RUN_NOWAIT));
  test_loop_close(loop);
}

CNET_TEST(run_nowait_does_not_wait_for_a_timer) {
  cnet_loop *loop = test_loop();
  cnet_timer t;
  cnet_timer_init(loop, &t);
  cnet_set_timeout(&t, trace_timer, "fired", 60000);
  ASSERT_EQ(1, cnet_loop_run(loop, CNET_RUN_NOWAIT));
  ASSERT_TRACE("");
  cnet_clear_timeout(&t);
  ASSERT_EQ(0, cnet_loop_run(loop, CNET_RUN_NOWAIT));
  test_loop_close(loop);
}

CNET_TEST(run_once_waits_for_the_next_timer) {
  cnet_loop *loop = test_loop();
  cnet_timer a, b;
  cnet_timer_init(loop, &a);
  cnet_timer_init(loop, &b);
  cnet_set_timeout(&a, trace_timer, "a", 5);
  cnet_set_timeout(&b, trace_timer, "b", 60000);
  ASSERT_EQ(1, cnet_loop_run(loop, CNET_RUN_ONCE));
  ASSERT_TRACE("a");
  cnet_clear_timeout(&b);
  ASSERT_EQ(0, cnet_loop_run(loop, CNET_RUN_ONCE));
  test_loop_close(loop);
}

static int stop_count;

static void stop_cb(cnet_timer *t, void *arg) {
  (void)arg;
  if (++stop_count == 2) cnet_loop_stop(cnet_timer_loop(t));
}

CNET_TEST(stop_from_a_callback_ends_run) {
  cnet_loop *loop = test_loop();
  cnet_timer t;
  stop_count = 0;
  cnet_timer_init(loop, &t);
  cnet_set_interval(&t, stop_cb, NULL, 1);
  ASSERT_EQ(1, cnet_loop_run(loop, CNET_RUN_DEFAULT)); /* still alive */
  ASSERT_EQ(2, stop_count);
  cnet_clear_interval(&t);
  test_run(loop);
  test_loop_close(loop);
}

CNET_TEST(immediates_run_in_order) {
  cnet_loop *loop = test_loop();
  cnet_immediate a = {0}, b = {0}, c = {0};
  cnet_set_immediate(loop, &a, trace_immediate, "a");
  cnet_set_immediate(loop, &b, trace_immediate, "b");
  cnet_set_immediate(loop, &c, trace_immediate, "c");
  test_run(loop);
  ASSERT_TRACE("a b c");
  test_loop_close(loop);
}

static cnet_immediate inner;

static void outer_cb(cnet_immediate *im, void *arg) {
  (void)arg;
  test_trace("outer");
  cnet_set_immediate(cnet_immediate_loop(im), &inner, trace_immediate, "inner");
}

CNET_TEST(immediate_set_by_immediate_runs_next_turn) {
  cnet_loop *loop = test_loop();
  cnet_immediate outer = {0}, later = {0};
  memset(&inner, 0, sizeof inner);
  cnet_set_immediate(loop, &outer, outer_cb, NULL);
  cnet_set_immediate(loop, &later, trace_immediate, "later");
  ASSERT_EQ(1, cnet_loop_run(loop, CNET_RUN_NOWAIT));
  ASSERT_TRACE("outer later");
  ASSERT_EQ(0, cnet_loop_run(loop, CNET_RUN_NOWAIT));
  ASSERT_TRACE("outer later inner");
  test_loop_close(loop);
}

static cnet_immediate second;

static void clearing_cb(cnet_immediate *im, void *arg) {
  (void)im;
  (void)arg;
  test_trace("first");
  cnet_clear_immediate(&second);
}

CNET_TEST(clear_immediate_from_an_immediate) {
  cnet_loop *loop = test_loop();
  cnet_immediate first = {0}, third = {0};
  memset(&second, 0, sizeof second);
  cnet_set_immediate(loop, &first, clearing_cb, NULL);
  cnet_set_immediate(loop, &second, trace_immediate, "second");
  cnet_set_immediate(loop, &third, trace_immediate, "third");
  test_run(loop);
  ASSERT_TRACE("first third");
  test_loop_close(loop);
}

CNET_TEST(unref_immediate_does_not_keep_run_alive) {
  cnet_loop *loop = test_loop();
  cnet_immediate im = {0};
  cnet_immediate_unref(&im);
  cnet_set_immediate(loop, &im, trace_immediate, "ran");
  ASSERT(!cnet_immediate_has_ref(&im));
  ASSERT(!cnet_loop_alive(loop));
  test_run(loop);
  ASSERT_TRACE("");
  cnet_clear_immediate(&im);
  test_loop_close(loop);
}

/* Node: inside an I/O callback, setImmediate always runs before
 * setTimeout(0), because the check phase follows the poll phase. */
static cnet_timer io_timer;
static cnet_immediate io_immediate;

static void on_readable(cnet_poll *p, int status, int events, void *arg) {
  cnet_loop *loop = arg;
  ASSERT_EQ(0, status);
  ASSERT_EQ(CNET_READABLE, events);
  test_trace("io");
  cnet_poll_close(p);
  cnet_timer_init(loop, &io_timer);
  cnet_set_timeout(&io_timer, trace_timer, "timeout", 0);
  cnet_set_immediate(loop, &io_immediate, trace_immediate, "immediate");
}

CNET_TEST(immediate_runs_before_timeout_after_io) {
  cnet_loop *loop = test_loop();
  int fds[2];
  ASSERT_EQ(0, pipe(fds));
  ASSERT_EQ(1, write(fds[1], "x", 1));
  cnet_poll *p;
  memset(&io_immediate, 0, sizeof io_immediate);
  ASSERT_EQ(0, cnet_poll_new(loop, fds[0], &p));
  ASSERT_EQ(0, cnet_poll_start(p, CNET_READABLE, on_readable, loop));
  test_run(loop);
  ASSERT_TRACE("io immediate timeout");
  close(fds[0]);
  close(fds[1]);
  test_loop_close(loop);
}

CNET_TEST(next_tick_runs_before_timers_and_immediates) {
  cnet_loop *loop = test_loop();
  cnet_timer t;
  cnet_immediate im = {0};
  cnet_timer_init(loop, &t);
  cnet_set_timeout(&t, trace_timer, "timeout", 0);
  cnet_set_immediate(loop, &im, trace_immediate, "immediate");
  ASSERT_EQ(0, cnet_next_tick(loop, trace_tick, "tick"));
  ASSERT(cnet_loop_alive(loop));
  test_run(loop);
  /* Ticks first; timer vs immediate at the top level is timing-dependent
   * in Node too, so only the tick's place is asserted. */
  ASSERT_EQ(0, strncmp(test_trace_get(), "tick ", 5));
  test_loop_close(loop);
}

static void timer_queues_tick(cnet_timer *t, void *arg) {
  test_trace("%s", (const char *)arg);
  cnet_next_tick(cnet_timer_loop(t), trace_tick, "tick");
}

CNET_TEST(next_tick_runs_between_two_timer_callbacks) {
  cnet_loop *loop = test_loop();
  cnet_timer a, b;
  cnet_timer_init(loop, &a);
  cnet_timer_init(loop, &b);
  cnet_set_timeout(&a, timer_queues_tick, "a", 3);
  cnet_set_timeout(&b, trace_timer, "b", 3);
  test_run(loop);
  ASSERT_TRACE("a tick b");
  test_loop_close(loop);
}

static cnet_loop *tick_loop;

static void tick_chain(void *arg) {
  int *n = arg;
  test_trace("t%d", *n);
  if (++*n < 4) cnet_next_tick(tick_loop, tick_chain, n);
}

CNET_TEST(ticks_queued_by_ticks_run_before_anything_else) {
  cnet_loop *loop = test_loop();
  cnet_immediate im = {0};
  int n = 1;
  tick_loop = loop;
  cnet_set_immediate(loop, &im, trace_immediate, "immediate");
  cnet_next_tick(loop, tick_chain, &n);
  test_run(loop);
  ASSERT_TRACE("t1 t2 t3 immediate");
  test_loop_close(loop);
}

static int polled;
static cnet_poll *polls[2];

static void close_other(cnet_poll *p, int status, int events, void *arg) {
  (void)status;
  (void)events;
  (void)arg;
  polled++;
  /* Whichever comes first closes both; the other's event, already in this
   * batch, must not be delivered. */
  for (int i = 0; i < 2; i++)
    if (polls[i]) {
      cnet_poll_close(polls[i]);
      polls[i] = NULL;
    }
  (void)p;
}

CNET_TEST(poll_closed_by_earlier_callback_in_batch_is_not_called) {
  cnet_loop *loop = test_loop();
  int a[2], b[2];
  ASSERT_EQ(0, pipe(a));
  ASSERT_EQ(0, pipe(b));
  ASSERT_EQ(1, write(a[1], "x", 1));
  ASSERT_EQ(1, write(b[1], "x", 1));
  polled = 0;
  cnet_poll_new(loop, a[0], &polls[0]);
  cnet_poll_new(loop, b[0], &polls[1]);
  cnet_poll_start(polls[0], CNET_READABLE, close_other, NULL);
  cnet_poll_start(polls[1], CNET_READABLE, close_other, NULL);
  test_run(loop);
  ASSERT_EQ(1, polled);
  close(a[0]); close(a[1]); close(b[0]); close(b[1]);
  test_loop_close(loop);
}

CNET_TEST(poll_rejects_regular_files) {
  cnet_loop *loop = test_loop();
  FILE *f = tmpfile();
  cnet_poll *p;
  ASSERT_EQ(0, cnet_poll_new(loop, fileno(f), &p));
  ASSERT_EQ(CNET_EPERM, cnet_poll_start(p, CNET_READABLE, close_other, NULL));
  ASSERT(!cnet_loop_alive(loop));
  cnet_poll_close(p);
  fclose(f);
  test_loop_close(loop);
}

static void on_hup(cnet_poll *p, int status, int events, void *arg) {
  (void)arg;
  (void)status;
  test_trace("readable=%d", (events & CNET_READABLE) != 0);
  cnet_poll_close(p);
}

CNET_TEST(poll_reports_peer_close_as_readable) {
  cnet_loop *loop = test_loop();
  int fds[2];
  ASSERT_EQ(0, pipe(fds));
  close(fds[1]);
  cnet_poll *p;
  cnet_poll_new(loop, fds[0], &p);
  cnet_poll_start(p, CNET_READABLE, on_hup, NULL);
  test_run(loop);
  ASSERT_TRACE("readable=1");
  close(fds[0]);
  test_loop_close(loop);
}

CNET_TEST(close_reports_an_open_timer) {
  cnet_loop *loop = test_loop();
  cnet_timer t;
  cnet_timer_init(loop, &t);
  cnet_set_timeout(&t, trace_timer, "never", 60000);
  cnet_timer_unref(&t);
  test_stderr_begin();
  int r = cnet_loop_close(loop);
  const char *err = test_stderr_end();
  ASSERT_EQ(CNET_EBUSY, r);
  ASSERT_NOT_NULL(strstr(err, "open handle: timer"));
  ASSERT_NOT_NULL(strstr(err, "unref'd"));
  cnet_clear_timeout(&t);
  test_loop_close(loop);
}

CNET_TEST(close_reports_a_queued_immediate_and_a_poll) {
  cnet_loop *loop = test_loop();
  cnet_immediate im = {0};
  cnet_poll *p;
  cnet_set_immediate(loop, &im, trace_immediate, "never");
  cnet_poll_new(loop, 0, &p);
  test_stderr_begin();
  int r = cnet_loop_close(loop);
  const char *err = test_stderr_end();
  ASSERT_EQ(CNET_EBUSY, r);
  ASSERT_NOT_NULL(strstr(err, "open handle: immediate"));
  ASSERT_NOT_NULL(strstr(err, "open handle: poll"));
  cnet_clear_immediate(&im);
  cnet_poll_close(p);
  test_loop_close(loop);
}

CNET_TEST(default_loop_is_one_loop_until_closed) {
  cnet_loop *a = cnet_default_loop();
  ASSERT_NOT_NULL(a);
  ASSERT(a == cnet_default_loop());
  ASSERT_EQ(0, cnet_loop_close(a));
  cnet_loop *b = cnet_default_loop();
  ASSERT_NOT_NULL(b);
  ASSERT_EQ(0, cnet_loop_close(b));
}

static void reenter_cb(cnet_timer *t, void *arg) {
  (void)arg;
  test_trace("run=%d", cnet_loop_run(cnet_timer_loop(t), CNET_RUN_NOWAIT));
  test_trace("close=%d", cnet_loop_close(cnet_timer_loop(t)) == CNET_EBUSY);
}

CNET_TEST(run_and_close_refused_while_running) {
  cnet_loop *loop = test_loop();
  cnet_timer t;
  cnet_timer_init(loop, &t);
  cnet_set_timeout(&t, reenter_cb, NULL, 1);
  test_run(loop);
  char expect[64];
  snprintf(expect, sizeof expect, "run=%d close=1", CNET_EINVAL);
  ASSERT_TRACE(expect);
  test_loop_close(loop);
}

static int poll_errors;

static void count_poll_errors(cnet_poll *p, int status, int events, void *arg) {
  (void)p;
  (void)events;
  (void)arg;
  if (status < 0) poll_errors++;
}

CNET_TEST(poll_reports_an_error_once_and_stops) {
  cnet_loop *loop = test_loop();
  int fds[2];
  ASSERT_EQ(0, pipe(fds));
  close(fds[0]); /* writing end with no reader: POLLERR */
  cnet_poll *p;
  poll_errors = 0;
  cnet_poll_new(loop, fds[1], &p);
  ASSERT_EQ(0, cnet_poll_start(p, CNET_WRITABLE, count_poll_errors, NULL));
  test_run(loop); /* returns: the poll stopped itself after the error */
  ASSERT_EQ(1, poll_errors);
  cnet_poll_close(p);
  close(fds[1]);
  test_loop_close(loop);
}
