/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* cnet-chat's telnet parser and line editor (apps/cnet-chat/telnet.c), and
 * what text.c makes of lines and nicknames, without a network: bytes in,
 * lines and answers out. Every input to the parser is also fed split at
 * every point and one byte at a time, and must give the same result: that
 * is what char-at-a-time clients do. */
#include <stdio.h>
#include <stdlib.h>

#include "harness.h"
#include "telnet.h"
#include "text.h"

typedef struct recorder {
  char lines[16384];     /* each line followed by '|' */
  size_t lines_len;
  unsigned char replies[1024];
  size_t replies_len;
  int overlong;
  int stop_after;        /* > 0: return false on that line */
  int count;
} recorder;

static bool rec_line(void *ctx, const char *line, size_t len) {
  recorder *r = ctx;
  if (r->lines_len + len + 2 < sizeof r->lines) {
    memcpy(r->lines + r->lines_len, line, len);
    r->lines_len += len;
    r->lines[r->lines_len++] = '|';
    r->lines[r->lines_len] = '\0';
  }
  return ++r->count != r->stop_after;
}

static void rec_overlong(void *ctx) { ((recorder *)ctx)->overlong++; }

static void rec_reply(void *ctx, const void *bytes, size_t len) {
  recorder *r = ctx;
  ASSERT(r->replies_len + len <= sizeof r->replies);
  memcpy(r->replies + r->replies_len, bytes, len);
  r->replies_len += len;
}

static const telnet_ops ops = {rec_line, rec_overlong, rec_reply};

/* Feeds in, in pieces of at most step bytes (0: all at once), after first
 * splitting it at split. */
static void feed(telnet *t, const void *in, size_t len, size_t split,
                 size_t step) {
  const char *p = in;
  if (split > len) split = len;
  telnet_feed(t, p, split);
  for (size_t at = split; at < len;) {
    size_t n = step ? step : len - at;
    if (n > len - at) n = len - at;
    telnet_feed(t, p + at, n);
    at += n;
  }
}

/* Checks that in gives these lines (joined by '|') and these answer bytes
 * however it is split. */
static void check(const void *in, size_t len, const char *lines,
                  const void *replies, size_t replies_len) {
  for (size_t split = 0; split <= len; split++) {
    for (size_t step = 0; step <= 1; step++) {
      static telnet t;
      recorder r = {0};
      telnet_init(&t, &ops, &r);
      feed(&t, in, len, split, step);
      if (strcmp(lines, r.lines) != 0)
        fail_msg("split %zu step %zu: lines \"%s\", want \"%s\"", split, step,
                 r.lines, lines);
      ASSERT_EQ(replies_len, r.replies_len);
      if (replies_len) ASSERT_MEM_EQ(replies, r.replies, replies_len);
    }
  }
}

#define CHECK_TEXT(in, lines) check((in), sizeof(in) - 1, (lines), NULL, 0)

CNET_TEST(line_endings_all_give_the_same_lines) {
  CHECK_TEXT("crlf\r\nlf\ncrnul\r\0last\r\n", "crlf|lf|crnul|last|");
  /* A bare CR (no LF or NUL after it) still ends the line. */
  CHECK_TEXT("a\rb\r\n", "a|b|");
  /* Empty lines are lines (the room ignores them). */
  CHECK_TEXT("\r\n\n\r\0", "|||");
  /* CR LF LF: the second LF is an empty line of its own. */
  CHECK_TEXT("x\r\n\n", "x||");
}

CNET_TEST(backspace_and_del_edit_the_line) {
  CHECK_TEXT("helo\blo wrold\x7f\x7f\x7f\x7forld\r\n", "hello world|");
  /* One erase removes a whole UTF-8 character. */
  CHECK_TEXT("\xe4\xbd\xa0\xe5\xa5\xbd\xe5\x90\x97\x7f!\n",
             "\xe4\xbd\xa0\xe5\xa5\xbd!|");
  CHECK_TEXT("\xf0\x9f\x8c\x8f\b\n", "|");
  /* Erasing past the start does nothing; ^U erases the line. */
  CHECK_TEXT("\b\b\x7fok\n", "ok|");
  CHECK_TEXT("garbage\x15" "clean\n", "clean|");
}

CNET_TEST(controls_and_escape_sequences_are_dropped) {
  CHECK_TEXT("a\x01\x02\x07" "b\tc\n", "ab\tc|");
  /* Arrow keys (CSI and SS3), Alt-x; a sequence never eats a line end. */
  CHECK_TEXT("l\x1b[Deft\x1bOA\x1b" "x!\n", "left!|");
  CHECK_TEXT("cut\x1b[12\r\nnext\n", "cut|next|");
  /* Not a sequence: an ESC before UTF-8 leaves the character whole. */
  CHECK_TEXT("\x1b\xe4\xbd\xa0\n", "\xe4\xbd\xa0|");
}

CNET_TEST(editing_keys_ending_in_tilde_leave_nothing) {
  /* Delete, Home, End, PgUp, PgDn, Insert as a VT220 or xterm sends them:
   * the '~' ends the sequence and is not text. */
  CHECK_TEXT("ab\x1b[3~c\n", "abc|");
  CHECK_TEXT("\x1b[1~home\x1b[4~\n", "home|");
  CHECK_TEXT("up\x1b[5~down\x1b[6~\n", "updown|");
  CHECK_TEXT("ins\x1b[2~ert\n", "insert|");
  /* With a modifier (Ctrl-Delete), a function key (F5), and the Linux
   * console's F1 (ESC [ [ A). */
  CHECK_TEXT("x\x1b[3;5~y\x1b[15~z\x1b[[Aw\n", "xyzw|");
  /* A '~' typed on its own is text. */
  CHECK_TEXT("a~b\x1b[3~~\n", "a~b~|");
}

/* The seed's appendix: WILL NAWS, WILL TSPEED, WILL TTYPE, WILL
 * NEW-ENVIRON, DO ECHO, WILL SGA, DO SGA. */
static const unsigned char seed[] = {0xFF, 0xFB, 0x1F, 0xFF, 0xFB, 0x20, 0xFF,
                                     0xFB, 0x18, 0xFF, 0xFB, 0x27, 0xFF, 0xFD,
                                     0x01, 0xFF, 0xFB, 0x03, 0xFF, 0xFD, 0x03};
/* DONT for the client's options we do not use, WONT ECHO (the client keeps
 * echoing), and yes to SUPPRESS-GO-AHEAD both ways. */
static const unsigned char seed_answer[] = {
    0xFF, 0xFE, 0x1F, 0xFF, 0xFE, 0x20, 0xFF, 0xFE, 0x18, 0xFF, 0xFE,
    0x27, 0xFF, 0xFC, 0x01, 0xFF, 0xFD, 0x03, 0xFF, 0xFB, 0x03};

CNET_TEST(seed_negotiation_is_answered) {
  unsigned char in[sizeof seed + 8];
  memcpy(in, seed, sizeof seed);
  memcpy(in + sizeof seed, "alice\r\n", 7);
  check(in, sizeof seed + 7, "alice|", seed_answer, sizeof seed_answer);

  static telnet t;
  recorder r = {0};
  telnet_init(&t, &ops, &r);
  ASSERT(!telnet_negotiated(&t));
  telnet_feed(&t, seed, sizeof seed);
  ASSERT(telnet_negotiated(&t));
  ASSERT(telnet_him(&t, TELOPT_SGA));
  ASSERT(telnet_us(&t, TELOPT_SGA));
  ASSERT(!telnet_us(&t, TELOPT_ECHO));
  ASSERT(!telnet_him(&t, TELOPT_NAWS));
}

CNET_TEST(negotiation_never_loops) {
  /* Asked twice: an option already on is not acknowledged again; a refused
   * one is refused again. WONT/DONT for an option that is off: nothing. */
  static const unsigned char in[] = {0xFF, 0xFB, 0x03, 0xFF, 0xFB, 0x03,
                                     0xFF, 0xFB, 0x1F, 0xFF, 0xFB, 0x1F,
                                     0xFF, 0xFC, 0x1F, 0xFF, 0xFE, 0x01};
  static const unsigned char out[] = {0xFF, 0xFD, 0x03, 0xFF, 0xFE,
                                      0x1F, 0xFF, 0xFE, 0x1F};
  check(in, sizeof in, "", out, sizeof out);
  /* Turned off: acknowledged once. */
  static const unsigned char in2[] = {0xFF, 0xFD, 0x03, 0xFF, 0xFE, 0x03,
                                      0xFF, 0xFE, 0x03, 0xFF, 0xFB, 0x00,
                                      0xFF, 0xFC, 0x00, 0xFF, 0xFC, 0x00};
  static const unsigned char out2[] = {0xFF, 0xFB, 0x03, 0xFF, 0xFC, 0x03,
                                       0xFF, 0xFD, 0x00, 0xFF, 0xFE, 0x00};
  check(in2, sizeof in2, "", out2, sizeof out2);
}

CNET_TEST(iac_sequences_never_reach_the_text) {
  /* A subnegotiation (NAWS 80x24, with an escaped 255 inside) and commands
   * in the middle of a line. */
  static const char in[] = "hel\xff\xfa\x1f\x00\xff\xff\x00\x18\xff\xf0"
                           "lo\xff\xf1\xff\xf9 w\xff\xf3orld\r\n";
  CHECK_TEXT(in, "hello world|");
  /* IAC IAC is the data byte 255. */
  CHECK_TEXT("a\xff\xff" "b\n", "a\xff" "b|");
  /* IAC EC erases a character, IAC EL and IAC IP the line. */
  CHECK_TEXT("abc\xff\xf7\xff\xf7X\n", "aX|");
  CHECK_TEXT("junk\xff\xf8ok\n", "ok|");
  CHECK_TEXT("junk\xff\xf4ok\n", "ok|");
  /* A CR, then IAC NOP, then LF: still one line end. */
  CHECK_TEXT("one\r\xff\xf1\ntwo\n", "one|two|");
  /* A subnegotiation cut by a command: the stream recovers. */
  CHECK_TEXT("\xff\xfa\x18\x01\xff\xf1x\n", "x|");
}

CNET_TEST(are_you_there_is_answered) {
  static const char in[] = "\xff\xf6";
  static const char out[] = "\r\n[cnet-chat: yes]\r\n";
  check(in, 2, "", out, sizeof out - 1);
}

CNET_TEST(overlong_line_is_reported_once_and_discarded) {
  static char in[3 * TELNET_LINE_MAX];
  size_t n = 0;
  memset(in, 'a', TELNET_LINE_MAX); /* exactly the limit: fine */
  n = TELNET_LINE_MAX;
  in[n++] = '\n';
  memset(in + n, 'b', TELNET_LINE_MAX + 100);
  n += TELNET_LINE_MAX + 100;
  memcpy(in + n, "\r\nnext\r\n", 8);
  n += 8;
  for (size_t step = 0; step <= 1; step++) {
    static telnet t;
    static recorder r;
    memset(&r, 0, sizeof r);
    telnet_init(&t, &ops, &r);
    feed(&t, in, n, 0, step);
    ASSERT_EQ(1, r.overlong);
    ASSERT_EQ(TELNET_LINE_MAX + 1 + 5, r.lines_len);
    ASSERT_STR_EQ("|next|", r.lines + TELNET_LINE_MAX);
  }
}

CNET_TEST(stop_returns_after_the_line) {
  /* The owner paces a client: the feed stops after the line it was told to
   * stop at and says how much it used; the rest fed later goes on from
   * there, the LF after a CR included. */
  static telnet t;
  recorder r = {.stop_after = 1};
  telnet_init(&t, &ops, &r);
  ASSERT_EQ(6, telnet_feed(&t, "quit\r\nmore\r\n", 12)); /* CR LF: one end */
  ASSERT_STR_EQ("quit|", r.lines);
  ASSERT_EQ(6, telnet_feed(&t, "more\r\n", 6));
  ASSERT_EQ(5, telnet_feed(&t, "next\r", 5));
  ASSERT_EQ(8, telnet_feed(&t, "\nlater\r\n", 8));
  telnet_finish(&t);
  ASSERT_STR_EQ("quit|more|next|later|", r.lines);
}

CNET_TEST(finish_delivers_a_last_line_without_end) {
  static telnet t;
  recorder r = {0};
  telnet_init(&t, &ops, &r);
  telnet_feed(&t, "one\r\nsee you", 12);
  telnet_finish(&t);
  ASSERT_STR_EQ("one|see you|", r.lines);
  recorder r2 = {0};
  telnet_init(&t, &ops, &r2);
  telnet_feed(&t, "done\r\n", 6);
  telnet_finish(&t);
  ASSERT_STR_EQ("done|", r2.lines);
}

/* ---- text.c ------------------------------------------------------------ */

static void clean_is(const char *in, size_t len, const char *want) {
  char out[TEXT_CLEAN_MAX(64)];
  ASSERT(len <= 64);
  size_t n = text_clean(in, len, out);
  if (n != strlen(want) || memcmp(out, want, n) != 0)
    fail_msg("text_clean(%zu bytes) gave %zu bytes \"%.*s\", want \"%s\"", len,
             n, (int)n, out, want);
}
#define CLEAN(in, want) clean_is((in), sizeof(in) - 1, (want))
#define FFFD "\xef\xbf\xbd"

CNET_TEST(invalid_utf8_becomes_fffd_as_node_makes_it) {
  /* Each expected value is Node's Buffer.from(bytes).toString(): one
   * U+FFFD per maximal subpart of an ill-formed sequence. */
  CLEAN("\xff" "a", FFFD "a");
  CLEAN("\xff\xff\xfa", FFFD FFFD FFFD);       /* IAC IAC SB: never raw */
  CLEAN("\xe0\x80" "a", FFFD FFFD "a");        /* overlong: E0 needs A0+ */
  CLEAN("\xed\xa0\x80", FFFD FFFD FFFD);       /* a surrogate */
  CLEAN("\xf0\x90\x80", FFFD);                 /* truncated, one subpart */
  CLEAN("\xf4\x90\x80\x80", FFFD FFFD FFFD FFFD); /* past U+10FFFF */
  CLEAN("\xc0\xaf", FFFD FFFD);
  CLEAN("\xe2\x82" "A", FFFD "A");
  CLEAN("\xf0\x9f\x8c", FFFD);
  CLEAN("\xc2", FFFD);
  CLEAN("\xf5\x80", FFFD FFFD);
  CLEAN("\x80\xbf", FFFD FFFD);
  CLEAN("\x9b" "2J", FFFD "2J"); /* a raw 8-bit CSI */
  /* Valid text passes byte for byte. */
  CLEAN("\xe4\xbd\xa0\xe5\xa5\xbd \xf0\x9f\x8c\x8f \xc3\xa9", "\xe4\xbd\xa0\xe5\xa5\xbd \xf0\x9f\x8c\x8f \xc3\xa9");
}

CNET_TEST(controls_and_format_characters_are_removed) {
  CLEAN("a\tb", "a\tb"); /* tab stays */
  CLEAN("a\x07\x1b[2Jb\x7f", "a[2Jb");
  /* C1 as characters: CSI, OSC, NEL. */
  CLEAN("a\xc2\x9b" "2J\xc2\x9d" "0;t\xc2\x85z", "a2J0;tz");
  /* Bidi override, embedding and isolates, LRM. */
  CLEAN("\xe2\x80\xae" "cba\xe2\x80\xac\xe2\x80\xaax\xe2\x81\xa6y\xe2\x81\xa9\xe2\x80\x8e", "cbaxy");
  /* Zero-width space, joiners, word joiner, soft hyphen, BOM. */
  CLEAN("a\xe2\x80\x8b" "b\xe2\x80\x8c" "c\xe2\x80\x8d" "d\xe2\x81\xa0" "e\xc2\xad" "f\xef\xbb\xbf", "abcdef");
  /* What is left is never a byte 0xFF or 0xFE. */
  char in[256], out[TEXT_CLEAN_MAX(256)];
  for (int i = 0; i < 256; i++) in[i] = (char)i;
  size_t n = text_clean(in, sizeof in, out);
  ASSERT(memchr(out, 0xFF, n) == NULL);
  ASSERT(memchr(out, 0xFE, n) == NULL);
}

static const char *nick_why(const char *s, size_t len) {
  const char *why = nick_normalize(s, len, NULL, NULL);
  ASSERT(why != NULL);
  return why;
}

static bool nick_ok(const char *s) {
  return nick_normalize(s, strlen(s), NULL, NULL) == NULL;
}

CNET_TEST(nickname_rules) {
  ASSERT(nick_ok("alice"));
  ASSERT(nick_ok("a"));
  ASSERT(nick_ok("\xe5\xbc\xa0\xe4\xb8\x89")); /* 张三 */
  ASSERT(nick_ok("0123456789abcdef0123456789abcdef")); /* 32 */
  char cn[32 * 3 + 4] = "";
  for (int i = 0; i < 32; i++) strcat(cn, "\xe9\x95\xbf"); /* 长 x 32 */
  ASSERT(nick_ok(cn));
  strcat(cn, "\xe9\x95\xbf");
  ASSERT_STR_EQ("a nickname has 1 to 32 characters", nick_why(cn, strlen(cn)));
  ASSERT_STR_EQ("a nickname has 1 to 32 characters", nick_why("", 0));
  ASSERT_STR_EQ("a nickname has 1 to 32 characters",
                nick_why("0123456789abcdef0123456789abcdefX", 33));
  ASSERT_STR_EQ("a nickname cannot contain spaces", nick_why("a b", 3));
  ASSERT_STR_EQ("a nickname cannot contain spaces", nick_why("a\tb", 3));
  ASSERT_STR_EQ("a nickname cannot contain spaces",
                nick_why("a\xe3\x80\x80" "b", 5)); /* U+3000 */
  ASSERT_STR_EQ("a nickname cannot contain spaces",
                nick_why("alice\xe2\xa0\x80", 8)); /* braille blank */
  ASSERT_STR_EQ("a nickname cannot contain ':'", nick_why("a:b", 3));
  ASSERT_STR_EQ("a nickname cannot contain ':'",
                nick_why("a\xef\xbc\x9a" "b", 5)); /* fullwidth colon */
  ASSERT_STR_EQ("a nickname must be UTF-8 text", nick_why("b\xc3(", 3));
  ASSERT_STR_EQ("a nickname must be UTF-8 text", nick_why("\xc0\xaf", 2));
  ASSERT_STR_EQ("a nickname must be UTF-8 text", nick_why("\xed\xa0\x80", 3));
  ASSERT_STR_EQ("a nickname must be UTF-8 text", nick_why("\xe4\xbd", 2));
  ASSERT_STR_EQ("a nickname must be UTF-8 text", nick_why("b" FFFD, 4));
  ASSERT_STR_EQ("a nickname cannot contain control characters",
                nick_why("a\x7f", 2));
  /* Combining accents alone show nothing of their own. */
  ASSERT_STR_EQ("a nickname has 1 to 32 characters",
                nick_why("\xcc\x81\xcc\x81", 4));
}

CNET_TEST(nicknames_are_shown_normalized) {
  char nick[NICK_MAX_BYTES + 1], key[NICK_KEY_MAX];
  /* NFKC: fullwidth letters, a Kelvin sign, a decomposed e-acute. */
  ASSERT(nick_normalize("\xef\xbd\x81\xef\xbd\x8c\xef\xbd\x89", 9, nick, key) == NULL);
  ASSERT_STR_EQ("ali", nick);
  ASSERT(nick_normalize("\xe2\x84\xaa" "ate", 6, nick, key) == NULL);
  ASSERT_STR_EQ("Kate", nick);
  ASSERT(nick_normalize("jose\xcc\x81", 6, nick, key) == NULL);
  ASSERT_STR_EQ("jos\xc3\xa9", nick);
  /* Invisible characters are taken out. */
  ASSERT(nick_normalize("bob\xe2\x80\x8d\xe3\x85\xa4", 9, nick, key) == NULL);
  ASSERT_STR_EQ("bob", nick);
  /* Case shows as typed. */
  ASSERT(nick_normalize("Alice", 5, nick, key) == NULL);
  ASSERT_STR_EQ("Alice", nick);
  /* 32 characters after normalization: U+FB01 (fi) counts as two. */
  char fi[64] = "";
  for (int i = 0; i < 16; i++) strcat(fi, "\xef\xac\x81");
  ASSERT(nick_normalize(fi, strlen(fi), nick, key) == NULL);
  strcat(fi, "x");
  ASSERT_STR_EQ("a nickname has 1 to 32 characters", nick_why(fi, strlen(fi)));
}

static void key_of(const char *s, char *key) {
  const char *why = nick_normalize(s, strlen(s), NULL, key);
  if (why) fail_msg("\"%s\": %s", s, why);
}

static void same_key(const char *a, const char *b) {
  char ka[NICK_KEY_MAX], kb[NICK_KEY_MAX];
  key_of(a, ka);
  key_of(b, kb);
  if (strcmp(ka, kb) != 0)
    fail_msg("\"%s\" (key \"%s\") and \"%s\" (key \"%s\") differ", a, ka, b,
             kb);
}

static void other_key(const char *a, const char *b) {
  char ka[NICK_KEY_MAX], kb[NICK_KEY_MAX];
  key_of(a, ka);
  key_of(b, kb);
  if (strcmp(ka, kb) == 0) fail_msg("\"%s\" and \"%s\" have one key", a, b);
}

CNET_TEST(lookalike_nicknames_have_one_key) {
  same_key("alice", "ALICE");
  same_key("alice", "\xd0\xb0lice");          /* Cyrillic a */
  same_key("alice", "\xef\xbd\x81lice");      /* fullwidth a */
  same_key("alice", "alice\xe2\x80\x8d");     /* ZWJ */
  same_key("alice", "alice\xe2\x80\x8c");     /* ZWNJ */
  same_key("alice", "alice\xe2\x81\xa0");     /* word joiner */
  same_key("alice", "ali\xc2\xad" "ce");      /* soft hyphen */
  same_key("alice", "alice\xcc\x81");         /* combining acute */
  same_key("alice", "alic\xc3\xa9");          /* precomposed e-acute */
  same_key("alice", "\xe2\x80\xae" "alice");  /* RLO */
  same_key("alice", "alice\xe3\x85\xa4");     /* Hangul filler */
  same_key("alice", "a1ice");                 /* digit one for l */
  same_key("kate", "\xe2\x84\xaa" "ate");     /* Kelvin sign */
  same_key("m", "rn");
  /* Different names stay different. */
  other_key("alice", "alicia");
  other_key("\xe5\xbc\xa0\xe4\xb8\x89", "\xe5\xbc\xa0\xe5\x9b\x9b"); /* 张三 张四 */
  other_key("bob", "bobby");
}

