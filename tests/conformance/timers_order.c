/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* Twin of timers_order.js. */
#include <cnet.h>
#include "trace.h"

static cnet_timer t10, t20, t30, never, iv;
static int n;

static void on_timeout(cnet_timer *t, void *arg) {
  (void)t;
  trace("timeout %s", (const char *)arg);
}

static void on_never(cnet_timer *t, void *arg) {
  (void)t;
  (void)arg;
  trace("never");
}

static void on_interval(cnet_timer *t, void *arg) {
  (void)arg;
  trace("interval %d", ++n);
  if (n == 3) cnet_clear_interval(t);
}

static void on_tick(void *arg) {
  (void)arg;
  trace("tick");
}

int main(void) {
  trace_init();
  cnet_loop *loop = cnet_default_loop();
  trace("start");
  cnet_timer_init(loop, &t30);
  cnet_timer_init(loop, &t10);
  cnet_timer_init(loop, &t20);
  cnet_timer_init(loop, &never);
  cnet_timer_init(loop, &iv);
  cnet_set_timeout(&t30, on_timeout, "200", 200);
  cnet_set_timeout(&t10, on_timeout, "10", 10);
  cnet_set_timeout(&t20, on_timeout, "100", 100);
  cnet_set_timeout(&never, on_never, NULL, 15);
  cnet_clear_timeout(&never);
  cnet_next_tick(loop, on_tick, NULL);
  cnet_set_interval(&iv, on_interval, NULL, 300);
  trace("main done");
  cnet_loop_run(loop, CNET_RUN_DEFAULT);
  return cnet_loop_close(loop) == 0 ? 0 : 1;
}
