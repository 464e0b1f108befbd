/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* What the servers among the tools do with a failed accept() (out of
 * descriptors or memory): log it, at most one line per
 * LOG_LIMIT_INTERVAL_MS, and keep serving. cnet's server has already shed
 * or queued the connection and keeps listening (docs/net.md); under a
 * connection flood it reports on every wake-up, which would otherwise fill
 * the log. */
#ifndef CNET_APPS_ACCEPT_ERRORS_H
#define CNET_APPS_ACCEPT_ERRORS_H

#include <cnet.h>

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "log_limit.h"

typedef log_limit accept_log;

/* A server 'error' that comes from accept() rather than from listen(). */
static inline bool app_is_accept_error(const cnet_error *err) {
  return err && err->syscall && strcmp(err->syscall, "accept") == 0;
}

/* "<prog>: accept EMFILE: too many open files; still listening", then at
 * most one line per interval, with " (N more since the last report)". */
static inline void app_log_accept_error(accept_log *log, const char *prog,
                                        const cnet_error *err) {
  unsigned long held;
  if (!log_limit_take(log, &held)) return;
  if (held)
    fprintf(stderr, "%s: %s: %s; still listening (%lu more since the last report)\n",
            prog, err->message, cnet_strerror(err->code), held);
  else
    fprintf(stderr, "%s: %s: %s; still listening\n", prog, err->message,
            cnet_strerror(err->code));
}

#endif
