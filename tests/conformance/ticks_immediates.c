/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* Twin of ticks_immediates.js. */
#include <cnet.h>
#include "trace.h"

static cnet_loop *loop;
static cnet_immediate b, a, d, bb, c;

static void on_named(cnet_immediate *im, void *arg) {
  (void)im;
  trace("%s", (const char *)arg);
}

static void tick_named(void *arg) { trace("%s", (const char *)arg); }

static void on_a(cnet_immediate *im, void *arg) {
  (void)im;
  (void)arg;
  trace("imm A");
  cnet_next_tick(loop, tick_named, "tick from A");
  cnet_set_immediate(loop, &c, on_named, "imm C from A");
  cnet_clear_immediate(&d);
}

static void tick_1(void *arg) {
  (void)arg;
  trace("tick 1");
  cnet_next_tick(loop, tick_named, "tick 3");
}

int main(void) {
  trace_init();
  loop = cnet_default_loop();
  cnet_set_immediate(loop, &b, on_named, "never b");
  cnet_set_immediate(loop, &a, on_a, NULL);
  cnet_set_immediate(loop, &d, on_named, "never d");
  cnet_set_immediate(loop, &bb, on_named, "imm B");
  cnet_clear_immediate(&b);
  cnet_next_tick(loop, tick_1, NULL);
  cnet_next_tick(loop, tick_named, "tick 2");
  trace("main");
  cnet_loop_run(loop, CNET_RUN_DEFAULT);
  return cnet_loop_close(loop) == 0 ? 0 : 1;
}
