/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* Encodings: Node's normalizeEncoding, StringDecoder and
 * Buffer.from(string, encoding), with UTF-8 standing in for JavaScript
 * strings on the C side. This file owns cnet's UTF-8 decoding rules; they
 * are those of V8 (each maximal invalid subsequence becomes one U+FFFD, as
 * in the WHATWG Encoding standard), because every string Node builds from
 * bytes goes through V8's decoder. The StringDecoder follows the state
 * machine of Node's src/string_decoder.cc so that text is held back and
 * released at the same byte as in Node. The validator (buffer.isUtf8)
 * is the decoder's own scan, so "valid" means what the decoder passes
 * through unchanged. */
#include "errors.h"
#include "cnet/encoding.h"
#include "cnet/errors.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

/* ---------------------------------------------------------------------- */
/* Names                                                                   */

static const char *const encoding_names[] = {
    "buffer", "utf8", "utf16le", "latin1", "ascii", "hex", "base64",
    "base64url"};

const char *cnet_encoding_name(cnet_encoding enc) {
  if ((unsigned)enc >= sizeof(encoding_names) / sizeof(encoding_names[0]))
    return NULL;
  return encoding_names[enc];
}

/* Node lower-cases with String.prototype.toLowerCase, which maps no
 * non-ASCII character to an ASCII letter of these names (the Kelvin sign
 * becomes 'k', which none contains), so an ASCII-only comparison gives
 * the same answers. */
static int equals_ignoring_case(const char *name, const char *lower) {
  for (; *lower; name++, lower++) {
    char c = *name;
    if (c >= 'A' && c <= 'Z') c = (char)(c - 'A' + 'a');
    if (c != *lower) return 0;
  }
  return *name == '\0';
}

int cnet_encoding_parse(const char *name) {
  static const struct {
    const char *name;
    cnet_encoding enc;
  } names[] = {
      {"utf8", CNET_ENC_UTF8},         {"utf-8", CNET_ENC_UTF8},
      {"ucs2", CNET_ENC_UTF16LE},      {"ucs-2", CNET_ENC_UTF16LE},
      {"utf16le", CNET_ENC_UTF16LE},   {"utf-16le", CNET_ENC_UTF16LE},
      {"latin1", CNET_ENC_LATIN1},     {"binary", CNET_ENC_LATIN1},
      {"ascii", CNET_ENC_ASCII},       {"hex", CNET_ENC_HEX},
      {"base64", CNET_ENC_BASE64},     {"base64url", CNET_ENC_BASE64URL},
  };
  /* normalizeEncoding: `enc == null` and '' are utf8. */
  if (name == NULL || name[0] == '\0') return cnet__fail(CNET_ENC_UTF8, NULL);
  for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
    if (equals_ignoring_case(name, names[i].name)) return (int)names[i].enc;
  return cnet__fail(CNET_ERR_UNKNOWN_ENCODING, NULL);
}

/* ---------------------------------------------------------------------- */
/* UTF-8                                                                   */

static const char hex_digits[] = "0123456789abcdef";
static const char base64_chars[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
static const char base64url_chars[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/* Whether the 8 bytes at p are all ASCII. memcpy keeps the load legal at
 * any alignment; compilers turn it into one instruction. */
static inline int ascii8(const unsigned char *p) {
  uint64_t w;
  memcpy(&w, p, 8);
  return (w & UINT64_C(0x8080808080808080)) == 0;
}

/* The character at s[0] (a byte >= 0x80, n >= 1 bytes available), checked
 * against Unicode's table of well-formed sequences. Returns its length (2
 * to 4) and its code point in *cp; or 0 for an invalid sequence, with the
 * length of its maximal subpart (the bytes V8 replaces by one U+FFFD) in
 * *cp. A sequence cut off by the end of the input is such a subpart. */
static inline size_t utf8_char(const unsigned char *s, size_t n,
                               uint32_t *cp) {
  unsigned c = s[0], lo = 0x80, hi = 0xbf;
  size_t need;
  uint32_t v;
  if (c >= 0xc2 && c <= 0xdf) {
    need = 1;
    v = c & 0x1f;
  } else if (c >= 0xe0 && c <= 0xef) {
    need = 2;
    v = c & 0x0f;
    if (c == 0xe0) lo = 0xa0; /* overlong */
    if (c == 0xed) hi = 0x9f; /* surrogates */
  } else if (c >= 0xf0 && c <= 0xf4) {
    need = 3;
    v = c & 0x07;
    if (c == 0xf0) lo = 0x90; /* overlong */
    if (c == 0xf4) hi = 0x8f; /* above U+10FFFF */
  } else {
    *cp = 1; /* a continuation byte, C0, C1 or F5-FF */
    return 0;
  }
  for (size_t i = 1; i <= need; i++) {
    if (i >= n || s[i] < lo || s[i] > hi) {
      *cp = (uint32_t)i;
      return 0;
    }
    v = (v << 6) | (s[i] & 0x3f);
    lo = 0x80;
    hi = 0xbf;
  }
  *cp = v;
  return need + 1;
}

static inline size_t put_replacement(char *out) {
  out[0] = (char)0xef;
  out[1] = (char)0xbf;
  out[2] = (char)0xbd;
  return 3;
}

static inline size_t put_utf8(uint32_t cp, char *out) {
  if (cp < 0x80) {
    out[0] = (char)cp;
    return 1;
  }
  if (cp < 0x800) {
    out[0] = (char)(0xc0 | (cp >> 6));
    out[1] = (char)(0x80 | (cp & 0x3f));
    return 2;
  }
  if (cp < 0x10000) {
    out[0] = (char)(0xe0 | (cp >> 12));
    out[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
    out[2] = (char)(0x80 | (cp & 0x3f));
    return 3;
  }
  out[0] = (char)(0xf0 | (cp >> 18));
  out[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
  out[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
  out[3] = (char)(0x80 | (cp & 0x3f));
  return 4;
}

/* The length of the valid UTF-8 at the start of s: the one scan behind
 * both the validator and the decoder, so that they cannot disagree. */
static size_t utf8_valid_prefix(const unsigned char *s, size_t len) {
  size_t i = 0;
  while (i < len) {
    while (i + 8 <= len && ascii8(s + i)) i += 8;
    if (i >= len) break;
    if (s[i] < 0x80) {
      i++;
      continue;
    }
    uint32_t cp;
    size_t n = utf8_char(s + i, len - i, &cp);
    if (n == 0) return i;
    i += n;
  }
  return len;
}

/* What V8 makes of the bytes, written back as UTF-8: valid runs are copied
 * in one memcpy each, every maximal invalid subpart becomes U+FFFD. */
static size_t utf8_sanitize(const unsigned char *in, size_t len, char *out) {
  size_t i = 0, o = 0;
  for (;;) {
    size_t run = utf8_valid_prefix(in + i, len - i);
    memcpy(out + o, in + i, run);
    o += run;
    i += run;
    if (i == len) return o;
    uint32_t subpart;
    utf8_char(in + i, len - i, &subpart);
    o += put_replacement(out + o);
    i += subpart;
  }
}

bool cnet_utf8_is_valid(const void *data, size_t len) {
  return len == 0 || utf8_valid_prefix(data, len) == len;
}

size_t cnet_utf8_valid_prefix(const void *data, size_t len) {
  return len == 0 ? 0 : utf8_valid_prefix(data, len);
}

/* A sequence the end of the input cuts short is a maximal subpart that
 * reaches that end; a bad lead byte is a subpart of one byte too, so the
 * lead is checked first. */
bool cnet_utf8_incomplete_tail(const void *data, size_t len) {
  const unsigned char *s = data;
  uint32_t subpart;
  if (len == 0 || len > 3 || s[0] < 0xc2 || s[0] > 0xf4) return false;
  return utf8_char(s, len, &subpart) == 0 && subpart == len;
}

/* ---------------------------------------------------------------------- */
/* From bytes to text                                                      */

/* UTF-16LE code units (n even) to UTF-8. *high carries a high surrogate
 * from one call to the next within a write, because Node concatenates the
 * text of a completed held-back character with the rest of the chunk
 * before the string is ever written out, and a pair may straddle them. */
static size_t utf16_to_utf8(const unsigned char *in, size_t n,
                            uint32_t *high, char *out) {
  size_t o = 0;
  for (size_t i = 0; i + 1 < n; i += 2) {
    uint32_t u = (uint32_t)in[i] | (uint32_t)in[i + 1] << 8;
    if (*high) {
      if (u >= 0xdc00 && u <= 0xdfff) {
        o += put_utf8(0x10000 + ((*high - 0xd800) << 10) + (u - 0xdc00),
                      out + o);
        *high = 0;
        continue;
      }
      o += put_replacement(out + o);
      *high = 0;
    }
    if (u >= 0xd800 && u <= 0xdbff)
      *high = u;
    else if (u >= 0xdc00 && u <= 0xdfff)
      o += put_replacement(out + o);
    else
      o += put_utf8(u, out + o);
  }
  return o;
}

static size_t latin1_to_utf8(const unsigned char *in, size_t n, char *out) {
  size_t o = 0;
  for (size_t i = 0; i < n; i++) {
    unsigned c = in[i];
    if (c < 0x80) {
      out[o++] = (char)c;
    } else {
      out[o++] = (char)(0xc0 | (c >> 6));
      out[o++] = (char)(0x80 | (c & 0x3f));
    }
  }
  return o;
}

/* Node 20 decodes 'ascii' by clearing the high bit of every byte. */
static size_t ascii_to_utf8(const unsigned char *in, size_t n, char *out) {
  for (size_t i = 0; i < n; i++) out[i] = (char)(in[i] & 0x7f);
  return n;
}

static size_t hex_encode(const unsigned char *in, size_t n, char *out) {
  for (size_t i = 0; i < n; i++) {
    out[2 * i] = hex_digits[in[i] >> 4];
    out[2 * i + 1] = hex_digits[in[i] & 15];
  }
  return 2 * n;
}

/* Node's base64_encode: '=' padding for base64, none for base64url. */
static size_t base64_encode(const unsigned char *in, size_t n, int url,
                            char *out) {
  const char *t = url ? base64url_chars : base64_chars;
  size_t i = 0, o = 0;
  for (; i + 3 <= n; i += 3) {
    uint32_t v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8 | in[i + 2];
    out[o++] = t[v >> 18];
    out[o++] = t[(v >> 12) & 63];
    out[o++] = t[(v >> 6) & 63];
    out[o++] = t[v & 63];
  }
  if (n - i == 1) {
    out[o++] = t[in[i] >> 2];
    out[o++] = t[(in[i] & 3) << 4];
    if (!url) {
      out[o++] = '=';
      out[o++] = '=';
    }
  } else if (n - i == 2) {
    uint32_t v = (uint32_t)in[i] << 8 | in[i + 1];
    out[o++] = t[v >> 10];
    out[o++] = t[(v >> 4) & 63];
    out[o++] = t[(v & 15) << 2];
    if (!url) out[o++] = '=';
  }
  return o;
}

/* Node's MakeString for one piece of a write. Only utf16le needs state
 * across pieces (see utf16_to_utf8). */
static size_t make_string(cnet_encoding enc, const unsigned char *in,
                          size_t n, uint32_t *high, char *out) {
  switch (enc) {
    case CNET_ENC_UTF8: return utf8_sanitize(in, n, out);
    case CNET_ENC_UTF16LE: return utf16_to_utf8(in, n, high, out);
    case CNET_ENC_LATIN1: return latin1_to_utf8(in, n, out);
    case CNET_ENC_ASCII: return ascii_to_utf8(in, n, out);
    case CNET_ENC_HEX: return hex_encode(in, n, out);
    case CNET_ENC_BASE64: return base64_encode(in, n, 0, out);
    case CNET_ENC_BASE64URL: return base64_encode(in, n, 1, out);
    case CNET_ENC_BUFFER: break;
  }
  if (n > 0) memcpy(out, in, n);
  return n;
}

int cnet_string_decoder_init(cnet_string_decoder *d, cnet_encoding enc) {
  if ((unsigned)enc > CNET_ENC_BASE64URL) return cnet__fail(CNET_ERR_UNKNOWN_ENCODING, NULL);
  memset(d, 0, sizeof(*d));
  d->encoding = enc;
  return 0;
}

size_t cnet_string_decoder_max_out(const cnet_string_decoder *d,
                                   size_t in_len) {
  size_t n = in_len + d->buffered;
  switch (d->encoding) {
    case CNET_ENC_UTF8: return 3 * n;
    case CNET_ENC_UTF16LE: return 3 * (n / 2) + 3;
    case CNET_ENC_LATIN1: return 2 * n;
    case CNET_ENC_HEX: return 2 * n;
    case CNET_ENC_BASE64:
    case CNET_ENC_BASE64URL: return 4 * (n / 3 + 1);
    case CNET_ENC_ASCII:
    case CNET_ENC_BUFFER: break;
  }
  return n;
}

/* How many bytes at the end of a utf8 chunk belong to a character that is
 * not complete yet, and how many more it needs: Node's backward scan. It
 * trusts the lead byte's length bits alone (C0 and F5-F7 count as leads);
 * whatever it lets through is V8's to replace. */
static void utf8_scan_tail(const unsigned char *in, size_t n,
                           unsigned *buffered, unsigned *missing) {
  unsigned nb = 0, need;
  *buffered = *missing = 0;
  if (!(in[n - 1] & 0x80)) return;
  for (size_t i = n - 1;; i--) {
    nb++;
    unsigned c = in[i];
    if ((c & 0xc0) == 0x80) {
      if (nb >= 4 || i == 0) return; /* no lead byte in reach */
      continue;
    }
    if ((c & 0xe0) == 0xc0)
      need = 2;
    else if ((c & 0xf0) == 0xe0)
      need = 3;
    else if ((c & 0xf8) == 0xf0)
      need = 4;
    else
      return; /* ASCII or F8-FF: nothing to wait for */
    if (nb < need) {
      *buffered = nb;
      *missing = need - nb;
    }
    return;
  }
}

size_t cnet_string_decoder_write(cnet_string_decoder *d, const void *in,
                                 size_t len, char *out) {
  const unsigned char *p = in;
  cnet_encoding enc = d->encoding;
  uint32_t high = 0;
  size_t o = 0;

  /* An empty chunk changes nothing, in Node too (in may be NULL). */
  if (len == 0) return 0;
  if (enc != CNET_ENC_UTF8 && enc != CNET_ENC_UTF16LE &&
      enc != CNET_ENC_BASE64 && enc != CNET_ENC_BASE64URL)
    return make_string(enc, p, len, &high, out);

  /* First finish the character held back from the last write. */
  if (d->missing > 0) {
    size_t take = len < d->missing ? len : d->missing;
    if (enc == CNET_ENC_UTF8) {
      /* A byte that cannot continue the character ends it: the held-back
       * bytes are decoded on their own and the byte starts afresh. */
      for (size_t i = 0; i < take; i++) {
        if ((p[i] & 0xc0) != 0x80) {
          take = i;
          d->missing = (unsigned char)i;
          break;
        }
      }
    }
    memcpy(d->bytes + d->buffered, p, take);
    d->buffered = (unsigned char)(d->buffered + take);
    d->missing = (unsigned char)(d->missing - take);
    p += take;
    len -= take;
    if (d->missing == 0) {
      o += make_string(enc, d->bytes, d->buffered, &high, out);
      d->buffered = 0;
    }
  }

  if (len > 0) {
    /* Then hold back the end of this chunk if it is an unfinished
     * character (utf8, utf16le) or an unfinished 3-byte group (base64). */
    unsigned buffered = 0, missing = 0;
    if (enc == CNET_ENC_UTF8) {
      utf8_scan_tail(p, len, &buffered, &missing);
    } else if (enc == CNET_ENC_UTF16LE) {
      if (len % 2 == 1)
        buffered = missing = 1;
      else if ((p[len - 1] & 0xfc) == 0xd8) /* a high surrogate */
        buffered = missing = 2;
    } else {
      buffered = (unsigned)(len % 3);
      missing = buffered ? 3 - buffered : 0;
    }
    len -= buffered;
    memcpy(d->bytes, p + len, buffered);
    d->buffered = (unsigned char)buffered;
    d->missing = (unsigned char)missing;
    o += make_string(enc, p, len, &high, out + o);
  }
  if (high) o += put_replacement(out + o); /* a lone high surrogate */
  return o;
}

size_t cnet_string_decoder_end(cnet_string_decoder *d, char *out) {
  uint32_t high = 0;
  size_t n = d->buffered, o;
  /* utf16le: an odd last byte is dropped, as Node's JS decoder did. */
  if (d->encoding == CNET_ENC_UTF16LE && n % 2 == 1) n--;
  o = make_string(d->encoding, d->bytes, n, &high, out);
  if (high) o += put_replacement(out + o);
  d->buffered = 0;
  d->missing = 0;
  return o;
}

/* ---------------------------------------------------------------------- */
/* From text to bytes                                                      */

size_t cnet_buffer_from_string_max(size_t len, cnet_encoding enc) {
  switch (enc) {
    case CNET_ENC_UTF8: return 3 * len;
    case CNET_ENC_UTF16LE: return 2 * len;
    case CNET_ENC_HEX: return len / 2;
    case CNET_ENC_BASE64:
    case CNET_ENC_BASE64URL: return len / 4 * 3 + 2;
    case CNET_ENC_LATIN1:
    case CNET_ENC_ASCII:
    case CNET_ENC_BUFFER: break;
  }
  return len;
}

/* Reads UTF-8 text as the UTF-16 code units of the JavaScript string V8
 * would build from it, handing out only each unit's low byte: that is all
 * Node's latin1, ascii, hex and base64 writers look at (they cast each
 * unit to uint8_t). */
typedef struct unit_reader {
  const unsigned char *s;
  size_t len, i;
  int low; /* the low surrogate's byte still to come, or -1 */
} unit_reader;

static inline int next_unit_byte(unit_reader *r) {
  if (r->low >= 0) {
    int b = r->low;
    r->low = -1;
    return b;
  }
  if (r->i >= r->len) return -1;
  unsigned c = r->s[r->i];
  if (c < 0x80) {
    r->i++;
    return (int)c;
  }
  uint32_t cp;
  size_t n = utf8_char(r->s + r->i, r->len - r->i, &cp);
  if (n == 0) {
    r->i += cp;
    return 0xfd; /* U+FFFD */
  }
  r->i += n;
  if (cp >= 0x10000) {
    cp -= 0x10000;
    r->low = (int)(cp & 0xff);           /* of 0xdc00 + (cp & 0x3ff) */
    return (int)((cp >> 10) & 0xff);     /* of 0xd800 + (cp >> 10)   */
  }
  return (int)(cp & 0xff);
}

/* Node's unhex and unbase64 tables as functions of a byte. Both base64
 * alphabets decode under either name. */
static inline int unhex(int c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

static inline int unbase64(int c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+' || c == '-') return 62;
  if (c == '/' || c == '_') return 63;
  return -1;
}

static size_t from_utf16le(const unsigned char *s, size_t len,
                           unsigned char *out) {
  size_t i = 0, o = 0;
  while (i < len) {
    unsigned c = s[i];
    if (c < 0x80) {
      out[o++] = (unsigned char)c;
      out[o++] = 0;
      i++;
      continue;
    }
    uint32_t cp;
    size_t n = utf8_char(s + i, len - i, &cp);
    if (n == 0) {
      i += cp;
      cp = 0xfffd;
    } else {
      i += n;
    }
    if (cp >= 0x10000) {
      uint32_t hi = 0xd800 + ((cp - 0x10000) >> 10);
      uint32_t lo = 0xdc00 + ((cp - 0x10000) & 0x3ff);
      out[o++] = (unsigned char)(hi & 0xff);
      out[o++] = (unsigned char)(hi >> 8);
      out[o++] = (unsigned char)(lo & 0xff);
      out[o++] = (unsigned char)(lo >> 8);
    } else {
      out[o++] = (unsigned char)(cp & 0xff);
      out[o++] = (unsigned char)(cp >> 8);
    }
  }
  return o;
}

static size_t from_latin1(const unsigned char *s, size_t len,
                          unsigned char *out) {
  unit_reader r = {s, len, 0, -1};
  size_t o = 0;
  for (;;) {
    /* ASCII runs are copied eight bytes at a time. */
    while (r.low < 0 && r.i + 8 <= len && ascii8(s + r.i)) {
      memcpy(out + o, s + r.i, 8);
      o += 8;
      r.i += 8;
    }
    int b = next_unit_byte(&r);
    if (b < 0) return o;
    out[o++] = (unsigned char)b;
  }
}

/* Node's hex_decode: pairs until the first pair that is not two digits; an
 * odd last character is never looked at. */
static size_t from_hex(const unsigned char *s, size_t len,
                       unsigned char *out) {
  unit_reader r = {s, len, 0, -1};
  size_t o = 0;
  for (;;) {
    int a = next_unit_byte(&r);
    int b = a < 0 ? -1 : next_unit_byte(&r);
    if (b < 0) return o;
    a = unhex(a);
    b = unhex(b);
    if (a < 0 || b < 0) return o;
    out[o++] = (unsigned char)(a << 4 | b);
  }
}

/* Node's base64 decoder: skip what is not in either alphabet, stop at the
 * first '=', emit a byte whenever 8 bits are complete. Four characters
 * make three bytes, three make two, two make one, one makes none. */
static size_t from_base64(const unsigned char *s, size_t len,
                          unsigned char *out) {
  unit_reader r = {s, len, 0, -1};
  size_t o = 0;
  uint32_t acc = 0;
  unsigned nchars = 0;
  for (;;) {
    int c = next_unit_byte(&r);
    if (c < 0 || c == '=') return o;
    int v = unbase64(c);
    if (v < 0) continue;
    acc = acc << 6 | (uint32_t)v;
    if (++nchars > 1) out[o++] = (unsigned char)(acc >> (2 * (4 - nchars)));
    if (nchars == 4) nchars = 0;
    acc &= 0x3f; /* only the latest character's unused bits matter */
  }
}

size_t cnet_buffer_from_string(const char *s, size_t len, cnet_encoding enc,
                               void *out) {
  const unsigned char *p = (const unsigned char *)s;
  if (len == 0) return 0; /* s and out may then be NULL */
  switch (enc) {
    case CNET_ENC_BUFFER:
      memcpy(out, s, len);
      return len;
    case CNET_ENC_UTF8: return utf8_sanitize(p, len, out);
    case CNET_ENC_UTF16LE: return from_utf16le(p, len, out);
    case CNET_ENC_LATIN1:
    case CNET_ENC_ASCII: return from_latin1(p, len, out);
    case CNET_ENC_HEX: return from_hex(p, len, out);
    case CNET_ENC_BASE64:
    case CNET_ENC_BASE64URL: return from_base64(p, len, out);
  }
  return 0;
}
