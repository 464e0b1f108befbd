/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* The version macros of the generated cnet/version.h and the library's
 * run-time version say the same thing, in their three forms. */
#include "harness.h"

#include <stdio.h>

CNET_TEST(library_is_the_version_of_its_headers) {
  ASSERT_EQ((unsigned)CNET_VERSION_HEX, cnet_version());
  ASSERT_STR_EQ(CNET_VERSION_STRING, cnet_version_string());
}

CNET_TEST(hex_and_string_are_the_three_numbers) {
  ASSERT_EQ((CNET_VERSION_MAJOR << 16) | (CNET_VERSION_MINOR << 8) |
                CNET_VERSION_PATCH,
            CNET_VERSION_HEX);
  char text[32];
  snprintf(text, sizeof text, "%d.%d.%d", CNET_VERSION_MAJOR,
           CNET_VERSION_MINOR, CNET_VERSION_PATCH);
  ASSERT_STR_EQ(text, CNET_VERSION_STRING);
}
