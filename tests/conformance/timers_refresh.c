/* Twin of timers_refresh.js. */
#include <cnet.h>
#include "trace.h"

static cnet_timer tm, r20, r40, again, cleared;
static uint64_t start;
static int fires;

static void on_tm(cnet_timer *t, void *arg) {
  (void)arg;
  cnet_loop_update_time(t->loop);
  trace("refreshed fired, late enough: %s",
    cnet_loop_now(t->loop) - start >= 60 ? "true" : "false");
}

static void on_refresh(cnet_timer *t, void *arg) {
  (void)t;
  cnet_timer_refresh(&tm);
  trace("%s", (const char *)arg);
}

static void on_again(cnet_timer *t, void *arg) {
  (void)arg;
  trace("again fired %d", ++fires);
  if (fires < 3) cnet_timer_refresh(t);
}

static void on_never(cnet_timer *t, void *arg) {
  (void)t;
  (void)arg;
  trace("never");
}

int main(void) {
  trace_init();
  cnet_loop *loop = cnet_default_loop();
  cnet_loop_update_time(loop);
  start = cnet_loop_now(loop);
  cnet_timer_init(loop, &tm);
  cnet_timer_init(loop, &r20);
  cnet_timer_init(loop, &r40);
  cnet_timer_init(loop, &again);
  cnet_timer_init(loop, &cleared);
  cnet_set_timeout(&tm, on_tm, NULL, 30);
  cnet_set_timeout(&r20, on_refresh, "refresh at 20", 20);
  cnet_set_timeout(&r40, on_refresh, "refresh at 40", 40);
  cnet_set_timeout(&again, on_again, NULL, 100);
  cnet_set_timeout(&cleared, on_never, NULL, 10);
  cnet_clear_timeout(&cleared);
  cnet_timer_refresh(&cleared);
  cnet_loop_run(loop, CNET_RUN_DEFAULT);
  return cnet_loop_close(loop) == 0 ? 0 : 1;
}
