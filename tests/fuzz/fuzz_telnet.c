/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* Fuzz target: cnet-chat's telnet parser (apps/cnet-chat/telnet.c), which
 * reads every byte a chat client sends: RFC 854/855 commands, option
 * negotiation, subnegotiations, and the line editor behind them.
 *
 * Input: one byte of settings (every how many lines the owner says stop,
 * 0 for never), then what the client sends. A stop pauses the feed: the
 * owner feeds what was left when it wants the next line, as cnet-chat
 * paces a client. It is fed whole, one byte at
 * a time and in random chunks, each followed by telnet_finish (the client
 * closed). Properties:
 *  - the three give the same lines, the same answers, the same overlong
 *    reports and the same final option state;
 *  - a line is at most TELNET_LINE_MAX bytes and holds no control
 *    character but tab (no ESC, no DEL, no CR or LF);
 *  - every answer is one IAC DO/DONT/WILL/WONT <option> or the reply to
 *    "are you there?"; the server only agrees to SGA and BINARY, never
 *    acknowledges a request that changes nothing (RFC 854's rule against
 *    negotiation loops), and the option state it reports is the one its
 *    answers announced;
 *  - a client that never sends IAC (0xFF) gets no answer and is not taken
 *    for a telnet client;
 *  - once the owner says stop, nothing more is called back until it feeds
 *    again, and the feed says it used less only then; pausing changes none
 *    of the output. */
#include "telnet.h"

#include "fuzz.h"

typedef struct recorder {
  fuzz_buf lines;    /* each line: 4-byte length, then the bytes */
  fuzz_buf replies;  /* each answer: 4-byte length, then the bytes */
  int overlong;
  int count;
  int stop_after;    /* > 0: the owner says stop every that many lines */
  bool stopped;
} recorder;

static void put_len(fuzz_buf *b, size_t len) {
  uint8_t n[4] = {(uint8_t)(len >> 24), (uint8_t)(len >> 16), (uint8_t)(len >> 8),
                  (uint8_t)len};
  fuzz_buf_add(b, n, 4);
}

static bool on_line(void *ctx, const char *line, size_t len) {
  recorder *r = ctx;
  FUZZ_CHECK(!r->stopped);
  FUZZ_CHECK(len <= TELNET_LINE_MAX);
  for (size_t i = 0; i < len; i++) {
    unsigned char c = (unsigned char)line[i];
    FUZZ_CHECK(c == '\t' || (c >= 0x20 && c != 0x7F));
  }
  put_len(&r->lines, len);
  fuzz_buf_add(&r->lines, line, len);
  if (r->stop_after > 0 && ++r->count % r->stop_after == 0) r->stopped = true;
  return !r->stopped;
}

static void on_overlong(void *ctx) {
  recorder *r = ctx;
  FUZZ_CHECK(!r->stopped);
  r->overlong++;
}

static void on_reply(void *ctx, const void *bytes, size_t len) {
  recorder *r = ctx;
  FUZZ_CHECK(!r->stopped);
  put_len(&r->replies, len);
  fuzz_buf_add(&r->replies, bytes, len);
}

static const telnet_ops ops = {on_line, on_overlong, on_reply};

static bool bit(const uint8_t *set, int o) { return set[o / 8] >> (o % 8) & 1; }
static void set_bit(uint8_t *set, int o, bool on) {
  if (on)
    set[o / 8] |= (uint8_t)(1u << (o % 8));
  else
    set[o / 8] &= (uint8_t)~(1u << (o % 8));
}

/* Reads the answers back and checks them against RFC 854's rules; leaves
 * the option state they announce in him/us. */
static void check_replies(const fuzz_buf *replies, uint8_t him[32],
                          uint8_t us[32]) {
  static const char ayt[] = "\r\n[cnet-chat: yes]\r\n";
  memset(him, 0, 32);
  memset(us, 0, 32);
  for (size_t at = 0; at < replies->len;) {
    const uint8_t *p = replies->p + at;
    size_t len = (size_t)p[0] << 24 | (size_t)p[1] << 16 | (size_t)p[2] << 8 | p[3];
    p += 4;
    at += 4 + len;
    if (len == sizeof ayt - 1 && memcmp(p, ayt, len) == 0) continue;
    FUZZ_CHECK(len == 3 && p[0] == TELNET_IAC);
    int opt = p[2];
    bool supported = opt == TELOPT_SGA || opt == TELOPT_BINARY;
    switch (p[1]) {
    case TELNET_DO: /* we ask the client to go on: only for a change */
      FUZZ_CHECK(supported && !bit(him, opt));
      set_bit(him, opt, true);
      break;
    case TELNET_DONT: /* a refusal, or an acknowledged switch-off */
      FUZZ_CHECK(bit(him, opt) || !supported);
      set_bit(him, opt, false);
      break;
    case TELNET_WILL:
      FUZZ_CHECK(supported && !bit(us, opt));
      set_bit(us, opt, true);
      break;
    case TELNET_WONT:
      FUZZ_CHECK(bit(us, opt) || !supported);
      set_bit(us, opt, false);
      break;
    default:
      FUZZ_CHECK(!"an answer that is not a negotiation");
    }
  }
}

enum split { WHOLE, BYTES, RANDOM };

typedef struct run {
  recorder rec;
  bool negotiated;
  uint8_t him[32], us[32];
} run;

static void feed(run *out, const uint8_t *in, size_t len, int stop_after,
                 enum split how, fuzz_rng *g) {
  telnet *t = malloc(sizeof *t);
  if (!t) abort();
  memset(out, 0, sizeof *out);
  out->rec.stop_after = stop_after;
  telnet_init(t, &ops, &out->rec);
  for (size_t at = 0; at < len;) {
    size_t n = how == WHOLE ? len - at : how == BYTES ? 1 : fuzz_chunk(g, len - at);
    uint8_t *piece = fuzz_dup(in + at, n); /* exact size: reads checked */
    for (size_t used = 0; used < n;) {
      size_t u = telnet_feed(t, piece + used, n - used);
      FUZZ_CHECK(u <= n - used);
      /* Less than all only when the owner said stop, and at least the
       * line it stopped on. */
      FUZZ_CHECK(u == n - used || (out->rec.stopped && u > 0));
      out->rec.stopped = false; /* the owner wants the next line */
      used += u;
    }
    free(piece);
    at += n;
  }
  telnet_finish(t);
  out->rec.stopped = false;
  out->negotiated = telnet_negotiated(t);
  for (int o = 0; o < 256; o++) {
    set_bit(out->him, o, telnet_him(t, o));
    set_bit(out->us, o, telnet_us(t, o));
  }
  free(t);
}

static bool same_run(const run *a, const run *b) {
  return fuzz_buf_eq(&a->rec.lines, &b->rec.lines) &&
         fuzz_buf_eq(&a->rec.replies, &b->rec.replies) &&
         a->rec.overlong == b->rec.overlong && a->negotiated == b->negotiated &&
         memcmp(a->him, b->him, 32) == 0 && memcmp(a->us, b->us, 32) == 0;
}

static void free_run(run *r) {
  fuzz_buf_free(&r->rec.lines);
  fuzz_buf_free(&r->rec.replies);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size == 0) return 0;
  int stop_after = data[0] % 8;
  const uint8_t *in = data + 1;
  size_t len = size - 1;
  fuzz_rng g = fuzz_rng_from(data, size);

  run whole, bytes, chunks;
  feed(&whole, in, len, stop_after, WHOLE, &g);
  feed(&bytes, in, len, stop_after, BYTES, &g);
  feed(&chunks, in, len, stop_after, RANDOM, &g);
  FUZZ_CHECK(same_run(&whole, &bytes));
  FUZZ_CHECK(same_run(&whole, &chunks));

  uint8_t him[32], us[32];
  check_replies(&whole.rec.replies, him, us);
  FUZZ_CHECK(memcmp(him, whole.him, 32) == 0 && memcmp(us, whole.us, 32) == 0);
  if (!memchr(in, TELNET_IAC, len)) {
    FUZZ_CHECK(!whole.negotiated && whole.rec.replies.len == 0);
  }
  if (!whole.negotiated) FUZZ_CHECK(whole.rec.replies.len == 0);

  free_run(&whole);
  free_run(&bytes);
  free_run(&chunks);
  return 0;
}
