/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* What the fuzz targets share: a reader that splits the fuzzer's bytes into
 * arguments, a small deterministic random stream for chunking, a growable
 * byte buffer, an independent UTF-8 checker and the check that aborts.
 *
 * Every target is a plain LLVMFuzzerTestOneInput: libFuzzer drives it in
 * `make fuzz`, replay.c (a plain main) replays the corpus in `make test`.
 * A failed property aborts with a message, which both treat as a crash. */
#ifndef CNET_FUZZ_H
#define CNET_FUZZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A property that must hold: on failure, say which and where, and abort so
 * that libFuzzer saves the input and the replay test fails. The message
 * goes to fd 2 itself, which a target may keep while it points the stderr
 * stream elsewhere. */
#define FUZZ_CHECK(cond)                                                     \
  do {                                                                       \
    if (!(cond)) {                                                           \
      dprintf(2, "%s:%d: property failed: %s\n", __FILE__, __LINE__, #cond); \
      abort();                                                               \
    }                                                                        \
  } while (0)

/* ---- Reading arguments out of the input ------------------------------ */

typedef struct fuzz_reader {
  const uint8_t *p;
  size_t left;
} fuzz_reader;

static inline fuzz_reader fuzz_reader_init(const uint8_t *data, size_t size) {
  fuzz_reader r = {data, size};
  return r;
}

/* One byte, or 0 once the input is used up (so every input is valid). */
static inline uint8_t fuzz_u8(fuzz_reader *r) {
  if (r->left == 0) return 0;
  r->left--;
  return *r->p++;
}

static inline uint16_t fuzz_u16(fuzz_reader *r) {
  uint16_t hi = fuzz_u8(r);
  return (uint16_t)(hi << 8 | fuzz_u8(r));
}

static inline uint32_t fuzz_u32(fuzz_reader *r) {
  uint32_t hi = fuzz_u16(r);
  return hi << 16 | fuzz_u16(r);
}

/* A piece of the input up to the next NUL (not included) or the end: the
 * way the targets that take several strings find them. Returns a pointer
 * into the input and its length in *len. */
static inline const uint8_t *fuzz_piece(fuzz_reader *r, size_t *len) {
  const uint8_t *start = r->p;
  const uint8_t *nul = r->left ? memchr(r->p, 0, r->left) : NULL;
  size_t n = nul ? (size_t)(nul - r->p) : r->left;
  *len = n;
  r->p += n;
  r->left -= n;
  if (nul) r->p++, r->left--;
  return start;
}

/* The same piece as a NUL-terminated string in buf (cut at size - 1). */
static inline const char *fuzz_string(fuzz_reader *r, char *buf,
                                      size_t size) {
  size_t n;
  const uint8_t *s = fuzz_piece(r, &n);
  if (n >= size) n = size - 1;
  memcpy(buf, s, n);
  buf[n] = '\0';
  return buf;
}

/* ---- Random chunking -------------------------------------------------- */

/* splitmix64: a seed in, a stream of well-mixed numbers out. Seeded from
 * the input, so that a run is the same on replay. */
typedef struct fuzz_rng {
  uint64_t s;
} fuzz_rng;

static inline uint64_t fuzz_rng_next(fuzz_rng *g) {
  uint64_t z = (g->s += UINT64_C(0x9e3779b97f4a7c15));
  z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
  z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
  return z ^ (z >> 31);
}

/* FNV-1a of the input: the seed of the chunking. */
static inline fuzz_rng fuzz_rng_from(const uint8_t *data, size_t size) {
  uint64_t h = UINT64_C(0xcbf29ce484222325);
  for (size_t i = 0; i < size; i++) h = (h ^ data[i]) * UINT64_C(0x100000001b3);
  fuzz_rng g = {h};
  return g;
}

/* The length of the next chunk of a random split: 1 to 16 bytes mostly,
 * sometimes up to 256, never more than left (and at least 1 if left > 0). */
static inline size_t fuzz_chunk(fuzz_rng *g, size_t left) {
  uint64_t x = fuzz_rng_next(g);
  size_t n = (x & 7) == 0 ? (size_t)(x >> 8) % 256 + 1 : (size_t)(x >> 8) % 16 + 1;
  return n < left ? n : left;
}

/* ---- A growable byte buffer ------------------------------------------ */

typedef struct fuzz_buf {
  uint8_t *p;
  size_t len, cap;
} fuzz_buf;

static inline void fuzz_buf_add(fuzz_buf *b, const void *data, size_t len) {
  if (b->len + len > b->cap) {
    size_t cap = b->cap ? b->cap : 256;
    while (cap < b->len + len) cap *= 2;
    uint8_t *p = realloc(b->p, cap);
    if (!p) abort();
    b->p = p;
    b->cap = cap;
  }
  if (len) memcpy(b->p + b->len, data, len);
  b->len += len;
}

static inline void fuzz_buf_byte(fuzz_buf *b, uint8_t c) {
  fuzz_buf_add(b, &c, 1);
}

static inline bool fuzz_buf_eq(const fuzz_buf *a, const fuzz_buf *b) {
  return a->len == b->len && (a->len == 0 || memcmp(a->p, b->p, a->len) == 0);
}

static inline void fuzz_buf_free(fuzz_buf *b) {
  free(b->p);
  b->p = NULL;
  b->len = b->cap = 0;
}

/* A copy of len bytes in a heap block of exactly that size, so that ASan
 * sees a read one past the end. */
static inline uint8_t *fuzz_dup(const void *data, size_t len) {
  uint8_t *p = malloc(len ? len : 1);
  if (!p) abort();
  if (len) memcpy(p, data, len);
  return p;
}

/* ---- UTF-8 ------------------------------------------------------------ */

/* Whether s is well-formed UTF-8 (Unicode's table 3-7: no overlong forms,
 * no surrogates, nothing above U+10FFFF). Written from the table rather
 * than shared with src/encoding.c, so that it checks that code. */
static inline bool fuzz_utf8_valid(const uint8_t *s, size_t len) {
  size_t i = 0;
  while (i < len) {
    uint8_t c = s[i];
    size_t n;
    uint8_t lo = 0x80, hi = 0xBF;
    if (c < 0x80) {
      i++;
      continue;
    } else if (c >= 0xC2 && c <= 0xDF) {
      n = 1;
    } else if (c >= 0xE0 && c <= 0xEF) {
      n = 2;
      if (c == 0xE0) lo = 0xA0;
      if (c == 0xED) hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      n = 3;
      if (c == 0xF0) lo = 0x90;
      if (c == 0xF4) hi = 0x8F;
    } else {
      return false;
    }
    if (len - i <= n) return false;
    if (s[i + 1] < lo || s[i + 1] > hi) return false;
    for (size_t k = 2; k <= n; k++)
      if ((s[i + k] & 0xC0) != 0x80) return false;
    i += n + 1;
  }
  return true;
}

/* Appends code point cp as UTF-8. */
static inline void fuzz_put_utf8(fuzz_buf *out, uint32_t cp) {
  uint8_t b[4];
  size_t n;
  if (cp < 0x80) {
    b[0] = (uint8_t)cp;
    n = 1;
  } else if (cp < 0x800) {
    b[0] = (uint8_t)(0xC0 | cp >> 6);
    b[1] = (uint8_t)(0x80 | (cp & 0x3F));
    n = 2;
  } else if (cp < 0x10000) {
    b[0] = (uint8_t)(0xE0 | cp >> 12);
    b[1] = (uint8_t)(0x80 | (cp >> 6 & 0x3F));
    b[2] = (uint8_t)(0x80 | (cp & 0x3F));
    n = 3;
  } else {
    b[0] = (uint8_t)(0xF0 | cp >> 18);
    b[1] = (uint8_t)(0x80 | (cp >> 12 & 0x3F));
    b[2] = (uint8_t)(0x80 | (cp >> 6 & 0x3F));
    b[3] = (uint8_t)(0x80 | (cp & 0x3F));
    n = 4;
  }
  fuzz_buf_add(out, b, n);
}

/* The WHATWG Encoding Standard's UTF-8 decoder, step by step: the code
 * points of in, each maximal invalid subsequence as one U+FFFD (V8's rule,
 * and so Node's). out has room for len code points. Returns the count. */
static inline size_t fuzz_utf8_decode(const uint8_t *in, size_t len,
                                      uint32_t *out) {
  size_t n = 0;
  uint32_t cp = 0;
  unsigned needed = 0, seen = 0;
  uint8_t lower = 0x80, upper = 0xBF;
  for (size_t i = 0; i < len; i++) {
    uint8_t b = in[i];
    if (needed == 0) {
      if (b <= 0x7F) {
        out[n++] = b;
      } else if (b >= 0xC2 && b <= 0xDF) {
        needed = 1;
        cp = b & 0x1F;
      } else if (b >= 0xE0 && b <= 0xEF) {
        if (b == 0xE0) lower = 0xA0;
        if (b == 0xED) upper = 0x9F;
        needed = 2;
        cp = b & 0xF;
      } else if (b >= 0xF0 && b <= 0xF4) {
        if (b == 0xF0) lower = 0x90;
        if (b == 0xF4) upper = 0x8F;
        needed = 3;
        cp = b & 0x7;
      } else {
        out[n++] = 0xFFFD;
      }
      continue;
    }
    if (b < lower || b > upper) {
      cp = needed = seen = 0;
      lower = 0x80;
      upper = 0xBF;
      out[n++] = 0xFFFD;
      i--; /* the byte is read again as the start of something */
      continue;
    }
    lower = 0x80;
    upper = 0xBF;
    cp = cp << 6 | (b & 0x3F);
    if (++seen == needed) {
      out[n++] = cp;
      cp = needed = seen = 0;
    }
  }
  if (needed) out[n++] = 0xFFFD;
  return n;
}

#endif
