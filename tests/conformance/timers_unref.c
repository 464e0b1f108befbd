/* Twin of timers_unref.js. */
#include <cnet.h>
#include "trace.h"

static cnet_timer keep, long_iv, short_t;
static cnet_immediate im;

static void on_named(cnet_timer *t, void *arg) {
  (void)t;
  trace("%s", (const char *)arg);
}

static void on_immediate(cnet_immediate *i, void *arg) {
  (void)i;
  (void)arg;
  trace("unref immediate");
}

static const char *b(bool v) { return v ? "true" : "false"; }

int main(void) {
  trace_init();
  cnet_loop *loop = cnet_default_loop();
  cnet_timer_init(loop, &keep);
  cnet_timer_init(loop, &long_iv);
  cnet_timer_init(loop, &short_t);
  cnet_set_timeout(&keep, on_named, "ref timeout", 20);
  cnet_set_interval(&long_iv, on_named, "unref interval", 60000);
  cnet_timer_unref(&long_iv);
  cnet_set_timeout(&short_t, on_named, "unref short", 5);
  cnet_timer_unref(&short_t);
  trace("hasRef %s %s %s", b(cnet_timer_has_ref(&long_iv)),
    b(cnet_timer_has_ref(&keep)), b(cnet_timer_has_ref(&short_t)));
  cnet_timer_ref(&short_t);
  cnet_timer_unref(&short_t);
  cnet_immediate_unref(&im);
  cnet_set_immediate(loop, &im, on_immediate, NULL);
  cnet_loop_run(loop, CNET_RUN_DEFAULT);
  trace("loop done");
  /* Unref'd handles are still open: stop them before closing the loop. */
  cnet_clear_interval(&long_iv);
  cnet_clear_immediate(&im);
  return cnet_loop_close(loop) == 0 ? 0 : 1;
}
