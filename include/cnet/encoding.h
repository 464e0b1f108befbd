/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* cnet encodings: Node's string encodings for socket.setEncoding() and
 * socket.write(string, encoding). Three parts, in the order of Node's docs:
 * encoding names (normalizeEncoding), the StringDecoder that turns received
 * bytes into text, and Buffer.from(string, encoding) that turns text into
 * bytes to send. Everything here is synchronous and allocation-free: the
 * caller owns every buffer. Reference: docs/encoding.md.
 *
 * A fourth part checks UTF-8 without decoding it (buffer.isUtf8).
 *
 * Text on the C side is UTF-8. Where Node hands a JavaScript string to the
 * program, cnet hands over the bytes that string would have if written out
 * as UTF-8 (Buffer.from(str, 'utf8')), so every byte sequence is valid
 * UTF-8. Where Node takes a JavaScript string, cnet takes UTF-8 and reads it
 * as Node would read the same bytes into a string first: each maximal
 * invalid subsequence becomes one U+FFFD. */
#ifndef CNET_ENCODING_H
#define CNET_ENCODING_H

#include <stdbool.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---------------------------------------------------------------------- */
/* Encoding names                                                          */

/* Node's encodings. CNET_ENC_BUFFER is "no encoding": bytes stay bytes, as
 * a socket without setEncoding() delivers Buffers. */
typedef enum cnet_encoding {
  CNET_ENC_BUFFER = 0, /* raw bytes, no conversion                        */
  CNET_ENC_UTF8,       /* 'utf8', 'utf-8'                                  */
  CNET_ENC_UTF16LE,    /* 'utf16le', 'utf-16le', 'ucs2', 'ucs-2'           */
  CNET_ENC_LATIN1,     /* 'latin1', 'binary'                               */
  CNET_ENC_ASCII,      /* 'ascii'                                          */
  CNET_ENC_HEX,        /* 'hex'                                            */
  CNET_ENC_BASE64,     /* 'base64'                                         */
  CNET_ENC_BASE64URL   /* 'base64url'                                      */
} cnet_encoding;

/* Node's normalizeEncoding(): the encoding an encoding name stands for, or
 * CNET_ERR_UNKNOWN_ENCODING (where Node throws ERR_UNKNOWN_ENCODING).
 * Names are matched without regard to ASCII case ("UTF-8", "Base64Url").
 * NULL and "" mean utf8, as an omitted or empty encoding does in Node.
 * "buffer" is not a name Node accepts here, so it is unknown too. */
int cnet_encoding_parse(const char *name);

/* The canonical name: "utf8", "utf16le", "latin1", "ascii", "hex",
 * "base64", "base64url", "buffer" for CNET_ENC_BUFFER; NULL for a value
 * outside the enum. */
const char *cnet_encoding_name(cnet_encoding enc);

/* ---------------------------------------------------------------------- */
/* Class: StringDecoder                                                    */

/* Node's StringDecoder: decodes a byte stream chunk by chunk so that a
 * character split across chunks is not split in the text (utf16le has
 * Node's exceptions, below). Output is UTF-8 (see the top of this file).
 * Per encoding, exactly as Node 20:
 *   utf8      valid input passes through; each maximal invalid subsequence
 *             becomes U+FFFD (so "c0 80" gives two, "e0 80 80" three,
 *             "ed a0 80", a surrogate, three, "f4 90 80 80" four). An
 *             incomplete character at the end of a chunk is held back
 *             until the next write. If that write brings a byte that
 *             cannot continue it, the bytes before that one are decoded on
 *             their own (giving U+FFFD) and that byte starts afresh.
 *             end() gives U+FFFD for what is left.
 *   utf16le   code units to UTF-8. A chunk that ends in a high surrogate
 *             or in half a code unit holds it back, so a surrogate pair
 *             split across chunks is joined; but, as in Node, a pair is
 *             not joined when a chunk ends one byte into the low
 *             surrogate or when a write's only text is the completed high
 *             surrogate. A surrogate left alone in a write's text is
 *             U+FFFD (what Node's string prints as in UTF-8); end() drops
 *             an odd final byte.
 *   latin1    each byte is the code point of the same value.
 *   ascii     each byte with its high bit cleared (Node 20 does this:
 *             0xe9 gives "i").
 *   hex       two lowercase hex digits per byte.
 *   base64    groups of 3 bytes; 1 or 2 left over wait for the next write,
 *   base64url and end() encodes them (with '=' padding for base64 only).
 *   buffer    bytes are copied through unchanged.
 * The struct is plain data the caller owns: embed it, copy it, no free. */
typedef struct cnet_string_decoder {
  cnet_encoding encoding;  /* read-only                                    */
  /* read-only: bytes the held-back character still needs, and bytes held
   * back (Node's decoder.lastNeed is `missing`, lastTotal is
   * missing + buffered). */
  unsigned char missing;
  unsigned char buffered;
  unsigned char bytes[4];  /* private: the held-back bytes                 */
} cnet_string_decoder;

/* new StringDecoder(encoding). Returns 0, or CNET_ERR_UNKNOWN_ENCODING for
 * a value outside the enum (d is then untouched). */
int cnet_string_decoder_init(cnet_string_decoder *d, cnet_encoding enc);

/* The most bytes cnet_string_decoder_write(d, in, in_len, out) can write,
 * given what d holds back now; with in_len 0 it also bounds what
 * cnet_string_decoder_end(d, out) can write. Size out by it. The bound is
 * loose (e.g. utf8 allows 3 bytes per input byte, for U+FFFD). */
size_t cnet_string_decoder_max_out(const cnet_string_decoder *d,
                                   size_t in_len);

/* decoder.write(buffer): decodes len bytes from in into out and returns the
 * number of bytes written (0 when everything was held back). out is not
 * NUL-terminated. in may be NULL when len is 0. */
size_t cnet_string_decoder_write(cnet_string_decoder *d, const void *in,
                                 size_t len, char *out);

/* decoder.end(): writes what is held back as Node flushes it (one or more
 * U+FFFD for an incomplete UTF-8 character, the final base64 group with
 * its padding, ...) and returns the length. The decoder is then empty and
 * can be reused for a new stream. */
size_t cnet_string_decoder_end(cnet_string_decoder *d, char *out);

/* ---------------------------------------------------------------------- */
/* Buffer.from(string, encoding)                                           */

/* The most bytes cnet_buffer_from_string can write for len bytes of text
 * in that encoding (loose: 3 * len for utf8, whose invalid bytes become
 * U+FFFD; 2 * len for utf16le; len for latin1 and ascii; ...). */
size_t cnet_buffer_from_string_max(size_t len, cnet_encoding enc);

/* Buffer.from(string, encoding): the bytes Node would send for the string
 * whose UTF-8 form is s[0..len). Returns the number written to out. s need
 * not be NUL-terminated. Per encoding, as Node 20:
 *   utf8      s itself, with invalid sequences replaced by U+FFFD.
 *   utf16le   each UTF-16 code unit, little-endian (4 bytes for a
 *             character above U+FFFF: a surrogate pair).
 *   latin1,   the low byte of each UTF-16 code unit: "é" gives 0xe9, but
 *   ascii     "Ł" (U+0141) gives 0x41 and an emoji two bytes.
 *   hex       pairs of hex digits (either case); decoding stops at the
 *             first pair that is not two hex digits, and an odd last digit
 *             is ignored. Non-ASCII characters count by their low byte, as
 *             in Node ("š", U+0161, reads as 'a').
 *   base64,   both alphabets are accepted by both names; characters that
 *   base64url are not base64 (whitespace, ...) are skipped; the first '='
 *             ends the data; missing padding is fine; a single character
 *             left over is ignored. Low bytes again decide, as in Node.
 *   buffer    the bytes of s, copied unchanged.
 * An enc outside the enum writes nothing and returns 0. */
size_t cnet_buffer_from_string(const char *s, size_t len, cnet_encoding enc,
                               void *out);

/* ---------------------------------------------------------------------- */
/* buffer.isUtf8(input)                                                    */

/* "Valid UTF-8" is what the utf8 decoder above passes through unchanged:
 * Unicode's well-formed sequences, so no overlong form ("c0 80"), no
 * surrogate ("ed a0 80"), nothing above U+10FFFF ("f4 90 80 80"), no
 * lone continuation byte and no sequence cut short. */

/* buffer.isUtf8(input): whether the len bytes at data are all valid UTF-8.
 * Empty input is valid, as in Node. data may be NULL when len is 0. */
bool cnet_utf8_is_valid(const void *data, size_t len);

/* The length of the longest prefix of data[0..len) that is valid UTF-8 and
 * ends on a character boundary; len when all of it is valid. Node has no
 * such call: it is for a reader of a stream, which can tell a chunk that
 * ends inside a character (the rest is the start of a valid sequence: wait
 * for more) from invalid input (it is not). The rest is incomplete rather
 * than invalid exactly when cnet_utf8_incomplete_tail() says so. */
size_t cnet_utf8_valid_prefix(const void *data, size_t len);

/* Whether the len bytes at data (1 to 3 of them) are the start of a valid
 * UTF-8 character that more bytes could complete, as "e2 82" starts "€";
 * false for len 0 or for bytes no continuation could make valid ("c0",
 * "ed a0", "f4 90"). */
bool cnet_utf8_incomplete_tail(const void *data, size_t len);

#ifdef __cplusplus
}
#endif
#endif
