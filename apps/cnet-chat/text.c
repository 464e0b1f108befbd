/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* Cleaning of what users send and the nickname rules of cnet-chat (see
 * text.h). Invalid UTF-8 is replaced by cnet's own decoder, the one behind
 * Node's Buffer.toString('utf8') in cnet: each maximal subpart of an
 * ill-formed sequence becomes one U+FFFD. Unicode properties,
 * normalization and the confusable skeletons come from ICU. */
#include "text.h"

#include <stdint.h>
#include <string.h>

#include <cnet/encoding.h>

#include <unicode/uchar.h>
#include <unicode/uclean.h>
#include <unicode/unorm2.h>
#include <unicode/uscript.h>
#include <unicode/uspoof.h>
#include <unicode/ustring.h>
#include <unicode/utf8.h>

/* ---- Cleaning ---------------------------------------------------------- */

/* Whether a character must never reach a terminal: it moves the cursor,
 * starts a control sequence or changes how the text around it shows. */
static bool unsafe(uint32_t cp) {
  if (cp < 0x20) return cp != '\t';
  if (cp < 0x7F) return false;
  if (cp <= 0x9F) return true; /* DEL and C1 (0x9B is CSI, 0x9D OSC) */
  return u_charType((UChar32)cp) == U_FORMAT_CHAR;
}

size_t text_clean(const char *in, size_t len, char *out) {
  /* cnet's utf8 Buffer.from is Node's replacement of invalid bytes; what
   * it writes is valid UTF-8, so the characters can be read back without
   * checks and the unsafe ones dropped in place (out only shrinks). */
  size_t valid = cnet_buffer_from_string(in, len, CNET_ENC_UTF8, out);
  const uint8_t *s = (const uint8_t *)out;
  size_t n = 0;
  for (size_t i = 0; i < valid;) {
    size_t at = i;
    UChar32 cp;
    U8_NEXT_UNSAFE(s, i, cp);
    if (unsafe((uint32_t)cp)) continue;
    memmove(out + n, out + at, i - at);
    n += i - at;
  }
  return n;
}

/* ---- Nicknames --------------------------------------------------------- */

/* Input longer than this is no nickname of 32 characters, whatever it is
 * padded with; checked first so that the buffers below are bounded. */
#define NICK_INPUT_MAX 512
#define NICK_UNITS 256 /* UTF-16 units of a nickname and its forms */

static const char E_UTF8[] = "a nickname must be UTF-8 text";
static const char E_COLON[] = "a nickname cannot contain ':'";
static const char E_SPACE[] = "a nickname cannot contain spaces";
static const char E_CONTROL[] = "a nickname cannot contain control characters";
static const char E_LENGTH[] = "a nickname has 1 to 32 characters";
static const char E_INTERNAL[] = "the nickname could not be checked";

static struct {
  bool ready;
  const UNormalizer2 *nfkc, *nfkc_cf, *nfd;
  USpoofChecker *checker;
} icu;

static bool icu_init(void) {
  if (icu.ready) return true;
  UErrorCode e = U_ZERO_ERROR;
  icu.nfkc = unorm2_getNFKCInstance(&e);
  icu.nfkc_cf = unorm2_getNFKCCasefoldInstance(&e);
  icu.nfd = unorm2_getNFDInstance(&e);
  icu.checker = uspoof_open(&e);
  if (U_FAILURE(e)) {
    if (icu.checker) uspoof_close(icu.checker);
    icu.checker = NULL;
    return false;
  }
  icu.ready = true;
  return true;
}

void text_cleanup(void) {
  if (icu.checker) uspoof_close(icu.checker);
  memset(&icu, 0, sizeof icu);
  u_cleanup();
}

/* Blank characters that are not White_Space but show as nothing: the
 * braille blank (the Hangul fillers are default-ignorable, removed before
 * this is asked). */
static bool blank(UChar32 c) { return u_isUWhiteSpace(c) || c == 0x2800; }

/* Copies the n UTF-16 units of src to dst without the characters drop()
 * says to leave out; returns the units written (at most n). */
static int32_t drop_chars(const UChar *src, int32_t n, UChar *dst,
                          bool (*drop)(UChar32 c)) {
  int32_t m = 0;
  for (int32_t i = 0; i < n;) {
    UChar32 c;
    int32_t at = i;
    U16_NEXT(src, i, n, c);
    if (drop(c)) continue;
    while (at < i) dst[m++] = src[at++];
  }
  return m;
}

/* Accents and overlays that belong to no script of their own. */
static bool is_inherited_mark(UChar32 c) {
  UErrorCode e = U_ZERO_ERROR;
  return u_charType(c) == U_NON_SPACING_MARK &&
         uscript_getScript(c, &e) == USCRIPT_INHERITED;
}

/* Invisible characters: zero-width joiners, variation selectors, Hangul
 * fillers. */
static bool is_ignorable(UChar32 c) {
  return u_hasBinaryProperty(c, UCHAR_DEFAULT_IGNORABLE_CODE_POINT);
}

/* The comparison key of a normalized nickname: case folded (NFKC_Casefold),
 * decomposed, without the combining marks that can sit on any script's
 * letters (script Inherited: accents, overlays), then its TR39 skeleton.
 * Marks that belong to a script (Devanagari vowel signs, ...) are kept:
 * they make different names. Returns false if it does not fit. */
static bool make_key(const UChar *name, int32_t len, char *key) {
  UChar a[NICK_UNITS * 4], b[NICK_UNITS * 4];
  UErrorCode e = U_ZERO_ERROR;
  int32_t n = unorm2_normalize(icu.nfkc_cf, name, len, a, NICK_UNITS * 4, &e);
  n = unorm2_normalize(icu.nfd, a, n, b, NICK_UNITS * 4, &e);
  if (U_FAILURE(e)) return false;
  int32_t m = drop_chars(b, n, a, is_inherited_mark);
  int32_t k = uspoof_getSkeleton(icu.checker, 0, a, m, b, NICK_UNITS * 4, &e);
  if (U_FAILURE(e) || k == 0) return false;
  int32_t bytes;
  u_strToUTF8(key, NICK_KEY_MAX, &bytes, b, k, &e);
  /* U_STRING_NOT_TERMINATED_WARNING: it fitted without its NUL. */
  return U_SUCCESS(e) && e != U_STRING_NOT_TERMINATED_WARNING;
}

const char *nick_normalize(const char *in, size_t len, char *nick, char *key) {
  if (len == 0 || len > NICK_INPUT_MAX) return E_LENGTH;
  if (!icu_init()) return E_INTERNAL;
  UChar raw[NICK_INPUT_MAX], kept[NICK_INPUT_MAX], name[NICK_UNITS];
  UErrorCode e = U_ZERO_ERROR;
  int32_t n;
  u_strFromUTF8(raw, NICK_INPUT_MAX, &n, in, (int32_t)len, &e);
  if (U_FAILURE(e)) return E_UTF8;
  /* Invisible characters (zero-width joiners, variation selectors, Hangul
   * fillers) go: "alice" with one stuck to it is "alice". */
  int32_t m = drop_chars(raw, n, kept, is_ignorable);
  int32_t nlen = unorm2_normalize(icu.nfkc, kept, m, name, NICK_UNITS, &e);
  if (e == U_BUFFER_OVERFLOW_ERROR) return E_LENGTH;
  if (U_FAILURE(e)) return E_INTERNAL;
  /* Checked on the normalized form: NFKC turns a fullwidth colon into ':'
   * and some compatibility characters into several, spaces included. */
  size_t chars = 0;
  for (int32_t i = 0; i < nlen;) {
    UChar32 c;
    U16_NEXT(name, i, nlen, c);
    if (c == 0xFFFD) return E_UTF8; /* what invalid bytes were cleaned to */
    if (c == ':') return E_COLON;
    if (blank(c)) return E_SPACE;
    if (u_charType(c) == U_CONTROL_CHAR) return E_CONTROL;
    chars++;
  }
  if (chars == 0 || chars > NICK_MAX_CHARS) return E_LENGTH;
  char shown[NICK_MAX_BYTES + 1];
  u_strToUTF8(shown, sizeof shown, NULL, name, nlen, &e);
  if (U_FAILURE(e)) return E_INTERNAL;
  char k[NICK_KEY_MAX];
  /* A name of combining accents alone has an empty key: nothing to see. */
  if (!make_key(name, nlen, k)) return E_LENGTH;
  if (nick) memcpy(nick, shown, strlen(shown) + 1);
  if (key) memcpy(key, k, strlen(k) + 1);
  return NULL;
}
