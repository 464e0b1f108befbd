/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* Encoding names as Node reads them; the twin of
 * string_decoder_encodings.js, which explains the trace format. */
#include "cnet.h"
#include "trace.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

static uint32_t state = 2463534242u;
static uint32_t next(void) {
  state ^= state << 13;
  state ^= state >> 17;
  state ^= state << 5;
  return state;
}

static int cases;

/* JSON.stringify of the name: quotes, backslashes and control characters
 * escaped, everything else (UTF-8 included) as it is. */
static void quote(const char *s, char *out) {
  char *p = out;
  *p++ = '"';
  for (; *s; s++) {
    unsigned char c = (unsigned char)*s;
    if (c == '"' || c == '\\') p += sprintf(p, "\\%c", c);
    else if (c == '\t') p += sprintf(p, "\\t");
    else if (c < 0x20) p += sprintf(p, "\\u%04x", c);
    else *p++ = (char)c;
  }
  *p++ = '"';
  *p = '\0';
}

static void report(const char *name) {
  char shown[256], bytes[64];
  int enc = cnet_encoding_parse(name);
  if (name == NULL) snprintf(shown, sizeof(shown), "(undefined)");
  else quote(name, shown);
  if (enc < 0) {
    trace("%s %s %s", shown, cnet_err_name(enc), cnet_err_name(enc));
  } else {
    static const char text[] = "\xc3\xa9\xe2\x82\xac"; /* "é€" */
    unsigned char out[16];
    size_t n = cnet_buffer_from_string(text, sizeof(text) - 1,
                                       (cnet_encoding)enc, out);
    for (size_t i = 0; i < n; i++) sprintf(bytes + 2 * i, "%02x", out[i]);
    bytes[2 * n] = '\0';
    trace("%s %s %s", shown, cnet_encoding_name((cnet_encoding)enc), bytes);
  }
  cases += 2;
}

#define COUNT(a) (sizeof(a) / sizeof(a[0]))

int main(void) {
  static const char *const valid[] = {
      "utf8",   "utf-8",  "ucs2",  "ucs-2", "utf16le", "utf-16le",
      "latin1", "binary", "ascii", "hex",   "base64",  "base64url"};
  static const char *const others[] = {
      "", "UTF8", "UTF-8", "Utf-8", "UCS2", "UCS-2", "UTF16LE", "UTF-16LE",
      "LATIN1", "BINARY", "ASCII", "HEX", "BASE64", "BASE64URL", "buffer",
      "utf16", "utf-16", "utf32", "latin-1", "iso-8859-1", "utf 8", "utf8 ",
      " utf8", "utf_8", "base-64", "base64-url", "ucs", "ucs-2le", "utf-16be",
      "hex ", "b64", "raw", "raws", "utf8\t", "lat\xc4\xb1n1", "LAT\xc4\xb0N1",
      "\xc3\xbctf8", "a", "utf-8-"};
  static const char letters[] = "utf8-16lebasxhinrycUTFLEBAS2 ";
  const uint32_t nletters = sizeof(letters) - 1;
  char s[32];

  trace_init();
  report(NULL);
  for (size_t i = 0; i < COUNT(valid); i++) report(valid[i]);
  for (size_t i = 0; i < COUNT(others); i++) report(others[i]);
  /* Case variants of every valid name. */
  for (size_t i = 0; i < COUNT(valid); i++) {
    for (int k = 0; k < 12; k++) {
      size_t n = 0;
      for (const char *c = valid[i]; *c; c++) {
        int upper = next() % 2 && *c >= 'a' && *c <= 'z';
        s[n++] = upper ? (char)(*c - 'a' + 'A') : *c;
      }
      s[n] = '\0';
      report(s);
    }
  }
  /* Random strings over the letters of the names. */
  for (int n = 0; n < 1000; n++) {
    uint32_t len = 1 + next() % 9;
    for (uint32_t k = 0; k < len; k++) s[k] = letters[next() % nletters];
    s[len] = '\0';
    report(s);
  }
  /* Near misses: a valid name with one letter dropped, added or replaced. */
  for (int n = 0; n < 1000; n++) {
    const char *name = valid[next() % COUNT(valid)];
    size_t len = strlen(name);
    size_t at = next() % (len + 1);
    char c = letters[next() % nletters];
    uint32_t op = next() % 3;
    memcpy(s, name, at);
    if (op == 0) {
      snprintf(s + at, sizeof(s) - at, "%s", at < len ? name + at + 1 : "");
    } else if (op == 1) {
      s[at] = c;
      snprintf(s + at + 1, sizeof(s) - at - 1, "%s", name + at);
    } else {
      s[at] = c;
      snprintf(s + at + 1, sizeof(s) - at - 1, "%s",
               at < len ? name + at + 1 : "");
    }
    report(s);
  }
  trace("cases %d", cases);
  return 0;
}
