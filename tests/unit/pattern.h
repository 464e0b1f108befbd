/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* The integrity tests' data: a pseudo-random byte stream of any length
 * whose bytes at any offset can be made again, so a receiver checks what
 * arrived without keeping what was sent. Word k of the stream is
 * pattern_mix64(k), little-endian. */
#ifndef CNET_TEST_PATTERN_H
#define CNET_TEST_PATTERN_H

#include <stddef.h>
#include <stdint.h>

#include "sha256.h" /* TEST_HOT */

TEST_HOT static inline uint64_t pattern_mix64(uint64_t x) {
  x += 0x9e3779b97f4a7c15ull;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
  return x ^ (x >> 31);
}

/* The bytes at [off, off + len) of the stream. */
TEST_HOT static inline void pattern_fill(uint64_t off, void *out, size_t len) {
  uint8_t *p = out;
  while (len && off % 8) {
    *p++ = (uint8_t)(pattern_mix64(off / 8) >> (8 * (off % 8)));
    off++;
    len--;
  }
  for (; len >= 8; p += 8, off += 8, len -= 8) {
    uint64_t w = pattern_mix64(off / 8);
    for (int i = 0; i < 8; i++) p[i] = (uint8_t)(w >> (8 * i));
  }
  for (; len; p++, off++, len--) *p = (uint8_t)(pattern_mix64(off / 8) >> (8 * (off % 8)));
}

#endif
