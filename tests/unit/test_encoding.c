/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* Encoding names, the StringDecoder and Buffer.from(string, encoding). The
 * expected values are Node 20's (the conformance scenarios string_decoder,
 * string_decoder_encodings and buffer_from compare thousands more). */
#include "harness.h"

#include <stdio.h>

/* The decoder's output for one write (W) or for end() (END), as a
 * NUL-terminated string in one of a few rotating buffers, so that a test
 * can compare it with a string literal. W's input is a string literal whose
 * length is taken with sizeof, so it may hold "\x00". */
static char outs[8][512];
static int nout;

static const char *write_text(cnet_string_decoder *d, const char *in,
                              size_t len) {
  char *out = outs[nout++ % 8];
  size_t max = cnet_string_decoder_max_out(d, len);
  ASSERT(max < sizeof(outs[0]));
  size_t n = cnet_string_decoder_write(d, in, len, out);
  ASSERT(n <= max);
  out[n] = '\0';
  return out;
}

static const char *end_text(cnet_string_decoder *d) {
  char *out = outs[nout++ % 8];
  size_t max = cnet_string_decoder_max_out(d, 0);
  size_t n = cnet_string_decoder_end(d, out);
  ASSERT(n <= max);
  out[n] = '\0';
  return out;
}

#define W(d, lit) write_text((d), (lit), sizeof(lit) - 1)
#define END(d) end_text(d)

static cnet_string_decoder decoder(cnet_encoding enc) {
  cnet_string_decoder d;
  ASSERT_EQ(0, cnet_string_decoder_init(&d, enc));
  return d;
}

/* Buffer.from(lit, enc) as lowercase hex. */
static const char *from_hex(const char *s, size_t len, cnet_encoding enc) {
  static char text[4][512];
  static int n;
  unsigned char out[256];
  ASSERT(cnet_buffer_from_string_max(len, enc) <= sizeof(out));
  size_t got = cnet_buffer_from_string(s, len, enc, out);
  ASSERT(got <= cnet_buffer_from_string_max(len, enc));
  char *t = text[n++ % 4];
  for (size_t i = 0; i < got; i++) sprintf(t + 2 * i, "%02x", out[i]);
  t[2 * got] = '\0';
  return t;
}
#define FROM(lit, enc) from_hex((lit), sizeof(lit) - 1, (enc))

#define U_FFFD "\xef\xbf\xbd"

/* ---------------------------------------------------------------------- */
/* Names                                                                   */

CNET_TEST(parse_takes_node_names_in_any_case) {
  ASSERT_EQ(CNET_ENC_UTF8, cnet_encoding_parse("utf8"));
  ASSERT_EQ(CNET_ENC_UTF8, cnet_encoding_parse("UTF-8"));
  ASSERT_EQ(CNET_ENC_UTF16LE, cnet_encoding_parse("ucs2"));
  ASSERT_EQ(CNET_ENC_UTF16LE, cnet_encoding_parse("UCS-2"));
  ASSERT_EQ(CNET_ENC_UTF16LE, cnet_encoding_parse("utf16le"));
  ASSERT_EQ(CNET_ENC_UTF16LE, cnet_encoding_parse("Utf-16LE"));
  ASSERT_EQ(CNET_ENC_LATIN1, cnet_encoding_parse("latin1"));
  ASSERT_EQ(CNET_ENC_LATIN1, cnet_encoding_parse("BINARY"));
  ASSERT_EQ(CNET_ENC_ASCII, cnet_encoding_parse("Ascii"));
  ASSERT_EQ(CNET_ENC_HEX, cnet_encoding_parse("hEx"));
  ASSERT_EQ(CNET_ENC_BASE64, cnet_encoding_parse("base64"));
  ASSERT_EQ(CNET_ENC_BASE64URL, cnet_encoding_parse("Base64Url"));
}

CNET_TEST(parse_null_and_empty_mean_utf8) {
  ASSERT_EQ(CNET_ENC_UTF8, cnet_encoding_parse(NULL));
  ASSERT_EQ(CNET_ENC_UTF8, cnet_encoding_parse(""));
}

CNET_TEST(parse_rejects_what_node_rejects) {
  ASSERT_EQ(CNET_ERR_UNKNOWN_ENCODING, cnet_encoding_parse("buffer"));
  ASSERT_EQ(CNET_ERR_UNKNOWN_ENCODING, cnet_encoding_parse("utf16"));
  ASSERT_EQ(CNET_ERR_UNKNOWN_ENCODING, cnet_encoding_parse("utf-16"));
  ASSERT_EQ(CNET_ERR_UNKNOWN_ENCODING, cnet_encoding_parse("latin-1"));
  ASSERT_EQ(CNET_ERR_UNKNOWN_ENCODING, cnet_encoding_parse("utf8 "));
  ASSERT_EQ(CNET_ERR_UNKNOWN_ENCODING, cnet_encoding_parse("base64-url"));
  ASSERT_EQ(CNET_ERR_UNKNOWN_ENCODING, cnet_encoding_parse("lat\xc4\xb1n1"));
}

CNET_TEST(name_is_the_canonical_one) {
  ASSERT_STR_EQ("buffer", cnet_encoding_name(CNET_ENC_BUFFER));
  ASSERT_STR_EQ("utf8", cnet_encoding_name(CNET_ENC_UTF8));
  ASSERT_STR_EQ("utf16le", cnet_encoding_name(CNET_ENC_UTF16LE));
  ASSERT_STR_EQ("latin1", cnet_encoding_name(CNET_ENC_LATIN1));
  ASSERT_STR_EQ("ascii", cnet_encoding_name(CNET_ENC_ASCII));
  ASSERT_STR_EQ("hex", cnet_encoding_name(CNET_ENC_HEX));
  ASSERT_STR_EQ("base64", cnet_encoding_name(CNET_ENC_BASE64));
  ASSERT_STR_EQ("base64url", cnet_encoding_name(CNET_ENC_BASE64URL));
  ASSERT_NULL(cnet_encoding_name((cnet_encoding)99));
}

CNET_TEST(name_and_parse_round_trip) {
  for (int e = CNET_ENC_UTF8; e <= CNET_ENC_BASE64URL; e++)
    ASSERT_EQ(e, cnet_encoding_parse(cnet_encoding_name((cnet_encoding)e)));
}

/* ---------------------------------------------------------------------- */
/* StringDecoder: utf8                                                     */

CNET_TEST(decoder_init_rejects_a_value_outside_the_enum) {
  cnet_string_decoder d;
  ASSERT_EQ(CNET_ERR_UNKNOWN_ENCODING,
            cnet_string_decoder_init(&d, (cnet_encoding)8));
  ASSERT_EQ(CNET_ERR_UNKNOWN_ENCODING,
            cnet_string_decoder_init(&d, (cnet_encoding)-1));
}

CNET_TEST(utf8_valid_text_passes_through) {
  cnet_string_decoder d = decoder(CNET_ENC_UTF8);
  ASSERT_STR_EQ("hello, world", W(&d, "hello, world"));
  ASSERT_STR_EQ("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80",
                W(&d, "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"));
  ASSERT_STR_EQ("", END(&d));
}

CNET_TEST(utf8_character_split_across_writes_is_never_split) {
  cnet_string_decoder d = decoder(CNET_ENC_UTF8);
  ASSERT_STR_EQ("a", W(&d, "a\xe2\x82"));
  ASSERT_STR_EQ("\xe2\x82\xac" "b", W(&d, "\xac" "b"));
  ASSERT_STR_EQ("", W(&d, "\xe3"));
  ASSERT_STR_EQ("\xe3\x81\x82", W(&d, "\x81\x82"));
  ASSERT_STR_EQ("", W(&d, "\xf0\x9f\x98"));
  ASSERT_STR_EQ("\xf0\x9f\x98\x80z", W(&d, "\x80z"));
  ASSERT_STR_EQ("", END(&d));
}

CNET_TEST(utf8_held_back_bytes_are_reported_by_missing_and_buffered) {
  cnet_string_decoder d = decoder(CNET_ENC_UTF8);
  W(&d, "a\xf0\x9f");
  ASSERT_EQ(2, d.buffered);
  ASSERT_EQ(2, d.missing);
  W(&d, "\x98");
  ASSERT_EQ(3, d.buffered);
  ASSERT_EQ(1, d.missing);
}

CNET_TEST(utf8_overlong_forms_give_one_replacement_per_byte) {
  cnet_string_decoder d = decoder(CNET_ENC_UTF8);
  ASSERT_STR_EQ(U_FFFD U_FFFD, W(&d, "\xc0\x80"));
  ASSERT_STR_EQ(U_FFFD U_FFFD U_FFFD, W(&d, "\xe0\x80\x80"));
  ASSERT_STR_EQ(U_FFFD U_FFFD U_FFFD U_FFFD, W(&d, "\xf0\x80\x80\x80"));
}

CNET_TEST(utf8_encoded_surrogate_gives_three_replacements) {
  cnet_string_decoder d = decoder(CNET_ENC_UTF8);
  ASSERT_STR_EQ(U_FFFD U_FFFD U_FFFD, W(&d, "\xed\xa0\x80"));
}

CNET_TEST(utf8_above_u10ffff_and_f5_to_ff_are_replaced_byte_by_byte) {
  cnet_string_decoder d = decoder(CNET_ENC_UTF8);
  ASSERT_STR_EQ(U_FFFD U_FFFD U_FFFD U_FFFD, W(&d, "\xf4\x90\x80\x80"));
  ASSERT_STR_EQ(U_FFFD U_FFFD U_FFFD U_FFFD, W(&d, "\xf5\x80\x80\x80"));
  ASSERT_STR_EQ(U_FFFD "A", W(&d, "\xff" "A"));
}

CNET_TEST(utf8_stray_continuation_bytes_are_each_replaced) {
  cnet_string_decoder d = decoder(CNET_ENC_UTF8);
  ASSERT_STR_EQ("A" U_FFFD U_FFFD "B", W(&d, "A\x80\xbf" "B"));
}

CNET_TEST(utf8_truncated_character_is_one_replacement_at_end) {
  cnet_string_decoder d = decoder(CNET_ENC_UTF8);
  ASSERT_STR_EQ("", W(&d, "\xf0\x9f\x98"));
  ASSERT_STR_EQ(U_FFFD, END(&d));
  ASSERT_STR_EQ("", W(&d, "\xe2\x82"));
  ASSERT_STR_EQ(U_FFFD, END(&d));
}

CNET_TEST(utf8_invalid_prefix_at_end_gives_a_replacement_per_subpart) {
  /* F0 80 is held back (F0 asks for 3 more) but is two maximal subparts. */
  cnet_string_decoder d = decoder(CNET_ENC_UTF8);
  ASSERT_STR_EQ("", W(&d, "\xf0\x80"));
  ASSERT_STR_EQ(U_FFFD U_FFFD, END(&d));
}

CNET_TEST(utf8_byte_that_cannot_continue_ends_the_held_character) {
  cnet_string_decoder d = decoder(CNET_ENC_UTF8);
  ASSERT_STR_EQ("", W(&d, "\xe2\x82"));
  ASSERT_STR_EQ(U_FFFD "A", W(&d, "A"));
  ASSERT_STR_EQ("", W(&d, "\xe2"));
  ASSERT_STR_EQ(U_FFFD "\xe2\x82\xac", W(&d, "\xe2\x82\xac"));
  ASSERT_STR_EQ("", END(&d));
}

CNET_TEST(utf8_ascii_runs_around_a_bad_byte_are_kept) {
  cnet_string_decoder d = decoder(CNET_ENC_UTF8);
  ASSERT_STR_EQ("ABCDEFGHIJK" U_FFFD "LMNOPQRSTUVWXYZ",
                W(&d, "ABCDEFGHIJK\xffLMNOPQRSTUVWXYZ"));
}

CNET_TEST(empty_write_writes_nothing_and_keeps_state) {
  cnet_string_decoder d = decoder(CNET_ENC_UTF8);
  ASSERT_STR_EQ("", W(&d, "\xc3"));
  ASSERT_EQ(0, cnet_string_decoder_write(&d, NULL, 0, outs[0]));
  ASSERT_STR_EQ("\xc3\xa9", W(&d, "\xa9"));
}

CNET_TEST(decoder_is_empty_and_reusable_after_end) {
  cnet_string_decoder d = decoder(CNET_ENC_UTF8);
  W(&d, "\xe2\x82");
  END(&d);
  ASSERT_EQ(0, d.buffered);
  ASSERT_EQ(0, d.missing);
  ASSERT_STR_EQ("\xe2\x82\xac", W(&d, "\xe2\x82\xac"));
}

/* ---------------------------------------------------------------------- */
/* StringDecoder: the other encodings                                      */

CNET_TEST(utf16le_surrogate_pair_split_across_writes_is_joined) {
  cnet_string_decoder d = decoder(CNET_ENC_UTF16LE);
  ASSERT_STR_EQ("A", W(&d, "A\x00\x3d\xd8"));
  ASSERT_STR_EQ("\xf0\x9f\x98\x80", W(&d, "\x00\xde"));
  ASSERT_STR_EQ("A", W(&d, "A\x00\x3d"));
  ASSERT_STR_EQ("\xf0\x9f\x98\x80", W(&d, "\xd8\x00\xde"));
}

CNET_TEST(utf16le_high_surrogate_completed_alone_is_not_held) {
  /* Node returns the completed unit as the write's whole text. */
  cnet_string_decoder d = decoder(CNET_ENC_UTF16LE);
  ASSERT_STR_EQ("A", W(&d, "A\x00\x3d"));
  ASSERT_STR_EQ(U_FFFD, W(&d, "\xd8"));
  ASSERT_STR_EQ(U_FFFD, W(&d, "\x00\xde"));
}

CNET_TEST(utf16le_lone_surrogates_print_as_replacement) {
  cnet_string_decoder d = decoder(CNET_ENC_UTF16LE);
  ASSERT_STR_EQ(U_FFFD "A", W(&d, "\x00\xdc" "A\x00"));
  ASSERT_STR_EQ(U_FFFD "A", W(&d, "\x00\xd8" "A\x00"));
  ASSERT_STR_EQ("", W(&d, "\x00\xd8"));
  ASSERT_STR_EQ(U_FFFD, END(&d));
}

CNET_TEST(utf16le_high_surrogate_before_an_odd_byte_is_not_held) {
  /* Node holds back only the odd byte, so the pair is split. */
  cnet_string_decoder d = decoder(CNET_ENC_UTF16LE);
  ASSERT_STR_EQ(U_FFFD, W(&d, "\x3d\xd8\x00"));
  ASSERT_STR_EQ(U_FFFD, W(&d, "\xde"));
}

CNET_TEST(utf16le_end_drops_an_odd_last_byte) {
  cnet_string_decoder d = decoder(CNET_ENC_UTF16LE);
  ASSERT_STR_EQ("A", W(&d, "A\x00" "B"));
  ASSERT_STR_EQ("", END(&d));
}

CNET_TEST(latin1_bytes_are_code_points) {
  cnet_string_decoder d = decoder(CNET_ENC_LATIN1);
  ASSERT_STR_EQ("caf\xc3\xa9\xc3\xbf", W(&d, "caf\xe9\xff"));
}

CNET_TEST(ascii_clears_the_high_bit_as_node_20_does) {
  cnet_string_decoder d = decoder(CNET_ENC_ASCII);
  ASSERT_STR_EQ("Ai\x7f", W(&d, "A\xe9\xff"));
}

CNET_TEST(hex_is_two_lowercase_digits_per_byte) {
  cnet_string_decoder d = decoder(CNET_ENC_HEX);
  ASSERT_STR_EQ("00ff7eab", W(&d, "\x00\xff\x7e\xab"));
}

CNET_TEST(base64_holds_back_partial_groups_and_pads_at_end) {
  cnet_string_decoder d = decoder(CNET_ENC_BASE64);
  ASSERT_STR_EQ("", W(&d, "A"));
  ASSERT_STR_EQ("QUJD", W(&d, "BC"));
  ASSERT_STR_EQ("REVG", W(&d, "DEFG"));
  ASSERT_STR_EQ("Rw==", END(&d));
}

CNET_TEST(base64url_uses_its_alphabet_and_no_padding) {
  cnet_string_decoder d = decoder(CNET_ENC_BASE64URL);
  ASSERT_STR_EQ("-_-_", W(&d, "\xfb\xff\xbf\xfe"));
  ASSERT_STR_EQ("_g", END(&d));
}

CNET_TEST(buffer_encoding_copies_bytes) {
  cnet_string_decoder d = decoder(CNET_ENC_BUFFER);
  ASSERT_STR_EQ("\xff\xe2\x82", W(&d, "\xff\xe2\x82"));
  ASSERT_STR_EQ("", END(&d));
}

CNET_TEST(max_out_bounds_every_write_and_end) {
  /* Random bytes in random chunks, for every encoding. */
  uint32_t x = 12345;
  for (int e = CNET_ENC_BUFFER; e <= CNET_ENC_BASE64URL; e++) {
    cnet_string_decoder d = decoder((cnet_encoding)e);
    for (int round = 0; round < 2000; round++) {
      char in[16];
      x ^= x << 13, x ^= x >> 17, x ^= x << 5;
      size_t len = x % sizeof(in);
      for (size_t i = 0; i < len; i++) {
        x ^= x << 13, x ^= x >> 17, x ^= x << 5;
        in[i] = (char)(x % 5 == 0 ? 0xf0 | (x >> 8 & 7) : x >> 8);
      }
      write_text(&d, in, len);
      if (round % 7 == 0) end_text(&d);
    }
  }
}

/* ---------------------------------------------------------------------- */
/* Buffer.from(string, encoding)                                           */

CNET_TEST(from_utf8_replaces_invalid_sequences) {
  ASSERT_STR_EQ("636166c3a9", FROM("caf\xc3\xa9", CNET_ENC_UTF8));
  ASSERT_STR_EQ("61efbfbd62", FROM("a\xe2\x82" "b", CNET_ENC_UTF8));
  ASSERT_STR_EQ("efbfbdefbfbdefbfbd", FROM("\xed\xa0\x80", CNET_ENC_UTF8));
}

CNET_TEST(from_utf16le_writes_code_units_and_pairs) {
  ASSERT_STR_EQ("6100e900ac20", FROM("a\xc3\xa9\xe2\x82\xac", CNET_ENC_UTF16LE));
  ASSERT_STR_EQ("3dd800de", FROM("\xf0\x9f\x98\x80", CNET_ENC_UTF16LE));
  ASSERT_STR_EQ("fdff", FROM("\xff", CNET_ENC_UTF16LE));
}

CNET_TEST(from_latin1_takes_the_low_byte_of_each_code_unit) {
  ASSERT_STR_EQ("e9", FROM("\xc3\xa9", CNET_ENC_LATIN1));
  ASSERT_STR_EQ("41", FROM("\xc5\x81", CNET_ENC_LATIN1));      /* U+0141 */
  ASSERT_STR_EQ("3d00", FROM("\xf0\x9f\x98\x80", CNET_ENC_LATIN1));
  ASSERT_STR_EQ("fd", FROM("\xff", CNET_ENC_LATIN1));          /* U+FFFD */
}

CNET_TEST(from_ascii_is_the_same_as_latin1) {
  ASSERT_STR_EQ("e9ac", FROM("\xc3\xa9\xe2\x82\xac", CNET_ENC_ASCII));
}

CNET_TEST(from_hex_stops_at_the_first_invalid_pair) {
  ASSERT_STR_EQ("abcd", FROM("ABcd", CNET_ENC_HEX));
  ASSERT_STR_EQ("ab", FROM("abzz12", CNET_ENC_HEX));
  ASSERT_STR_EQ("", FROM("0g", CNET_ENC_HEX));
  ASSERT_STR_EQ("", FROM(" abc", CNET_ENC_HEX));
}

CNET_TEST(from_hex_ignores_an_odd_last_digit) {
  ASSERT_STR_EQ("ab", FROM("abc", CNET_ENC_HEX));
  ASSERT_STR_EQ("", FROM("a", CNET_ENC_HEX));
}

CNET_TEST(from_hex_reads_non_ascii_by_its_low_byte) {
  /* U+0161 is 0x61 'a' and U+0131 is 0x31 '1' to Node's hex decoder. */
  ASSERT_STR_EQ("a1", FROM("\xc5\xa1\xc4\xb1", CNET_ENC_HEX));
}

CNET_TEST(from_base64_takes_both_alphabets_under_both_names) {
  ASSERT_STR_EQ("fbffbf", FROM("-_-_", CNET_ENC_BASE64));
  ASSERT_STR_EQ("fbffbf", FROM("+/+/", CNET_ENC_BASE64URL));
}

CNET_TEST(from_base64_skips_whitespace_and_other_characters) {
  ASSERT_STR_EQ("414243", FROM(" Q U\nJ\tD \r\n", CNET_ENC_BASE64));
  ASSERT_STR_EQ("414243", FROM("Q*U!J@D", CNET_ENC_BASE64));
}

CNET_TEST(from_base64_stops_at_the_first_equals_sign) {
  ASSERT_STR_EQ("41", FROM("QQ==QUJD", CNET_ENC_BASE64));
  ASSERT_STR_EQ("", FROM("=QUJD", CNET_ENC_BASE64));
  ASSERT_STR_EQ("414243", FROM("QUJD=RA", CNET_ENC_BASE64));
}

CNET_TEST(from_base64_needs_no_padding) {
  ASSERT_STR_EQ("4142", FROM("QUI", CNET_ENC_BASE64));
  ASSERT_STR_EQ("41", FROM("QQ", CNET_ENC_BASE64URL));
  ASSERT_STR_EQ("", FROM("Q", CNET_ENC_BASE64));
  ASSERT_STR_EQ("414243", FROM("QUJDR", CNET_ENC_BASE64));
}

CNET_TEST(from_buffer_copies_bytes_unchanged) {
  ASSERT_STR_EQ("ffe282", FROM("\xff\xe2\x82", CNET_ENC_BUFFER));
}

CNET_TEST(from_string_max_bounds_the_output) {
  uint32_t x = 777;
  unsigned char out[256];
  for (int e = CNET_ENC_BUFFER; e <= CNET_ENC_BASE64URL; e++) {
    for (int round = 0; round < 3000; round++) {
      char in[40];
      x ^= x << 13, x ^= x >> 17, x ^= x << 5;
      size_t len = x % sizeof(in);
      for (size_t i = 0; i < len; i++) {
        x ^= x << 13, x ^= x >> 17, x ^= x << 5;
        in[i] = (char)(x % 3 == 0 ? 'A' + x % 26 : x >> 8);
      }
      size_t n = cnet_buffer_from_string(in, len, (cnet_encoding)e, out);
      ASSERT(n <= cnet_buffer_from_string_max(len, (cnet_encoding)e));
    }
  }
}

/* ---- buffer.isUtf8 -------------------------------------------------- */

/* A string literal's bytes (sizeof, so "\x00" counts) through the
 * validator. */
#define VALID(lit) cnet_utf8_is_valid((lit), sizeof(lit) - 1)
#define PREFIX(lit) cnet_utf8_valid_prefix((lit), sizeof(lit) - 1)
#define INCOMPLETE(lit) cnet_utf8_incomplete_tail((lit), sizeof(lit) - 1)

CNET_TEST(utf8_valid_takes_empty_ascii_and_nul) {
  ASSERT(cnet_utf8_is_valid(NULL, 0));
  ASSERT_EQ(0, cnet_utf8_valid_prefix(NULL, 0));
  ASSERT(VALID("\x00"));
  ASSERT(VALID("plain ASCII text, longer than eight bytes\x7f"));
}

CNET_TEST(utf8_valid_takes_every_length_and_the_range_ends) {
  ASSERT(VALID("\xc2\x80"));             /* U+0080 */
  ASSERT(VALID("\xdf\xbf"));             /* U+07FF */
  ASSERT(VALID("\xe0\xa0\x80"));         /* U+0800 */
  ASSERT(VALID("\xed\x9f\xbf"));         /* U+D7FF */
  ASSERT(VALID("\xee\x80\x80"));         /* U+E000 */
  ASSERT(VALID("\xef\xbf\xbf"));         /* U+FFFF */
  ASSERT(VALID("\xf0\x90\x80\x80"));     /* U+10000 */
  ASSERT(VALID("\xf4\x8f\xbf\xbf"));     /* U+10FFFF */
  ASSERT(VALID("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80 ok"));
}

CNET_TEST(utf8_valid_refuses_overlongs_surrogates_and_too_high) {
  ASSERT(!VALID("\xc0\x80"));
  ASSERT(!VALID("\xc1\xbf"));
  ASSERT(!VALID("\xe0\x9f\xbf"));
  ASSERT(!VALID("\xf0\x8f\xbf\xbf"));
  ASSERT(!VALID("\xed\xa0\x80"));        /* U+D800 */
  ASSERT(!VALID("\xed\xbf\xbf"));        /* U+DFFF */
  ASSERT(!VALID("\xed\xa0\xbd\xed\xb8\x80")); /* a pair, CESU-8 style */
  ASSERT(!VALID("\xf4\x90\x80\x80"));    /* U+110000 */
  ASSERT(!VALID("\xf5\x80\x80\x80"));
  ASSERT(!VALID("\xff"));
  ASSERT(!VALID("\xfe"));
}

CNET_TEST(utf8_valid_refuses_lone_continuations_and_cut_sequences) {
  ASSERT(!VALID("\x80"));
  ASSERT(!VALID("a\xbf"));
  ASSERT(!VALID("\xc3"));
  ASSERT(!VALID("\xe2\x82"));
  ASSERT(!VALID("\xf0\x9f\x98"));
  ASSERT(!VALID("\xe2\x82\x41"));        /* cut by an ASCII byte */
  ASSERT(!VALID("\xc3\xa9\xa9"));        /* one continuation too many */
  /* Past the ASCII fast path's 8-byte blocks. */
  ASSERT(!VALID("0123456789abcdef\xe2\x82"));
}

CNET_TEST(utf8_valid_prefix_stops_at_the_first_bad_sequence) {
  ASSERT_EQ(5, PREFIX("hello"));
  ASSERT_EQ(5, PREFIX("hello\xe2\x82"));
  ASSERT_EQ(2, PREFIX("\xc3\xa9\xed\xa0\x80\xc3\xa9"));
  ASSERT_EQ(0, PREFIX("\x80" "abc"));
  ASSERT_EQ(16, PREFIX("0123456789abcdef\xf4\x90\x80\x80"));
  ASSERT_EQ(7, PREFIX("\xf0\x9f\x98\x80\xe2\x82\xac\xf0\x9f"));
}

CNET_TEST(utf8_incomplete_tail_tells_cut_from_invalid) {
  ASSERT(INCOMPLETE("\xc3"));
  ASSERT(INCOMPLETE("\xe2\x82"));
  ASSERT(INCOMPLETE("\xf0\x9f\x98"));
  ASSERT(INCOMPLETE("\xf4\x8f"));
  ASSERT(!INCOMPLETE(""));
  ASSERT(!INCOMPLETE("a"));
  ASSERT(!INCOMPLETE("\x80"));
  ASSERT(!INCOMPLETE("\xc0"));           /* only overlongs follow */
  ASSERT(!INCOMPLETE("\xe0\x80"));
  ASSERT(!INCOMPLETE("\xed\xa0"));       /* a surrogate would follow */
  ASSERT(!INCOMPLETE("\xf4\x90"));       /* above U+10FFFF */
  ASSERT(!INCOMPLETE("\xf5"));
  ASSERT(!INCOMPLETE("\xe2\x82\xac"));   /* complete, not cut */
  ASSERT(!INCOMPLETE("\xf0\x9f\x98\x80"));
}

CNET_TEST(utf8_valid_is_what_the_decoder_passes_unchanged) {
  uint32_t x = 4242;
  char out[3 * 24];
  for (int round = 0; round < 20000; round++) {
    unsigned char in[24];
    x ^= x << 13, x ^= x >> 17, x ^= x << 5;
    size_t len = x % sizeof(in);
    for (size_t i = 0; i < len; i++) {
      x ^= x << 13, x ^= x >> 17, x ^= x << 5;
      /* Mostly bytes that start or continue sequences. */
      in[i] = (unsigned char)(x % 4 == 0 ? 'a' : 0x80 + (x >> 8) % 0x80);
    }
    size_t n = cnet_buffer_from_string((const char *)in, len, CNET_ENC_UTF8,
                                       out);
    bool same = n == len && memcmp(in, out, len) == 0;
    ASSERT_EQ(same, cnet_utf8_is_valid(in, len));
    size_t p = cnet_utf8_valid_prefix(in, len);
    ASSERT(p <= len);
    ASSERT(cnet_utf8_is_valid(in, p));
    ASSERT_EQ(p == len, cnet_utf8_is_valid(in, len));
  }
}
