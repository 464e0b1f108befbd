/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* Twin of timers_refresh.js. */
#include <cnet.h>
#include <time.h>
#include "trace.h"

static cnet_timer tm, r1, r2, marker, again, next;
static int fires;

/* Date.now()-style: a clock of its own, not the loop's, which reads the
 * time again at the next pass (or when a timer is started). */
static void busy(long ms) {
  struct timespec a, b;
  clock_gettime(CLOCK_MONOTONIC, &a);
  do clock_gettime(CLOCK_MONOTONIC, &b);
  while ((b.tv_sec - a.tv_sec) * 1000 + (b.tv_nsec - a.tv_nsec) / 1000000 < ms);
}

static void on_named(cnet_timer *timer, void *arg) {
  (void)timer;
  t("%s", (const char *)arg);
}

static void on_again(cnet_timer *timer, void *arg) {
  (void)arg;
  t("again fired %d", ++fires);
  if (fires < 3) cnet_timer_refresh(timer);
}

static void on_next(cnet_timer *timer, void *arg) {
  (void)arg;
  t("next fired %d", ++fires);
  if (fires < 3) cnet_timer_refresh(timer);
}

static void on_tm(cnet_timer *timer, void *arg) {
  (void)timer;
  (void)arg;
  t("refreshed fired");
  cnet_timer_refresh(&again); /* cleared: stays cleared */
  cnet_set_timeout(&next, on_next, NULL, 10);
}

static void on_r2(cnet_timer *timer, void *arg) {
  (void)timer;
  (void)arg;
  t("refresh 2");
  cnet_set_timeout(&marker, on_named, "marker", 5);
  cnet_timer_refresh(&tm);
}

static void on_r1(cnet_timer *timer, void *arg) {
  (void)timer;
  (void)arg;
  t("refresh 1");
  cnet_set_timeout(&r2, on_r2, NULL, 5);
  cnet_timer_refresh(&tm);
  busy(20); /* the next pass has the second refresher and tm due */
}

int main(void) {
  trace_init();
  cnet_loop *loop = cnet_default_loop();
  cnet_timer *all[] = {&tm, &r1, &r2, &marker, &again, &next};
  for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
    cnet_timer_init(loop, all[i]);
  cnet_set_timeout(&again, on_again, NULL, 10);
  cnet_clear_timeout(&again);
  cnet_set_timeout(&r1, on_r1, NULL, 5);
  cnet_set_timeout(&tm, on_tm, NULL, 10);
  busy(20); /* the first pass has the first refresher and tm due */
  cnet_loop_run(loop, CNET_RUN_DEFAULT);
  return cnet_loop_close(loop) == 0 ? 0 : 1;
}
