/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* Twin of timers_slow_callback.js. */
#include <cnet.h>
#include <time.h>
#include "trace.h"

static cnet_timer slow, meanwhile, after, slow2, kept, marker;
static cnet_immediate im;

/* Date.now()-style: a clock of its own, not the loop's. */
static void busy(long ms) {
  struct timespec a, b;
  clock_gettime(CLOCK_MONOTONIC, &a);
  do clock_gettime(CLOCK_MONOTONIC, &b);
  while ((b.tv_sec - a.tv_sec) * 1000 + (b.tv_nsec - a.tv_nsec) / 1000000 < ms);
}

static void on_named(cnet_timer *tm, void *arg) {
  (void)tm;
  t("%s", (const char *)arg);
}

static void on_immediate(cnet_immediate *i, void *arg) {
  (void)i;
  (void)arg;
  t("immediate from slow callback");
}

static void on_slow2(cnet_timer *tm, void *arg) {
  (void)tm;
  (void)arg;
  cnet_set_timeout(&marker, on_named, "marker", 35);
  busy(40);
  cnet_timer_refresh(&kept);
  t("refreshed late");
}

/* slow2 and kept are due together in the pass after the wait, slow2 first
 * (same delay, started first); slow2 refreshes kept, 40 ms after the turn
 * began, so kept is due 30 ms after that: after marker. */
static void refresh_late(void) {
  cnet_set_timeout(&slow2, on_slow2, NULL, 30);
  cnet_set_timeout(&kept, on_named, "kept fired", 30);
  busy(40);
}

static void on_after(cnet_timer *tm, void *arg) {
  (void)tm;
  (void)arg;
  t("started after the wait");
  refresh_late();
}

static void on_slow(cnet_timer *tm, void *arg) {
  (void)arg;
  /* Started in the pass, so due after its time whatever the clock says. */
  cnet_set_timeout(&meanwhile, on_named, "due meanwhile", 1);
  t("slow callback");
  cnet_set_immediate(cnet_timer_loop(tm), &im, on_immediate, NULL);
  busy(20);
  cnet_set_timeout(&after, on_after, NULL, 1);
}

int main(void) {
  trace_init();
  cnet_loop *loop = cnet_default_loop();
  cnet_timer *all[] = {&slow, &meanwhile, &after, &slow2, &kept, &marker};
  for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
    cnet_timer_init(loop, all[i]);
  cnet_set_timeout(&slow, on_slow, NULL, 5);
  cnet_loop_run(loop, CNET_RUN_DEFAULT);
  return cnet_loop_close(loop) == 0 ? 0 : 1;
}
