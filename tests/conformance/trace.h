/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* The trace format shared with lib/trace.js: one observable event per line,
 * fields separated by single spaces. stdout is line-buffered so that a crash
 * still shows how far the program got. */
#ifndef CNET_CONFORMANCE_TRACE_H
#define CNET_CONFORMANCE_TRACE_H
#include <stdio.h>
#include <stdarg.h>

static inline void trace_init(void) { setvbuf(stdout, NULL, _IOLBF, 0); }

__attribute__((format(printf, 1, 2)))
static inline void trace(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vprintf(fmt, ap);
  va_end(ap);
  putchar('\n');
}
/* Short name, as lib/trace.js exports it too. */
#define t(...) trace(__VA_ARGS__)
#endif
