/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* net.isIP / isIPv4 / isIPv6 over every input in isip_inputs.txt, then over
 * generated inputs built from address-like pieces; the twin of isip.js.
 * The input file sits next to this source, which the build compiles by its
 * absolute path, so __FILE__ locates it from any working directory. */
#include "cnet.h"
#include "trace.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Bytes outside '!'..'~', and the backslash, print as \xHH. */
static const char *escape(const char *s, char *out) {
  char *p = out;
  for (; *s; s++) {
    unsigned char b = (unsigned char)*s;
    if (b > 0x20 && b < 0x7f && b != '\\') *p++ = (char)b;
    else p += sprintf(p, "\\x%02x", b);
  }
  *p = '\0';
  return out;
}

/* The input file's notation: \xHH is a byte, \\ a backslash. */
static void decode(const char *line, char *out) {
  char *p = out;
  for (size_t i = 0; line[i]; i++) {
    if (line[i] == '\\' && line[i + 1] == '\\') {
      *p++ = '\\';
      i++;
    } else if (line[i] == '\\' && line[i + 1] == 'x') {
      char hex[3] = {line[i + 2], line[i + 3], '\0'};
      *p++ = (char)strtol(hex, NULL, 16);
      i += 3;
    } else {
      *p++ = line[i];
    }
  }
  *p = '\0';
}

static void report(const char *label, const char *s) {
  char *esc = malloc(strlen(s) * 4 + 1);
  trace("%s %s %d %d %d", label, escape(s, esc), cnet_is_ip(s), cnet_is_ipv4(s),
    cnet_is_ipv6(s));
  free(esc);
}

static uint32_t state = 2463534242u;
static uint32_t next(void) {
  state ^= state << 13;
  state ^= state >> 17;
  state ^= state << 5;
  return state;
}

int main(void) {
  trace_init();
  char path[4096];
  snprintf(path, sizeof(path), "%s", __FILE__);
  char *slash = strrchr(path, '/');
  snprintf(slash ? slash + 1 : path, sizeof(path) - (size_t)(slash ? slash + 1 - path : 0),
           "isip_inputs.txt");
  FILE *f = fopen(path, "r");
  if (f == NULL) {
    perror(path);
    return 1;
  }
  char *line = NULL;
  size_t cap = 0;
  ssize_t got;
  int count = 0;
  while ((got = getline(&line, &cap, f)) >= 0) {
    if (got > 0 && line[got - 1] == '\n') line[--got] = '\0';
    if (line[0] == '#') continue;
    char *input = malloc((size_t)got + 1);
    decode(line, input);
    report("in", input);
    free(input);
    count++;
  }
  free(line);
  fclose(f);
  trace("inputs %d", count);

  static const char *const pieces[] = {
      "0", "1", "00", "01", "9", "10", "99", "199", "249", "255", "256",
      "1000", "a", "f", "F", "ff", "ffff", "fffff", "abcd", "g", ":", ":",
      "::", ".", ".", "%", "eth0", "-", "1.2.3.4", "255.255.255.255",
      "01.2.3.4", " ", "::ffff:", "fe80::"};
  const uint32_t npieces = sizeof(pieces) / sizeof(pieces[0]);
  for (int n = 0; n < 4000; n++) {
    char s[512] = "";
    uint32_t count_pieces = 1 + next() % 12;
    for (uint32_t k = 0; k < count_pieces; k++)
      strcat(s, pieces[next() % npieces]);
    report("gen", s);
  }

  /* Generated IPv6-shaped inputs: 0-9 groups of 0-5 hex digits, maybe one
   * "::", maybe an IPv4 tail with good and bad octets, maybe a zone id. */
  static const char hex[] = "0123456789abcdefABCDEFg";
  static const char *const octets[] = {"0", "00", "01", "9", "10", "99",
                                       "100", "199", "200", "249", "250",
                                       "255", "256", "260", "300"};
  static const char zone[] = "e0.:-_@% ";
  for (int n = 0; n < 6000; n++) {
    char s[512] = "";
    size_t len = 0;
    uint32_t groups = next() % 10;
    int64_t gap = next() % 3 == 0 ? -1 : (int64_t)(next() % (groups + 1));
    for (uint32_t g = 0; g < groups; g++) {
      if ((int64_t)g == gap) len += (size_t)sprintf(s + len, "::");
      else if (g > 0) s[len++] = ':';
      uint32_t digits = next() % 6;
      for (uint32_t d = 0; d < digits; d++)
        s[len++] = hex[next() % (sizeof(hex) - 1)];
    }
    if (gap == (int64_t)groups) len += (size_t)sprintf(s + len, "::");
    s[len] = '\0';
    if (next() % 3 == 0) {
      if (len > 0 && !(len >= 2 && s[len - 1] == ':' && s[len - 2] == ':'))
        s[len++] = ':';
      uint32_t r = next() % 8;
      int parts = r == 0 ? 3 : r == 1 ? 5 : 4;
      for (int p = 0; p < parts; p++)
        len += (size_t)sprintf(s + len, "%s%s", p ? "." : "",
                               octets[next() % 15]);
    }
    if (next() % 4 == 0) {
      s[len++] = '%';
      uint32_t k = next() % 4;
      for (uint32_t z = 0; z < k; z++)
        s[len++] = zone[next() % (sizeof(zone) - 1)];
    }
    s[len] = '\0';
    report("gen6", s);
  }
  return 0;
}
