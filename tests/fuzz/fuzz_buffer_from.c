/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* Fuzz target: Buffer.from(string, encoding) (cnet_buffer_from_string), what
 * socket.write(string, encoding) sends, and the encoding names callers
 * pass (cnet_encoding_parse/name).
 *
 * Input: one byte choosing the encoding, then the text (any bytes: cnet
 * reads invalid UTF-8 as Node reads it into a string, each maximal invalid
 * subsequence as U+FFFD). The output goes into a heap block of exactly
 * cnet_buffer_from_string_max bytes, so ASan catches a bound too small.
 * Properties, each against a decoder written here:
 *  - buffer: the bytes themselves; utf8: the text with U+FFFD for what is
 *    invalid (valid UTF-8, and the text itself when it was valid);
 *  - utf16le: the string's UTF-16 code units, which decode back to it;
 *  - latin1/ascii: the low byte of each code unit;
 *  - hex: Node's hex_decode over the code units' low bytes;
 *    decode(encode(bytes)) == bytes (either case), and for ASCII text
 *    encode(decode(text)) is the lower-cased prefix that was decoded;
 *  - base64/base64url: Node's decoder over the low bytes (other characters
 *    skipped, stop at '='); decode(encode(bytes)) == bytes under both
 *    names, both alphabets, with or without padding, with line breaks;
 *    decode(encode(decode(text))) == decode(text);
 *  - encoding names: parse is case-blind, and parse(name(e)) == e. */
#include <cnet.h>

#include "fuzz.h"

static const char b64[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
static const char b64url[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

static bool same_bytes(const fuzz_buf *b, const void *p, size_t len) {
  return b->len == len && (len == 0 || memcmp(b->p, p, len) == 0);
}

/* cnet_buffer_from_string into an exact-size heap block, appended to out. */
static void from_string(const void *s, size_t len, cnet_encoding enc,
                        fuzz_buf *out) {
  size_t max = cnet_buffer_from_string_max(len, enc);
  uint8_t *in = fuzz_dup(s, len);
  uint8_t *buf = malloc(max ? max : 1);
  if (!buf) abort();
  size_t n = cnet_buffer_from_string((const char *)in, len, enc, buf);
  FUZZ_CHECK(n <= max);
  fuzz_buf_add(out, buf, n);
  free(buf);
  free(in);
}

/* The UTF-16 code units of the string V8 would build from the text. */
static size_t code_units(const uint8_t *s, size_t len, uint16_t *units) {
  uint32_t *cps = malloc((len ? len : 1) * sizeof *cps);
  if (!cps) abort();
  size_t n = fuzz_utf8_decode(s, len, cps), u = 0;
  for (size_t i = 0; i < n; i++) {
    if (cps[i] >= 0x10000) {
      units[u++] = (uint16_t)(0xD800 + ((cps[i] - 0x10000) >> 10));
      units[u++] = (uint16_t)(0xDC00 + ((cps[i] - 0x10000) & 0x3FF));
    } else {
      units[u++] = (uint16_t)cps[i];
    }
  }
  free(cps);
  return u;
}

static int hex_value(int c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

static int b64_value(int c) {
  const char *p = c ? strchr(b64, c) : NULL;
  if (p) return (int)(p - b64);
  p = c ? strchr(b64url, c) : NULL;
  return p ? (int)(p - b64url) : -1;
}

/* Node's decoders, over the low bytes of the code units. */
static void ref_hex(const uint8_t *low, size_t n, fuzz_buf *out) {
  for (size_t i = 0; i + 1 < n; i += 2) {
    int a = hex_value(low[i]), b = hex_value(low[i + 1]);
    if (a < 0 || b < 0) break;
    fuzz_buf_byte(out, (uint8_t)(a << 4 | b));
  }
}

static void ref_base64(const uint8_t *low, size_t n, fuzz_buf *out) {
  uint32_t bits = 0;
  int nbits = 0;
  for (size_t i = 0; i < n && low[i] != '='; i++) {
    int v = b64_value(low[i]);
    if (v < 0) continue;
    bits = (bits << 6 | (uint32_t)v) & 0xFFFF;
    nbits += 6;
    if (nbits >= 8) {
      nbits -= 8;
      fuzz_buf_byte(out, (uint8_t)(bits >> nbits));
    }
  }
}

static void encode_hex(const uint8_t *p, size_t n, bool upper, fuzz_buf *out) {
  const char *d = upper ? "0123456789ABCDEF" : "0123456789abcdef";
  for (size_t i = 0; i < n; i++) {
    fuzz_buf_byte(out, (uint8_t)d[p[i] >> 4]);
    fuzz_buf_byte(out, (uint8_t)d[p[i] & 15]);
  }
}

/* RFC 4648 base64 of p; pad: with '='; wrap: a CR LF every 76 characters,
 * as MIME writes it (the decoder skips them). */
static void encode_b64(const uint8_t *p, size_t n, bool url, bool pad,
                       bool wrap, fuzz_buf *out) {
  const char *abc = url ? b64url : b64;
  size_t col = 0;
  for (size_t i = 0; i < n; i += 3) {
    size_t k = n - i < 3 ? n - i : 3;
    uint32_t v = (uint32_t)p[i] << 16;
    if (k > 1) v |= (uint32_t)p[i + 1] << 8;
    if (k > 2) v |= p[i + 2];
    for (size_t j = 0; j < 4; j++) {
      if (j <= k)
        fuzz_buf_byte(out, (uint8_t)abc[(v >> (18 - 6 * j)) & 63]);
      else if (pad)
        fuzz_buf_byte(out, '=');
      if (wrap && ++col == 76) {
        fuzz_buf_add(out, "\r\n", 2);
        col = 0;
      }
    }
  }
}

static void check_names(const uint8_t *s, size_t len) {
  char name[64], upper[64];
  size_t n = len < sizeof name - 1 ? len : sizeof name - 1;
  memcpy(name, s, n);
  name[n] = '\0';
  n = strlen(name); /* cut at a NUL */
  for (size_t i = 0; i <= n; i++)
    upper[i] = (char)(name[i] >= 'a' && name[i] <= 'z' ? name[i] - 32 : name[i]);
  int e = cnet_encoding_parse(name);
  FUZZ_CHECK(e == cnet_encoding_parse(upper));
  FUZZ_CHECK(e == CNET_ERR_UNKNOWN_ENCODING ||
             (e > CNET_ENC_BUFFER && e <= CNET_ENC_BASE64URL));
  if (e >= 0) {
    const char *canon = cnet_encoding_name((cnet_encoding)e);
    FUZZ_CHECK(canon && cnet_encoding_parse(canon) == e);
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size == 0) return 0;
  cnet_encoding enc = (cnet_encoding)(data[0] % 8);
  const uint8_t *s = data + 1;
  size_t len = size - 1;

  uint16_t *units = malloc((2 * len + 1) * sizeof *units);
  uint8_t *low = malloc(2 * len + 1);
  if (!units || !low) abort();
  size_t nunits = code_units(s, len, units);
  for (size_t i = 0; i < nunits; i++) low[i] = (uint8_t)units[i];

  fuzz_buf got = {0}, ref = {0}, tmp = {0}, back = {0};
  from_string(s, len, enc, &got);
  switch (enc) {
  case CNET_ENC_BUFFER:
    fuzz_buf_add(&ref, s, len);
    break;
  case CNET_ENC_UTF8:
    for (size_t i = 0; i < nunits; i++) {
      uint32_t u = units[i];
      if (u >= 0xD800 && u <= 0xDBFF) /* a pair from one code point */
        u = 0x10000 + ((u - 0xD800) << 10) + (units[++i] - 0xDC00);
      fuzz_put_utf8(&ref, u);
    }
    FUZZ_CHECK(fuzz_utf8_valid(got.p, got.len));
    if (fuzz_utf8_valid(s, len)) FUZZ_CHECK(same_bytes(&got, s, len));
    break;
  case CNET_ENC_UTF16LE:
    for (size_t i = 0; i < nunits; i++) {
      fuzz_buf_byte(&ref, (uint8_t)units[i]);
      fuzz_buf_byte(&ref, (uint8_t)(units[i] >> 8));
    }
    break;
  case CNET_ENC_LATIN1:
  case CNET_ENC_ASCII:
    fuzz_buf_add(&ref, low, nunits);
    break;
  case CNET_ENC_HEX: {
    ref_hex(low, nunits, &ref);
    /* encode(decode(text)) for ASCII text: the decoded prefix, lower-cased. */
    bool ascii = true;
    for (size_t i = 0; i < len; i++) ascii = ascii && s[i] < 0x80;
    if (ascii) {
      encode_hex(got.p, got.len, false, &tmp);
      FUZZ_CHECK(tmp.len == 2 * got.len);
      for (size_t i = 0; i < tmp.len; i++) {
        int c = s[i] >= 'A' && s[i] <= 'F' ? s[i] + 32 : s[i];
        FUZZ_CHECK(tmp.p[i] == c);
      }
      tmp.len = 0;
    }
    /* decode(encode(bytes)) == bytes, in either case. */
    for (int upper = 0; upper < 2; upper++) {
      encode_hex(s, len, upper, &tmp);
      from_string(tmp.p, tmp.len, CNET_ENC_HEX, &back);
      FUZZ_CHECK(same_bytes(&back, s, len));
      tmp.len = back.len = 0;
    }
    break;
  }
  case CNET_ENC_BASE64:
  case CNET_ENC_BASE64URL: {
    ref_base64(low, nunits, &ref);
    /* decode(encode(bytes)) == bytes: both alphabets under both names,
     * padded or not, wrapped or not. */
    for (int v = 0; v < 8; v++) {
      encode_b64(s, len, v & 1, v & 2, v & 4, &tmp);
      from_string(tmp.p, tmp.len, CNET_ENC_BASE64, &back);
      FUZZ_CHECK(same_bytes(&back, s, len));
      back.len = 0;
      from_string(tmp.p, tmp.len, CNET_ENC_BASE64URL, &back);
      FUZZ_CHECK(same_bytes(&back, s, len));
      tmp.len = back.len = 0;
    }
    /* Decoding is a projection: decode(encode(decode(text))) == decode(text). */
    encode_b64(got.p, got.len, enc == CNET_ENC_BASE64URL, true, false, &tmp);
    from_string(tmp.p, tmp.len, enc, &back);
    FUZZ_CHECK(fuzz_buf_eq(&back, &got));
    break;
  }
  }
  FUZZ_CHECK(fuzz_buf_eq(&got, &ref));
  if (enc == CNET_ENC_UTF16LE) {
    /* And back: the UTF-16 decodes to the text as utf8 writes it. */
    cnet_string_decoder d;
    FUZZ_CHECK(cnet_string_decoder_init(&d, CNET_ENC_UTF16LE) == 0);
    char *text = malloc(cnet_string_decoder_max_out(&d, got.len) + 4);
    if (!text) abort();
    size_t n = cnet_string_decoder_write(&d, got.p, got.len, text);
    n += cnet_string_decoder_end(&d, text + n);
    from_string(s, len, CNET_ENC_UTF8, &tmp);
    FUZZ_CHECK(same_bytes(&tmp, text, n));
    free(text);
  }
  check_names(s, len);

  fuzz_buf_free(&got);
  fuzz_buf_free(&ref);
  fuzz_buf_free(&tmp);
  fuzz_buf_free(&back);
  free(units);
  free(low);
  return 0;
}
