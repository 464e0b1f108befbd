/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* Fuzz target: StringDecoder (cnet_string_decoder_*), what turns the bytes
 * a peer sends into text after socket.setEncoding().
 *
 * Input: one byte choosing the encoding, then the byte stream. The stream
 * is decoded whole, one byte per write, in random chunks (with empty
 * writes among them), and whole again on the same decoder after end().
 * Every write's output goes into a heap block of exactly max_out bytes, so
 * that ASan catches a bound that is too small. Properties:
 *  - every encoding but 'buffer' gives valid UTF-8;
 *  - utf8, latin1, ascii, hex, base64, base64url and buffer give the same
 *    text however the stream is cut, and that text is the one of an
 *    independent decoder written here (WHATWG's UTF-8 decoder, whose
 *    replacement rule is V8's; RFC 4648 base64);
 *  - utf16le, where Node's decoder does not join a surrogate pair cut in
 *    some places: fed whole it is a plain UTF-16 decoder (a lone surrogate
 *    gives U+FFFD); one byte at a time every surrogate gives U+FFFD; in
 *    writes of an even length of at least 4 it is the same as whole; cut
 *    anywhere, a stream without surrogates is the same as whole;
 *  - after end() the decoder is empty and decodes the next stream alike. */
#include <cnet.h>

#include "fuzz.h"

/* ---- Reference decoders ------------------------------------------------ */

static void put_cp(fuzz_buf *out, uint32_t cp) { fuzz_put_utf8(out, cp); }

static void ref_utf8(const uint8_t *in, size_t len, fuzz_buf *out) {
  uint32_t *cps = malloc((len ? len : 1) * sizeof *cps);
  if (!cps) abort();
  size_t n = fuzz_utf8_decode(in, len, cps);
  for (size_t i = 0; i < n; i++) put_cp(out, cps[i]);
  free(cps);
}

/* UTF-16LE code units (an odd last byte is dropped). joined: a high
 * surrogate followed by a low one is one character; otherwise every
 * surrogate is U+FFFD on its own. */
static void ref_utf16(const uint8_t *in, size_t len, bool joined,
                      fuzz_buf *out) {
  size_t n = len / 2;
  for (size_t i = 0; i < n; i++) {
    uint32_t u = in[2 * i] | (uint32_t)in[2 * i + 1] << 8;
    if (u >= 0xD800 && u <= 0xDBFF && joined && i + 1 < n) {
      uint32_t v = in[2 * i + 2] | (uint32_t)in[2 * i + 3] << 8;
      if (v >= 0xDC00 && v <= 0xDFFF) {
        put_cp(out, 0x10000 + ((u - 0xD800) << 10) + (v - 0xDC00));
        i++;
        continue;
      }
    }
    put_cp(out, u >= 0xD800 && u <= 0xDFFF ? 0xFFFD : u);
  }
}

static void ref_base64(const uint8_t *in, size_t len, bool url,
                       fuzz_buf *out) {
  const char *abc = url ? "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
                        : "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  for (size_t i = 0; i < len; i += 3) {
    size_t n = len - i < 3 ? len - i : 3;
    uint32_t v = (uint32_t)in[i] << 16;
    if (n > 1) v |= (uint32_t)in[i + 1] << 8;
    if (n > 2) v |= in[i + 2];
    for (size_t k = 0; k < 4; k++) {
      if (k <= n)
        fuzz_buf_byte(out, (uint8_t)abc[(v >> (18 - 6 * k)) & 63]);
      else if (!url)
        fuzz_buf_byte(out, '=');
    }
  }
}

static void reference(cnet_encoding enc, const uint8_t *in, size_t len,
                      fuzz_buf *out) {
  switch (enc) {
  case CNET_ENC_UTF8: ref_utf8(in, len, out); break;
  case CNET_ENC_UTF16LE: ref_utf16(in, len, true, out); break;
  case CNET_ENC_LATIN1:
    for (size_t i = 0; i < len; i++) put_cp(out, in[i]);
    break;
  case CNET_ENC_ASCII:
    for (size_t i = 0; i < len; i++) fuzz_buf_byte(out, in[i] & 0x7F);
    break;
  case CNET_ENC_HEX:
    for (size_t i = 0; i < len; i++) {
      fuzz_buf_byte(out, (uint8_t)"0123456789abcdef"[in[i] >> 4]);
      fuzz_buf_byte(out, (uint8_t)"0123456789abcdef"[in[i] & 15]);
    }
    break;
  case CNET_ENC_BASE64: ref_base64(in, len, false, out); break;
  case CNET_ENC_BASE64URL: ref_base64(in, len, true, out); break;
  case CNET_ENC_BUFFER: fuzz_buf_add(out, in, len); break;
  }
}

/* ---- Driving the decoder ------------------------------------------------ */

/* One write, into a heap block of exactly the size max_out promises. */
static void write_chunk(cnet_string_decoder *d, const uint8_t *p, size_t n,
                        fuzz_buf *out) {
  size_t max = cnet_string_decoder_max_out(d, n);
  char *buf = malloc(max ? max : 1);
  uint8_t *copy = n ? fuzz_dup(p, n) : NULL; /* exact size: reads checked */
  if (!buf) abort();
  size_t got = cnet_string_decoder_write(d, copy, n, buf);
  FUZZ_CHECK(got <= max);
  FUZZ_CHECK(d->buffered <= sizeof d->bytes && d->missing <= 4);
  fuzz_buf_add(out, buf, got);
  free(copy);
  free(buf);
}

static void end_stream(cnet_string_decoder *d, fuzz_buf *out) {
  size_t max = cnet_string_decoder_max_out(d, 0);
  char *buf = malloc(max ? max : 1);
  if (!buf) abort();
  size_t got = cnet_string_decoder_end(d, buf);
  FUZZ_CHECK(got <= max);
  FUZZ_CHECK(d->buffered == 0 && d->missing == 0);
  fuzz_buf_add(out, buf, got);
  free(buf);
}

enum split { WHOLE, BYTES, RANDOM, EVEN };

static void decode(cnet_string_decoder *d, const uint8_t *in, size_t len,
                   enum split how, fuzz_rng *g, fuzz_buf *out) {
  size_t at = 0;
  while (at < len) {
    size_t n = len - at;
    if (how == BYTES) n = 1;
    if (how == RANDOM || how == EVEN) {
      if ((fuzz_rng_next(g) & 15) == 0) write_chunk(d, NULL, 0, out);
      n = fuzz_chunk(g, len - at);
      /* Even cuts, and no 2-byte write after a held high surrogate:
       * Node does not join a pair across that one either. */
      if (how == EVEN) n = n < 4 ? 4 : n + n % 2;
      if (n > len - at) n = len - at;
    }
    write_chunk(d, in + at, n, out);
    at += n;
  }
  end_stream(d, out);
}

static bool has_surrogate(const uint8_t *in, size_t len) {
  for (size_t i = 1; i < len; i += 2)
    if ((in[i] & 0xF8) == 0xD8) return true;
  return false;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size == 0) return 0;
  cnet_encoding enc = (cnet_encoding)(data[0] % 8);
  const uint8_t *in = data + 1;
  size_t len = size - 1;
  fuzz_rng g = fuzz_rng_from(data, size);

  cnet_string_decoder d;
  FUZZ_CHECK(cnet_string_decoder_init(&d, enc) == 0);
  fuzz_buf whole = {0}, bytes = {0}, chunks = {0}, even = {0}, again = {0},
           ref = {0}, broken = {0};
  decode(&d, in, len, WHOLE, &g, &whole);
  decode(&d, in, len, BYTES, &g, &bytes);
  decode(&d, in, len, RANDOM, &g, &chunks);
  decode(&d, in, len, WHOLE, &g, &again);
  reference(enc, in, len, &ref);

  FUZZ_CHECK(fuzz_buf_eq(&whole, &again));
  FUZZ_CHECK(fuzz_buf_eq(&whole, &ref));
  if (enc != CNET_ENC_BUFFER) {
    FUZZ_CHECK(fuzz_utf8_valid(whole.p, whole.len));
    FUZZ_CHECK(fuzz_utf8_valid(bytes.p, bytes.len));
    FUZZ_CHECK(fuzz_utf8_valid(chunks.p, chunks.len));
  }
  if (enc == CNET_ENC_UTF16LE) {
    ref_utf16(in, len, false, &broken);
    FUZZ_CHECK(fuzz_buf_eq(&bytes, &broken));
    decode(&d, in, len, EVEN, &g, &even);
    FUZZ_CHECK(fuzz_buf_eq(&even, &whole));
    if (!has_surrogate(in, len)) FUZZ_CHECK(fuzz_buf_eq(&chunks, &whole));
  } else {
    FUZZ_CHECK(fuzz_buf_eq(&bytes, &whole));
    FUZZ_CHECK(fuzz_buf_eq(&chunks, &whole));
  }

  fuzz_buf_free(&whole);
  fuzz_buf_free(&bytes);
  fuzz_buf_free(&chunks);
  fuzz_buf_free(&even);
  fuzz_buf_free(&again);
  fuzz_buf_free(&ref);
  fuzz_buf_free(&broken);
  return 0;
}
