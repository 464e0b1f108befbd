/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* Buffer.from(string, encoding) for every encoding over many strings; the
 * twin of buffer_from.js, which explains the inputs and the trace format.
 * The input file sits next to this source, which the build compiles by its
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
#define NENC (sizeof(encodings) / sizeof(encodings[0]))

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

/* Appends to *pos in buf: bytes outside '!'..'~', and the backslash, as
 * \xHH; or <bytes>:<FNV-1a> for a long string. */
static char *show(char *p, const unsigned char *s, size_t n, int lng,
                  int escaped) {
  if (lng) return p + sprintf(p, "%zu:%u", n, fnv(s, n));
  for (size_t i = 0; i < n; i++) {
    unsigned char b = s[i];
    if (!escaped) p += sprintf(p, "%02x", b);
    else if (b > 0x20 && b < 0x7f && b != '\\') *p++ = (char)b;
    else p += sprintf(p, "\\x%02x", b);
  }
  *p = '\0';
  return p;
}

static int cases;

static void report(const char *label, const unsigned char *s, size_t len,
                   int lng) {
  char *text = malloc(len * 4 + NENC * (len * 6 + 32) + 64);
  char *p = text + sprintf(text, "%s ", label);
  p = show(p, s, len, lng, 1);
  for (size_t e = 0; e < NENC; e++) {
    unsigned char *out =
        malloc(cnet_buffer_from_string_max(len, encodings[e]) + 1);
    size_t n = cnet_buffer_from_string((const char *)s, len, encodings[e], out);
    p += sprintf(p, " %s=", cnet_encoding_name(encodings[e]));
    p = show(p, out, n, lng, 0);
    free(out);
    cases++;
  }
  trace("%s", text);
  free(text);
}

/* The input file's notation: \xHH is a byte, \\ a backslash. */
static size_t decode(const char *line, unsigned char *out) {
  size_t n = 0;
  for (size_t i = 0; line[i]; i++) {
    if (line[i] == '\\' && line[i + 1] == '\\') {
      out[n++] = '\\';
      i++;
    } else if (line[i] == '\\' && line[i + 1] == 'x') {
      char hex[3] = {line[i + 2], line[i + 3], '\0'};
      out[n++] = (unsigned char)strtol(hex, NULL, 16);
      i += 3;
    } else {
      out[n++] = (unsigned char)line[i];
    }
  }
  return n;
}

/* Generated strings: pieces picked by xorshift32, as bytes. */
static const char *const mixed[] = {
    "a", "Z", "0", "9", "f", "F", "g", "+", "/", "-", "_", "=", " ", "\n",
    "\t", ".", "\xc3\xa9", "\xc5\x81", "\xc5\xa1", "\xc4\xb1", "\xc4\xbd",
    "\xe2\x82\xac", "\xef\xbc\xa1", "\xf0\x9f\x98\x80", "\xff", "\x80",
    "\xc0\x80", "\xe2\x82", "\xf0\x9f\x98", "\xed\xa0\x80",
    "\xf4\x90\x80\x80", "\xc2"};
static const char *const hexish[] = {
    "0", "1", "7", "9", "a", "c", "f", "A", "D", "F", "0", "5", "b", "e",
    "E", "3", "g", " ", "\xc5\xa1", "\xc4\xb1", "\xc3\xa9", "\xff"};
static const char *const b64ish[] = {
    "A", "Q", "U", "J", "D", "g", "z", "0", "8", "+", "/", "-", "_", "w",
    "Y", "k", "R", "Z", "x", "P", "v", "5", " ", "\n", "\r", "\t", "=",
    "==", ".", "\xc5\x81", "\xc4\xbd", "\xc3\x85", "\xff",
    "\xf0\x9f\x98\x80"};
#define COUNT(a) (sizeof(a) / sizeof(a[0]))

static size_t generate(const char *const *pieces, uint32_t npieces,
                       uint32_t count, unsigned char *out) {
  size_t n = 0;
  for (uint32_t k = 0; k < count; k++) {
    const char *piece = pieces[next() % npieces];
    size_t len = strlen(piece);
    memcpy(out + n, piece, len);
    n += len;
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
           "buffer_from_inputs.txt");
  FILE *f = fopen(path, "r");
  if (f == NULL) {
    perror(path);
    return 1;
  }
  char *line = NULL;
  size_t cap = 0;
  ssize_t got;
  while ((got = getline(&line, &cap, f)) >= 0) {
    if (got > 0 && line[got - 1] == '\n') line[--got] = '\0';
    if (line[0] == '#') continue;
    unsigned char *s = malloc((size_t)got + 1);
    report("in", s, decode(line, s), 0);
    free(s);
  }
  free(line);
  fclose(f);

  unsigned char *buf = malloc(6100 * 4);
  for (int n = 0; n < 2000; n++)
    report("mix", buf, generate(mixed, COUNT(mixed), next() % 16, buf), 0);
  for (int n = 0; n < 1500; n++) {
    uint32_t np = next() % 4 == 0 ? COUNT(hexish) : 16;
    report("hex", buf, generate(hexish, np, next() % 24, buf), 0);
  }
  for (int n = 0; n < 1500; n++) {
    uint32_t np = next() % 4 == 0 ? COUNT(b64ish) : 26;
    report("b64", buf, generate(b64ish, np, next() % 24, buf), 0);
  }
  static const uint32_t counts[] = {1023, 1024, 1500, 2047, 2048, 4095, 4096, 6000};
  for (size_t c = 0; c < COUNT(counts); c++) {
    uint32_t count = counts[c];
    report("longmix", buf, generate(mixed, COUNT(mixed), count, buf), 1);
    report("longhex", buf, generate(hexish, 16, count, buf), 1);
    report("longb64", buf, generate(b64ish, COUNT(b64ish), count, buf), 1);
    report("longb64clean", buf, generate(b64ish, 22, count, buf), 1);
    report("longb64ws", buf, generate(b64ish, 26, count, buf), 1);
    size_t n = generate(hexish, 16, count, buf);
    buf[n++] = 'g';
    n += generate(hexish, 16, 10, buf + n);
    report("longhexbad", buf, n, 1);
  }
  free(buf);
  trace("cases %d", cases);
  return 0;
}
