/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* The tools' one number parser and their usage errors (args.h). */
#include "args.h"

#include <cnet.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int app_parse_long_n(const char *s, size_t len, long min, long max, long *out) {
  bool negative = len > 0 && s[0] == '-' && min < 0;
  size_t i = negative ? 1 : 0;
  if (i == len) return -1;
  /* Accumulated as a negative number, whose range is the wider one, so
   * that LONG_MIN itself reads without overflow. */
  long v = 0;
  for (; i < len; i++) {
    if (s[i] < '0' || s[i] > '9') return -1;
    int digit = s[i] - '0';
    if (v < (LONG_MIN + digit) / 10) return -1;
    v = v * 10 - digit;
  }
  if (!negative) {
    if (v < -LONG_MAX) return -1;
    v = -v;
  }
  if (v < min || v > max) return -1;
  *out = v;
  return 0;
}

int app_parse_long(const char *s, long min, long max, long *out) {
  return app_parse_long_n(s, strlen(s), min, max, out);
}

int app_parse_port(const char *s, bool zero_ok, int *out) {
  long v;
  if (app_parse_long(s, zero_ok ? 0 : 1, 65535, &v) != 0) return -1;
  *out = (int)v;
  return 0;
}

void app_usage_error(const char *prog, const char *usage, const char *msg,
                     const char *arg) {
  fprintf(stderr, "%s: %s%s%s\n%s", prog, msg, arg ? ": " : "", arg ? arg : "",
          usage);
  exit(2);
}

void app_print_version(const char *prog) {
  printf("%s %s\n", prog, cnet_version_string());
}
