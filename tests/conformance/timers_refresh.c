/* Twin of timers_refresh.js. */
#include <cnet.h>
#include "trace.h"

static cnet_timer tm, r20, r40, marker, again, next;
static int fires;

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
  (void)arg;
  t("refreshed fired");
  cnet_timer_refresh(&again); /* cleared: stays cleared */
  cnet_timer_init(timer->loop, &next);
  cnet_set_timeout(&next, on_next, NULL, 10);
}

static void on_r20(cnet_timer *timer, void *arg) {
  (void)timer;
  (void)arg;
  cnet_timer_refresh(&tm);
  t("refresh at 20");
}

static void on_r40(cnet_timer *timer, void *arg) {
  (void)arg;
  cnet_timer_refresh(&tm);
  t("refresh at 40");
  cnet_timer_init(timer->loop, &marker);
  cnet_set_timeout(&marker, on_named, "marker", 20);
}

int main(void) {
  trace_init();
  cnet_loop *loop = cnet_default_loop();
  cnet_timer_init(loop, &again);
  cnet_timer_init(loop, &tm);
  cnet_timer_init(loop, &r20);
  cnet_timer_init(loop, &r40);
  cnet_set_timeout(&again, on_again, NULL, 10);
  cnet_clear_timeout(&again);
  cnet_set_timeout(&tm, on_tm, NULL, 30);
  cnet_set_timeout(&r20, on_r20, NULL, 20);
  cnet_set_timeout(&r40, on_r40, NULL, 40);
  cnet_loop_run(loop, CNET_RUN_DEFAULT);
  return cnet_loop_close(loop) == 0 ? 0 : 1;
}
