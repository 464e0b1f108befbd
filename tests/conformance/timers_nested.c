/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* Twin of timers_nested.js. */
#include <cnet.h>
#include "trace.h"

static cnet_timer a, b, zero;
static cnet_immediate im;

static void on_named(cnet_timer *t, void *arg) {
  (void)t;
  trace("%s", (const char *)arg);
}

static void on_immediate(cnet_immediate *i, void *arg) {
  (void)i;
  (void)arg;
  trace("immediate from A");
}

static void on_tick(void *arg) {
  (void)arg;
  trace("tick from A");
}

static void on_a(cnet_timer *t, void *arg) {
  (void)arg;
  trace("timer A");
  cnet_timer_init(t->loop, &zero);
  cnet_set_timeout(&zero, on_named, "timeout 0 from A", 0);
  cnet_set_immediate(t->loop, &im, on_immediate, NULL);
  cnet_next_tick(t->loop, on_tick, NULL);
}

int main(void) {
  trace_init();
  cnet_loop *loop = cnet_default_loop();
  cnet_timer_init(loop, &a);
  cnet_timer_init(loop, &b);
  cnet_set_timeout(&a, on_a, NULL, 5);
  cnet_set_timeout(&b, on_named, "timer B", 5);
  /* Both timers are due before the loop starts, so one pass runs them both. */
  uint64_t start = cnet_loop_now(loop);
  do cnet_loop_update_time(loop);
  while (cnet_loop_now(loop) - start < 20);
  cnet_loop_run(loop, CNET_RUN_DEFAULT);
  return cnet_loop_close(loop) == 0 ? 0 : 1;
}
