/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
#include "log.h"

#include <stdarg.h>
#include <stdio.h>
#include <time.h>

void chat_log(const char *who, const char *fmt, ...) {
  char when[32];
  time_t now = time(NULL);
  struct tm tm;
  localtime_r(&now, &tm);
  strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S", &tm);
  char msg[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  fprintf(stderr, "%s cnet-chat: %s %s\n", when, who, msg);
}
