/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* cnet's side of the differential UTF-8 validator test (utf8_diff.js):
 * reads lines "VALID PREFIX HEX" (Node's answers for the bytes HEX), asks
 * cnet_utf8_is_valid and cnet_utf8_valid_prefix the same, and prints each
 * line where an answer differs, then a last line saying how many agree. */
#include <cnet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { MAX_BYTES = 4096 };

static int unhex(int c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

int main(void) {
  static char line[2 * MAX_BYTES + 64];
  static unsigned char bytes[MAX_BYTES];
  unsigned long cases = 0, differ = 0;
  while (fgets(line, sizeof line, stdin)) {
    int valid, consumed = 0;
    size_t prefix, len = 0;
    if (sscanf(line, "%d %zu %n", &valid, &prefix, &consumed) != 2) {
      fprintf(stderr, "bad line: %s", line);
      return 2;
    }
    for (const char *h = line + consumed; unhex(h[0]) >= 0 && len < MAX_BYTES;
         h += 2)
      bytes[len++] = (unsigned char)(unhex(h[0]) << 4 | unhex(h[1]));
    bool cnet_valid = cnet_utf8_is_valid(bytes, len);
    size_t cnet_prefix = cnet_utf8_valid_prefix(bytes, len);
    cases++;
    if (cnet_valid != (valid == 1) || cnet_prefix != prefix) {
      differ++;
      printf("node isUtf8 %d prefix %zu, cnet %d prefix %zu: %s", valid,
             prefix, cnet_valid, cnet_prefix, line + consumed);
    }
  }
  if (differ)
    printf("%lu of %lu strings differ\n", differ, cases);
  else
    printf("%lu strings: Node and cnet agree\n", cases);
  return differ ? 1 : 0;
}
