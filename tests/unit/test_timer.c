/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* Timers: order, cancel, repeat, refresh, ref/unref (Node's setTimeout,
 * setInterval, clearTimeout, timeout.refresh, timeout.unref). */
#include "harness.h"

static int fired;

static void count_cb(cnet_timer *t, void *arg) {
  (void)t;
  (void)arg;
  fired++;
}

static void trace_cb(cnet_timer *t, void *arg) {
  (void)t;
  test_trace("%s", (const char *)arg);
}

CNET_TEST(timeout_fires_once) {
  cnet_loop *loop = test_loop();
  cnet_timer t;
  fired = 0;
  cnet_timer_init(loop, &t);
  ASSERT_EQ(0, cnet_set_timeout(&t, count_cb, NULL, 1));
  ASSERT(cnet_timer_is_active(&t));
  test_run(loop);
  ASSERT_EQ(1, fired);
  ASSERT(!cnet_timer_is_active(&t));
  test_loop_close(loop);
}

CNET_TEST(timeouts_fire_in_due_order) {
  cnet_loop *loop = test_loop();
  cnet_timer a, b, c, d;
  cnet_timer_init(loop, &a);
  cnet_timer_init(loop, &b);
  cnet_timer_init(loop, &c);
  cnet_timer_init(loop, &d);
  cnet_set_timeout(&a, trace_cb, "30", 30);
  cnet_set_timeout(&b, trace_cb, "10", 10);
  cnet_set_timeout(&c, trace_cb, "20", 20);
  cnet_set_timeout(&d, trace_cb, "1", 1);
  test_run(loop);
  ASSERT_TRACE("1 10 20 30");
  test_loop_close(loop);
}

static void start_same_due(cnet_loop *loop, cnet_timer *ts, int n) {
  static const char *names[] = {"a", "b", "c", "d", "e"};
  /* Started in one callback, so all share the loop's "now". */
  for (int i = 0; i < n; i++) {
    cnet_timer_init(loop, &ts[i]);
    cnet_set_timeout(&ts[i], trace_cb, (void *)names[i], 5);
  }
}

CNET_TEST(equal_timeouts_fire_in_start_order) {
  cnet_loop *loop = test_loop();
  cnet_timer ts[5];
  start_same_due(loop, ts, 5);
  test_run(loop);
  ASSERT_TRACE("a b c d e");
  test_loop_close(loop);
}

static cnet_timer victim;

static void cancel_cb(cnet_timer *t, void *arg) {
  (void)t;
  (void)arg;
  test_trace("canceller");
  cnet_clear_timeout(&victim);
}

CNET_TEST(clear_timeout_from_another_timer) {
  cnet_loop *loop = test_loop();
  cnet_timer canceller;
  cnet_timer_init(loop, &canceller);
  cnet_timer_init(loop, &victim);
  cnet_set_timeout(&canceller, cancel_cb, NULL, 1);
  cnet_set_timeout(&victim, trace_cb, "victim", 1);
  test_run(loop);
  ASSERT_TRACE("canceller");
  test_loop_close(loop);
}

CNET_TEST(clear_timeout_before_run) {
  cnet_loop *loop = test_loop();
  cnet_timer t;
  fired = 0;
  cnet_timer_init(loop, &t);
  cnet_set_timeout(&t, count_cb, NULL, 1);
  cnet_clear_timeout(&t);
  cnet_clear_timeout(&t); /* twice is harmless */
  ASSERT(!cnet_loop_alive(loop));
  test_run(loop);
  ASSERT_EQ(0, fired);
  test_loop_close(loop);
}

static void interval_cb(cnet_timer *t, void *arg) {
  (void)arg;
  if (++fired == 3) cnet_clear_interval(t);
}

CNET_TEST(interval_repeats_until_cleared) {
  cnet_loop *loop = test_loop();
  cnet_timer t;
  fired = 0;
  cnet_timer_init(loop, &t);
  ASSERT_EQ(0, cnet_set_interval(&t, interval_cb, NULL, 2));
  test_run(loop);
  ASSERT_EQ(3, fired);
  test_loop_close(loop);
}

static void restart_cb(cnet_timer *t, void *arg) {
  (void)arg;
  if (++fired < 4) cnet_set_timeout(t, restart_cb, NULL, 1);
}

CNET_TEST(timeout_restarted_from_its_callback) {
  cnet_loop *loop = test_loop();
  cnet_timer t;
  fired = 0;
  cnet_timer_init(loop, &t);
  cnet_set_timeout(&t, restart_cb, NULL, 1);
  test_run(loop);
  ASSERT_EQ(4, fired);
  test_loop_close(loop);
}

static cnet_timer refreshed;
static uint64_t started_at, fired_at;

static void refresher_cb(cnet_timer *t, void *arg) {
  (void)arg;
  cnet_timer_refresh(&refreshed);
  if (++fired < 3) cnet_set_timeout(t, refresher_cb, NULL, 20);
}

static void refreshed_cb(cnet_timer *t, void *arg) {
  (void)t;
  (void)arg;
  fired_at = cnet_loop_now(cnet_timer_loop(t));
}

CNET_TEST(refresh_postpones_the_timeout) {
  cnet_loop *loop = test_loop();
  cnet_timer refresher;
  fired = 0;
  cnet_timer_init(loop, &refresher);
  cnet_timer_init(loop, &refreshed);
  started_at = cnet_loop_now(loop);
  /* Refreshed at ~20, ~40 and ~60 ms, a 30 ms timeout cannot fire before
   * 60 + 30 ms: it would have fired at 30 without refresh. */
  cnet_set_timeout(&refreshed, refreshed_cb, NULL, 30);
  cnet_set_timeout(&refresher, refresher_cb, NULL, 20);
  test_run(loop);
  ASSERT_EQ(3, fired);
  ASSERT(fired_at - started_at >= 90);
  test_loop_close(loop);
}

CNET_TEST(refresh_of_unstarted_or_cleared_timer_does_nothing) {
  cnet_loop *loop = test_loop();
  cnet_timer t;
  cnet_timer_init(loop, &t);
  cnet_timer_refresh(&t);
  ASSERT(!cnet_timer_is_active(&t));
  cnet_set_timeout(&t, count_cb, NULL, 1);
  cnet_clear_timeout(&t);
  cnet_timer_refresh(&t);
  ASSERT(!cnet_timer_is_active(&t));
  ASSERT(!cnet_loop_alive(loop));
  test_loop_close(loop);
}

static void refresh_again_cb(cnet_timer *t, void *arg) {
  (void)arg;
  if (++fired < 3) cnet_timer_refresh(t);
}

CNET_TEST(refresh_after_firing_schedules_it_again) {
  cnet_loop *loop = test_loop();
  cnet_timer t;
  fired = 0;
  cnet_timer_init(loop, &t);
  cnet_set_timeout(&t, refresh_again_cb, NULL, 2);
  test_run(loop);
  ASSERT_EQ(3, fired);
  test_loop_close(loop);
}

CNET_TEST(unref_timer_does_not_keep_run_alive) {
  cnet_loop *loop = test_loop();
  cnet_timer keep, idle;
  cnet_timer_init(loop, &keep);
  cnet_timer_init(loop, &idle);
  cnet_set_timeout(&idle, trace_cb, "unref", 60000);
  cnet_timer_unref(&idle);
  ASSERT(!cnet_timer_has_ref(&idle));
  ASSERT(!cnet_loop_alive(loop));
  cnet_set_timeout(&keep, trace_cb, "ref", 5);
  test_run(loop); /* returns after "ref": the 60 s timer is unref'd */
  ASSERT_TRACE("ref");
  ASSERT(cnet_timer_is_active(&idle));
  cnet_clear_timeout(&idle);
  test_loop_close(loop);
}

CNET_TEST(unref_timer_fires_while_loop_is_alive) {
  cnet_loop *loop = test_loop();
  cnet_timer keep, idle;
  cnet_timer_init(loop, &keep);
  cnet_timer_init(loop, &idle);
  cnet_set_timeout(&idle, trace_cb, "unref", 1);
  cnet_timer_unref(&idle);
  cnet_set_timeout(&keep, trace_cb, "ref", 20);
  test_run(loop);
  ASSERT_TRACE("unref ref");
  test_loop_close(loop);
}

CNET_TEST(ref_again_keeps_run_alive) {
  cnet_loop *loop = test_loop();
  cnet_timer t;
  cnet_timer_init(loop, &t);
  cnet_timer_unref(&t);
  cnet_set_timeout(&t, trace_cb, "fired", 2);
  ASSERT(!cnet_loop_alive(loop));
  cnet_timer_ref(&t);
  ASSERT(cnet_loop_alive(loop));
  test_run(loop);
  ASSERT_TRACE("fired");
  test_loop_close(loop);
}

CNET_TEST(timeout_zero_fires) {
  cnet_loop *loop = test_loop();
  cnet_timer t;
  fired = 0;
  cnet_timer_init(loop, &t);
  cnet_set_timeout(&t, count_cb, NULL, 0);
  test_run(loop);
  ASSERT_EQ(1, fired);
  test_loop_close(loop);
}

CNET_TEST(start_rejects_bad_arguments) {
  cnet_loop *loop = test_loop();
  cnet_timer t;
  memset(&t, 0, sizeof t);
  ASSERT_EQ(CNET_EINVAL, cnet_set_timeout(&t, count_cb, NULL, 1)); /* no init */
  cnet_timer_init(loop, &t);
  ASSERT_EQ(CNET_EINVAL, cnet_set_timeout(&t, NULL, NULL, 1));
  ASSERT_EQ(CNET_EINVAL, cnet_set_timeout(NULL, count_cb, NULL, 1));
  ASSERT(!cnet_loop_alive(loop));
  test_loop_close(loop);
}

#define MANY 10000
static cnet_timer many[MANY];
static uint64_t last_due;
static int order_ok;

static void many_cb(cnet_timer *t, void *arg) {
  (void)arg;
  if (t->due < last_due) order_ok = 0;
  last_due = t->due;
  fired++;
}

CNET_TEST(ten_thousand_timers_fire_in_order) {
  cnet_loop *loop = test_loop();
  fired = 0;
  order_ok = 1;
  last_due = 0;
  for (int i = 0; i < MANY; i++) {
    cnet_timer_init(loop, &many[i]);
    cnet_set_timeout(&many[i], many_cb, NULL, (uint64_t)((i * 7919) % 50));
  }
  for (int i = 0; i < MANY; i += 3) cnet_clear_timeout(&many[i]);
  test_run(loop);
  ASSERT_EQ(MANY - (MANY + 2) / 3, fired);
  ASSERT_EQ(1, order_ok);
  test_loop_close(loop);
}
