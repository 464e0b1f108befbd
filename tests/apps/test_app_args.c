/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* The tools' number parser (apps/common/args.c): what it takes, what it
 * refuses, and the bounds, including the ends of a long. */
#include <limits.h>
#include <stdio.h>

#include "args.h"
#include "harness.h"

static long parsed(const char *s, long min, long max) {
  long v = 12345;
  ASSERT_EQ(0, app_parse_long(s, min, max, &v));
  return v;
}

static void refused(const char *s, long min, long max) {
  long v = 12345;
  ASSERT_EQ(-1, app_parse_long(s, min, max, &v));
  ASSERT_EQ(12345, v);
}

CNET_TEST(digits_within_the_range) {
  ASSERT_EQ(0, parsed("0", 0, 10));
  ASSERT_EQ(10, parsed("10", 0, 10));
  ASSERT_EQ(7, parsed("007", 0, 10));
  ASSERT_EQ(-5, parsed("-5", -10, 10));
  ASSERT(parsed("0", -1, 1) == 0 && parsed("-0", -1, 1) == 0);
  refused("11", 0, 10);
  refused("0", 1, 10);
  refused("-11", -10, 10);
}

CNET_TEST(only_the_whole_string_of_digits) {
  const char *bad[] = {"", "-", " 5", "5 ", "+5", "5x", "0x5", "5.0",
                       "1e3", "--5", "5-", "\t5", "5\n"};
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) refused(bad[i], -100, 100);
  /* A minus sign where nothing below zero is allowed is refused, not read
   * as a huge unsigned number nor as zero. */
  refused("-1", 0, LONG_MAX);
  refused("-0", 0, 10);
}

CNET_TEST(the_ends_of_a_long_and_past_them) {
  char s[64];
  snprintf(s, sizeof s, "%ld", LONG_MAX);
  ASSERT(parsed(s, LONG_MIN, LONG_MAX) == LONG_MAX);
  snprintf(s, sizeof s, "%ld", LONG_MIN);
  ASSERT(parsed(s, LONG_MIN, LONG_MAX) == LONG_MIN);
  refused("9223372036854775808", LONG_MIN, LONG_MAX);
  refused("-9223372036854775809", LONG_MIN, LONG_MAX);
  refused("99999999999999999999999999", 0, LONG_MAX);
}

CNET_TEST(a_prefix_of_len_bytes) {
  long v = 0;
  ASSERT_EQ(0, app_parse_long_n("64K", 2, 0, 100, &v));
  ASSERT_EQ(64, v);
  ASSERT_EQ(-1, app_parse_long_n("64K", 3, 0, 100, &v));
  ASSERT_EQ(-1, app_parse_long_n("64K", 0, 0, 100, &v));
}

CNET_TEST(ports) {
  int port = -1;
  ASSERT_EQ(0, app_parse_port("0", true, &port));
  ASSERT_EQ(0, port);
  ASSERT_EQ(-1, app_parse_port("0", false, &port));
  ASSERT_EQ(0, app_parse_port("65535", false, &port));
  ASSERT_EQ(65535, port);
  ASSERT_EQ(-1, app_parse_port("65536", true, &port));
  ASSERT_EQ(-1, app_parse_port("-1", true, &port));
  ASSERT_EQ(-1, app_parse_port("80 ", true, &port));
}
