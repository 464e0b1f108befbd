/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* The tools' command lines. Numbers are read one strict way: the whole
 * argument, decimal digits only, within a range, so that "8o88", " 80",
 * "+80", "0x50" and a value past the range are all refused alike rather
 * than read as something the user did not write. A line the tool cannot
 * run is said the same way by every tool, with exit status 2. */
#ifndef CNET_APPS_ARGS_H
#define CNET_APPS_ARGS_H

#include <stdbool.h>
#include <stddef.h>

/* s, all of it, as an integer from min to max: digits, with a '-' in front
 * only when min is below zero; no spaces, no '+', no base prefix, nothing
 * after. Returns 0 with *out set, or -1 (*out untouched), overflow
 * included. */
int app_parse_long(const char *s, long min, long max, long *out);

/* The same over the first len bytes of s, for a number before a unit. */
int app_parse_long_n(const char *s, size_t len, long min, long max, long *out);

/* A TCP or UDP port: 1 to 65535, and 0 ("any free port") if zero_ok. */
int app_parse_port(const char *s, bool zero_ok, int *out);

/* "<prog>: <msg>: <arg>" (or without ": <arg>" when arg is NULL), then
 * the usage text, on stderr; exits with status 2. */
_Noreturn void app_usage_error(const char *prog, const char *usage,
                               const char *msg, const char *arg);

/* -V, --version: "<prog> <major>.<minor>.<patch>" on stdout, the version
 * of the library it runs with (cnet_version_string()). */
void app_print_version(const char *prog);

#endif
