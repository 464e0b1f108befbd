/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* Twin of signal_listeners.js. A listener is a cnet_signal: removing one
 * is stopping it, adding it again is starting it again. */
#include <cnet.h>
#include <signal.h>
#include <unistd.h>
#include "trace.h"

static cnet_loop *loop;
static cnet_timer keep;
static cnet_signal first, second;
static cnet_immediate immediate;
static int step;

static void on_keep(cnet_timer *tm, void *arg) { (void)tm, (void)arg; }

static void on_tick(void *arg) {
  (void)arg;
  t("tick after %d", step);
}

static void on_immediate(cnet_immediate *im, void *arg) {
  (void)im, (void)arg;
  t("immediate");
}

static void on_first(cnet_signal *sig, int signum, void *arg) {
  (void)sig, (void)arg;
  t("first %s %d %d", cnet_signal_name(signum), signum, step);
  if (step == 4) {
    cnet_signal_close(&first);
    cnet_signal_close(&second);
    cnet_clear_interval(&keep);
    t("default again");
    kill(getpid(), SIGUSR2);
    return;
  }
  cnet_next_tick(loop, on_tick, NULL);
}

static void on_second(cnet_signal *sig, int signum, void *arg) {
  (void)sig, (void)arg;
  t("second %s %d %d", cnet_signal_name(signum), signum, step);
  switch (++step) {
  case 1:
    cnet_signal_stop(&first);
    kill(getpid(), SIGUSR2);
    break;
  case 2:
    cnet_signal_start(&first, SIGUSR2, on_first, NULL);
    kill(getpid(), SIGUSR2);
    kill(getpid(), SIGUSR2);
    cnet_set_immediate(loop, &immediate, on_immediate, NULL);
    break;
  }
}

int main(void) {
  trace_init();
  loop = cnet_default_loop();
  cnet_timer_init(loop, &keep);
  cnet_set_interval(&keep, on_keep, NULL, 1u << 30);
  if (cnet_signal_init(loop, &first) != 0 ||
      cnet_signal_init(loop, &second) != 0)
    return 1;
  cnet_signal_start(&first, SIGUSR2, on_first, NULL);
  cnet_signal_start(&second, SIGUSR2, on_second, NULL);
  kill(getpid(), SIGUSR2);
  t("sent");
  cnet_loop_run(loop, CNET_RUN_DEFAULT);
  /* Not reached: the last SIGUSR2 ends the process, as it ends Node. */
  t("loop done");
  return cnet_loop_close(loop) == 0 ? 0 : 1;
}
