/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* What a user of cnet-chat may put on other users' screens: every line a
 * client sends is cleaned here before anyone sees it, and nicknames are
 * normalized and given the key they are compared by.
 *
 * Cleaning makes any bytes safe for any terminal: invalid UTF-8 becomes
 * U+FFFD exactly as Node's Buffer.toString('utf8') replaces it, and the
 * characters a terminal would act on or that change how text around them
 * is shown are removed: C0 controls but tab, DEL, C1 controls, and the
 * format characters (Unicode category Cf: bidi embeddings, overrides and
 * isolates, zero-width joiners, soft hyphen, ...). Nicknames (ICU) are
 * NFKC-normalized without default-ignorable characters, and two nicknames
 * are the same when their keys are: the Unicode TR39 skeleton of their
 * case-folded form without combining accents, so that a lookalike of a
 * name online (Cyrillic a, fullwidth letters, a Kelvin sign for K, an
 * accent added) is refused. */
#ifndef CNET_CHAT_TEXT_H
#define CNET_CHAT_TEXT_H

#include <stdbool.h>
#include <stddef.h>

/* The most bytes text_clean() writes for len bytes in: each byte may
 * become a U+FFFD (3 bytes). */
#define TEXT_CLEAN_MAX(len) ((len) * 3)

/* Writes the cleaned form of in (len bytes) to out, which has room for
 * TEXT_CLEAN_MAX(len) bytes; returns its length. The result is valid
 * UTF-8 and never contains a byte 0xFF (nor 0xFE). */
size_t text_clean(const char *in, size_t len, char *out);

/* Nicknames: 1 to NICK_MAX_CHARS characters once normalized. */
#define NICK_MAX_CHARS 32
#define NICK_MAX_BYTES (NICK_MAX_CHARS * 4)
/* Room for a key: the skeleton of 32 characters, with room to spare for
 * the few that case folding and the confusable mappings expand. */
#define NICK_KEY_MAX 512

/* Turns what a user typed (cleaned text, len bytes) into a nickname: nick
 * (NICK_MAX_BYTES + 1 bytes) gets the form shown to others, NUL-ended, and
 * key (NICK_KEY_MAX bytes) the form compared, NUL-ended. Returns NULL, or
 * why it is not a valid nickname (for the error line). nick and key may be
 * NULL when not wanted. */
const char *nick_normalize(const char *in, size_t len, char *nick, char *key);

/* Frees what ICU keeps (its checker and caches); for a clean exit. */
void text_cleanup(void);

#endif
