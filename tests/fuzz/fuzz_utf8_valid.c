/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* Fuzz target: the UTF-8 validator (cnet_utf8_is_valid,
 * cnet_utf8_valid_prefix, cnet_utf8_incomplete_tail), what tells a reader
 * whether bytes from a peer are text.
 *
 * Input: the bytes to judge. Properties:
 *  - valid exactly when the utf8 StringDecoder (whole, then end()) gives
 *    back the same bytes: the validator and the decoder share one
 *    definition of valid; and exactly when the independent checker of
 *    fuzz.h says so;
 *  - the valid prefix is valid, is all of the input when the input is
 *    valid, and is the longest: no character starting where it ends
 *    completes within the next four bytes;
 *  - what follows it is an incomplete tail exactly when some continuation
 *    bytes would complete it into a valid character;
 *  - the input cut at a random point, then at every point: the prefix of
 *    a valid input cut anywhere leaves either nothing or an incomplete
 *    tail, never something invalid. */
#include <cnet.h>

#include "fuzz.h"

/* Whether 1 to 3 bytes could start a valid character: pad them with the
 * continuation bytes that each range of second bytes allows and ask the
 * independent checker. */
static bool ref_incomplete(const uint8_t *s, size_t len) {
  static const uint8_t seconds[] = {0x80, 0x90, 0xA0};
  size_t total;
  if (len == 0 || len > 3) return false;
  if (s[0] >= 0xC2 && s[0] <= 0xDF)
    total = 2;
  else if (s[0] >= 0xE0 && s[0] <= 0xEF)
    total = 3;
  else if (s[0] >= 0xF0 && s[0] <= 0xF4)
    total = 4;
  else
    return false;
  if (len >= total) return false;
  for (size_t k = 0; k < sizeof seconds; k++) {
    uint8_t c[4];
    memcpy(c, s, len);
    for (size_t i = len; i < total; i++) c[i] = i == 1 ? seconds[k] : 0x80;
    if (fuzz_utf8_valid(c, total)) return true;
  }
  return false;
}

static bool decodes_to_itself(const uint8_t *data, size_t size) {
  cnet_string_decoder d;
  cnet_string_decoder_init(&d, CNET_ENC_UTF8);
  char *out = malloc(cnet_string_decoder_max_out(&d, size) + 16);
  if (!out) abort();
  size_t n = cnet_string_decoder_write(&d, data, size, out);
  n += cnet_string_decoder_end(&d, out + n);
  bool same = n == size && memcmp(out, data, size) == 0;
  free(out);
  return same;
}

static void check_prefix(const uint8_t *s, size_t len) {
  size_t p = cnet_utf8_valid_prefix(s, len);
  FUZZ_CHECK(p <= len);
  FUZZ_CHECK(cnet_utf8_is_valid(s, p));
  FUZZ_CHECK((p == len) == cnet_utf8_is_valid(s, len));
  for (size_t q = p + 1; q <= len && q <= p + 4; q++)
    FUZZ_CHECK(!fuzz_utf8_valid(s, q));
  size_t rest = len - p;
  FUZZ_CHECK(cnet_utf8_incomplete_tail(s + p, rest) ==
             ref_incomplete(s + p, rest));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  /* A copy of exactly the input's size, so that ASan sees any read past
   * it, the ASCII fast path's 8-byte loads included. */
  uint8_t *s = fuzz_dup(data, size);
  bool valid = cnet_utf8_is_valid(s, size);
  FUZZ_CHECK(valid == fuzz_utf8_valid(s, size));
  FUZZ_CHECK(valid == decodes_to_itself(s, size));
  check_prefix(s, size);

  fuzz_rng g = fuzz_rng_from(data, size);
  size_t cut = size ? (size_t)(fuzz_rng_next(&g) % (size + 1)) : 0;
  check_prefix(s, cut);
  if (valid) {
    for (size_t k = 0; k <= size; k++) {
      size_t p = cnet_utf8_valid_prefix(s, k);
      FUZZ_CHECK(p == k || cnet_utf8_incomplete_tail(s + p, k - p));
    }
  }
  free(s);
  return 0;
}
