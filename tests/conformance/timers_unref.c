/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* Twin of timers_unref.js. */
#include <cnet.h>
#include "trace.h"

static cnet_timer keeper, ref_t, long_iv, short_t;
static cnet_immediate im1, im2;

static void on_named(cnet_timer *tm, void *arg) {
  (void)tm;
  t("%s", (const char *)arg);
}

static void on_immediate(cnet_immediate *i, void *arg) {
  (void)i;
  t("%s", (const char *)arg);
}

static void on_ref_timeout(cnet_timer *tm, void *arg) {
  (void)arg;
  t("ref timeout");
  cnet_immediate_unref(&im2);
  cnet_set_immediate(cnet_timer_loop(tm), &im2, on_immediate, "unref immediate from ref timeout");
}

static void on_short(cnet_timer *tm, void *arg) {
  (void)arg;
  t("unref short");
  cnet_clear_timeout(&keeper);
  cnet_immediate_unref(&im1);
  cnet_set_immediate(cnet_timer_loop(tm), &im1, on_immediate, "unref immediate from unref short");
  cnet_timer_init(cnet_timer_loop(tm), &ref_t);
  cnet_set_timeout(&ref_t, on_ref_timeout, NULL, 20);
}

static const char *b(bool v) { return v ? "true" : "false"; }

int main(void) {
  trace_init();
  cnet_loop *loop = cnet_default_loop();
  cnet_timer_init(loop, &long_iv);
  cnet_timer_init(loop, &short_t);
  cnet_timer_init(loop, &keeper);
  cnet_set_interval(&long_iv, on_named, "unref interval", 60000);
  cnet_timer_unref(&long_iv);
  cnet_set_timeout(&short_t, on_short, NULL, 5);
  cnet_timer_unref(&short_t);
  cnet_set_timeout(&keeper, on_named, "keeper fired", 5);
  t("hasRef %s %s %s", b(cnet_timer_has_ref(&long_iv)),
    b(cnet_timer_has_ref(&keeper)), b(cnet_timer_has_ref(&short_t)));
  cnet_timer_ref(&short_t);
  cnet_timer_unref(&short_t);
  cnet_loop_run(loop, CNET_RUN_DEFAULT);
  t("loop done");
  /* Unref'd handles are still open: stop them before closing the loop. */
  cnet_clear_interval(&long_iv);
  cnet_clear_immediate(&im2); /* queued, unref'd: it never ran, as in Node */
  return cnet_loop_close(loop) == 0 ? 0 : 1;
}
