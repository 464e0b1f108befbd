/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* SIGINT and SIGTERM for the servers among the tools (shutdown.h). */
#include "shutdown.h"

#include <pthread.h>
#include <signal.h>

int app_watch_shutdown(cnet_loop *loop, app_shutdown_signals *w,
                       cnet_signal_cb cb, void *arg) {
  int r = cnet_signal_init(loop, &w->sigint);
  if (r == 0) r = cnet_signal_init(loop, &w->sigterm);
  if (r == 0) r = cnet_signal_start(&w->sigint, SIGINT, cb, arg);
  if (r == 0) r = cnet_signal_start(&w->sigterm, SIGTERM, cb, arg);
  return r;
}

void app_unwatch_shutdown(app_shutdown_signals *w) {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, NULL);
  cnet_signal_close(&w->sigint);
  cnet_signal_close(&w->sigterm);
}
