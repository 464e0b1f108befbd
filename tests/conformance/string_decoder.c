/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* StringDecoder for every encoding over many inputs; the twin of
 * string_decoder.js, which explains the feeds and the trace format. The
 * input file sits next to this source, which the build compiles by its
 * absolute path, so __FILE__ locates it from any working directory. */
#include "cnet.h"
#include "trace.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const cnet_encoding encodings[] = {
    CNET_ENC_UTF8,  CNET_ENC_UTF16LE, CNET_ENC_LATIN1,   CNET_ENC_ASCII,
    CNET_ENC_HEX,   CNET_ENC_BASE64,  CNET_ENC_BASE64URL};

static uint32_t state = 2463534242u;
static uint32_t next(void) {
  state ^= state << 13;
  state ^= state >> 17;
  state ^= state << 5;
  return state;
}

static uint32_t fnv(const unsigned char *p, size_t n) {
  uint32_t h = 2166136261u;
  for (size_t i = 0; i < n; i++) h = (h ^ p[i]) * 16777619u;
  return h;
}

/* A growing line of text. */
typedef struct line {
  char *s;
  size_t len, cap;
} line;

static void line_reserve(line *l, size_t more) {
  if (l->len + more + 1 <= l->cap) return;
  while (l->len + more + 1 > l->cap) l->cap = l->cap ? l->cap * 2 : 256;
  l->s = realloc(l->s, l->cap);
  if (l->s == NULL) abort();
}

static void line_add(line *l, const char *s) {
  size_t n = strlen(s);
  line_reserve(l, n);
  memcpy(l->s + l->len, s, n + 1);
  l->len += n;
}

static int long_mode;

static void line_show(line *l, const char *p, size_t n) {
  if (long_mode) {
    char buf[32];
    snprintf(buf, sizeof(buf), "%zu:%u", n, fnv((const unsigned char *)p, n));
    line_add(l, buf);
    return;
  }
  line_reserve(l, 2 * n);
  for (size_t i = 0; i < n; i++)
    l->len += (size_t)sprintf(l->s + l->len, "%02x", (unsigned char)p[i]);
}

typedef struct chunk {
  const unsigned char *p;
  size_t n;
} chunk;

static void feed(const char *label, const char *mode, cnet_string_decoder *d,
                 const chunk *chunks, size_t count) {
  line l = {NULL, 0, 0};
  line_add(&l, label);
  line_add(&l, " ");
  line_add(&l, mode);
  line_add(&l, " ");
  for (size_t i = 0; i < count; i++) {
    char *out = malloc(cnet_string_decoder_max_out(d, chunks[i].n) + 1);
    size_t n = cnet_string_decoder_write(d, chunks[i].p, chunks[i].n, out);
    if (i > 0) line_add(&l, ",");
    line_show(&l, out, n);
    free(out);
  }
  line_add(&l, " end:");
  char *out = malloc(cnet_string_decoder_max_out(d, 0) + 1);
  size_t n = cnet_string_decoder_end(d, out);
  line_show(&l, out, n);
  free(out);
  trace("%s", l.s);
  free(l.s);
}

static int cases;

static void run(const unsigned char *buf, size_t len, const chunk *given,
                size_t ngiven) {
  line l = {NULL, 0, 0};
  line_add(&l, "in ");
  line_show(&l, (const char *)buf, len);
  trace("%s", l.s);
  free(l.s);
  chunk *chunks = malloc((len + 1) * sizeof(chunk) * 8);
  for (size_t e = 0; e < sizeof(encodings) / sizeof(encodings[0]); e++) {
    const char *name = cnet_encoding_name(encodings[e]);
    cnet_string_decoder d;
    cnet_string_decoder_init(&d, encodings[e]);
    chunk whole = {buf, len};
    feed(name, "whole", &d, &whole, 1);
    feed(name, "reuse", &d, &whole, 1);
    cases += 2;
    if (!long_mode) {
      for (size_t i = 0; i < len; i++) chunks[i] = (chunk){buf + i, 1};
      cnet_string_decoder_init(&d, encodings[e]);
      feed(name, "bytes", &d, chunks, len);
      cases++;
    }
    if (given) {
      cnet_string_decoder_init(&d, encodings[e]);
      feed(name, "given", &d, given, ngiven);
      cases++;
    }
    for (int k = 0; k < 3; k++) {
      /* Random chunks of 0 to max bytes (empty writes included). */
      size_t max = long_mode ? 1024 : 5, pos = 0, count = 0;
      while (pos < len) {
        size_t n = next() % (max + 1);
        if (n > len - pos) n = len - pos;
        chunks[count++] = (chunk){buf + pos, n};
        pos += n;
      }
      char mode[16];
      snprintf(mode, sizeof(mode), "split%d", k);
      cnet_string_decoder_init(&d, encodings[e]);
      feed(name, mode, &d, chunks, count);
      cases++;
    }
  }
  free(chunks);
}

static int unhex(int c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

/* Random strings of pieces, as in the JS twin. */
static const char *const pieces[] = {
    "41",     "7a",     "00",     "7f",     "c3a9",     "e282ac", "f09f9880",
    "f48fbfbf", "efbfbd", "c2",   "e2",     "e282",     "f0",     "f09f",
    "f09f98", "80",     "bf",     "c0",     "c1",       "c080",   "e08080",
    "eda080", "edbfbf", "f4908080", "f5",   "f8",       "fe",     "ff",
    "3dd8",   "00de",   "00dc",   "00d8",   "4100",     "e900"};

static size_t piece_string(uint32_t count, unsigned char *out) {
  size_t n = 0;
  for (uint32_t k = 0; k < count; k++) {
    const char *h = pieces[next() % (sizeof(pieces) / sizeof(pieces[0]))];
    for (; h[0]; h += 2) out[n++] = (unsigned char)(unhex(h[0]) << 4 | unhex(h[1]));
  }
  return n;
}

int main(void) {
  trace_init();
  char path[4096];
  snprintf(path, sizeof(path), "%s", __FILE__);
  char *slash = strrchr(path, '/');
  snprintf(slash ? slash + 1 : path,
           sizeof(path) - (size_t)(slash ? slash + 1 - path : 0),
           "string_decoder_inputs.txt");
  FILE *f = fopen(path, "r");
  if (f == NULL) {
    perror(path);
    return 1;
  }
  char *text = NULL;
  size_t cap = 0;
  ssize_t got;
  while ((got = getline(&text, &cap, f)) >= 0) {
    if (got > 0 && text[got - 1] == '\n') text[--got] = '\0';
    if (text[0] == '#') continue;
    unsigned char buf[256];
    chunk given[64];
    size_t len = 0, ngiven = 0, start = 0;
    for (const char *p = text;; p++) {
      if (*p == '|' || *p == '\0') {
        given[ngiven++] = (chunk){buf + start, len - start};
        start = len;
        if (*p == '\0') break;
      } else {
        buf[len++] = (unsigned char)(unhex(p[0]) << 4 | unhex(p[1]));
        p++;
      }
    }
    run(buf, len, ngiven > 1 ? given : NULL, ngiven);
  }
  free(text);
  fclose(f);

  for (int n = 0; n < 150; n++) {
    unsigned char buf[32];
    size_t len = next() % 24;
    for (size_t i = 0; i < len; i++) buf[i] = (unsigned char)(next() & 0xff);
    run(buf, len, NULL, 0);
  }
  for (int n = 0; n < 250; n++) {
    unsigned char buf[64];
    size_t len = piece_string(next() % 12, buf);
    run(buf, len, NULL, 0);
  }
  long_mode = 1;
  for (int n = 0; n < 4; n++) {
    unsigned char *buf = malloc(2000 * 4);
    size_t len = piece_string(1000 + next() % 1000, buf);
    run(buf, len, NULL, 0);
    free(buf);
  }
  trace("cases %d", cases);
  return 0;
}
