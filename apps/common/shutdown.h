/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* What the servers among the tools share: SIGINT and SIGTERM as
 * cnet_signal watchers on the main loop, each calling the tool's
 * shutdown. */
#ifndef CNET_APPS_SHUTDOWN_H
#define CNET_APPS_SHUTDOWN_H

#include <cnet.h>

typedef struct app_shutdown_signals {
  cnet_signal sigint, sigterm;
} app_shutdown_signals;

/* Starts both watchers with cb(arg). Unref'd, as Node's are, they never
 * keep the loop running. 0 or the error of the first call that failed. */
int app_watch_shutdown(cnet_loop *loop, app_shutdown_signals *w,
                       cnet_signal_cb cb, void *arg);

/* Once the loop has run: the watchers go, and SIGINT and SIGTERM stay
 * blocked until the process exits, so that a late one is ignored as one
 * during the shutdown is (no other thread takes them: cnet's pool threads
 * block every signal, and a tool joins its own before). */
void app_unwatch_shutdown(app_shutdown_signals *w);

#endif
