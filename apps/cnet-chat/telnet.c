/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* Telnet for cnet-chat: an RFC 854/855 command parser that answers option
 * negotiation, and the line editor behind it (see telnet.h).
 *
 * The server never asks for an option; it only answers, agreeing to
 * SUPPRESS-GO-AHEAD and BINARY in both directions and refusing everything
 * else. Answers follow RFC 854's rule against loops: a request that would
 * not change an option's state is not acknowledged. */
#include "telnet.h"

#include <string.h>

/* Parser states between bytes. */
enum {
  S_DATA,   /* plain data                                    */
  S_IAC,    /* after IAC                                     */
  S_OPT,    /* after IAC WILL/WONT/DO/DONT: the option byte  */
  S_SB,     /* inside IAC SB ... IAC SE                      */
  S_SB_IAC  /* after an IAC inside a subnegotiation          */
};

/* ANSI escape sequences (arrow keys of a client sending each key) are
 * dropped, not shown to others as "[A". E_CSI0 is right after ESC [, where
 * the Linux console's function keys add one more '[' (ESC [ [ A is F1). */
enum { E_NONE, E_ESC, E_CSI0, E_CSI, E_SS3 };

void telnet_init(telnet *t, const telnet_ops *ops, void *ctx) {
  memset(t, 0, sizeof *t);
  t->ops = ops;
  t->ctx = ctx;
}

bool telnet_negotiated(const telnet *t) { return t->negotiated; }

static bool bit_get(const uint8_t *set, int opt) {
  return (set[opt >> 3] >> (opt & 7)) & 1;
}
static void bit_put(uint8_t *set, int opt, bool on) {
  if (on)
    set[opt >> 3] |= (uint8_t)(1u << (opt & 7));
  else
    set[opt >> 3] &= (uint8_t)~(1u << (opt & 7));
}

bool telnet_him(const telnet *t, int opt) { return bit_get(t->him, opt & 255); }
bool telnet_us(const telnet *t, int opt) { return bit_get(t->us, opt & 255); }

/* The options cnet-chat agrees to. Echo is refused on purpose: the client
 * keeps echoing what its user types, which is what nc users see too. */
static bool supported(int opt) {
  return opt == TELOPT_SGA || opt == TELOPT_BINARY;
}

static void send3(telnet *t, int cmd, int opt) {
  unsigned char b[3] = {TELNET_IAC, (unsigned char)cmd, (unsigned char)opt};
  t->ops->reply(t->ctx, b, sizeof b);
}

/* RFC 854's negotiation, for a server that never asks first (so the
 * "want" states of RFC 1143 never arise). */
static void negotiate(telnet *t, int cmd, int opt) {
  switch (cmd) {
  case TELNET_WILL:
    if (!supported(opt))
      send3(t, TELNET_DONT, opt);
    else if (!bit_get(t->him, opt)) {
      bit_put(t->him, opt, true);
      send3(t, TELNET_DO, opt);
    }
    break;
  case TELNET_WONT:
    if (bit_get(t->him, opt)) {
      bit_put(t->him, opt, false);
      send3(t, TELNET_DONT, opt);
    }
    break;
  case TELNET_DO:
    if (!supported(opt))
      send3(t, TELNET_WONT, opt);
    else if (!bit_get(t->us, opt)) {
      bit_put(t->us, opt, true);
      send3(t, TELNET_WILL, opt);
    }
    break;
  case TELNET_DONT:
    if (bit_get(t->us, opt)) {
      bit_put(t->us, opt, false);
      send3(t, TELNET_WONT, opt);
    }
    break;
  }
}

/* Removes the last character of the line: a whole UTF-8 sequence, so that
 * backspace after a Chinese character leaves no broken bytes. */
static void erase_char(telnet *t) {
  while (t->len > 0 && ((unsigned char)t->line[--t->len] & 0xC0) == 0x80) {
  }
}

static void end_line(telnet *t) {
  if (t->discarding) {
    t->discarding = false;
    t->len = 0;
    return;
  }
  size_t len = t->len;
  t->len = 0;
  if (!t->ops->line(t->ctx, t->line, len)) t->stop = true;
}

static void append(telnet *t, unsigned char c) {
  if (t->discarding) return;
  if (t->len == TELNET_LINE_MAX) {
    t->discarding = true;
    t->len = 0;
    t->ops->overlong(t->ctx);
    return;
  }
  t->line[t->len++] = (char)c;
}

/* One byte of the data stream (IAC sequences already taken out). */
static void data_byte(telnet *t, unsigned char c) {
  if (t->after_cr) {
    t->after_cr = false;
    if (c == '\n' || c == '\0') return; /* CR LF and CR NUL end one line */
  }
  if (t->esc != E_NONE) {
    /* ESC x, ESC O x, ESC [ params final: nothing of it reaches the line.
     * The final byte is any of 0x40-0x7E, so the editing keys that end in
     * '~' (ESC [ 3 ~ is Delete) leave no '~' behind. A byte that cannot
     * belong to a sequence (a line end, UTF-8) ends it and counts as
     * itself. */
    if (c >= 0x20 && c <= 0x7E) {
      if (t->esc == E_ESC)
        t->esc = c == '[' ? E_CSI0 : c == 'O' ? E_SS3 : E_NONE;
      else if (t->esc == E_CSI0 && c == '[')
        t->esc = E_SS3;
      else if (t->esc == E_SS3 || c >= 0x40)
        t->esc = E_NONE;
      else
        t->esc = E_CSI;
      return;
    }
    t->esc = E_NONE;
  }
  switch (c) {
  case '\r':
    t->after_cr = true;
    end_line(t);
    break;
  case '\n':
    end_line(t);
    break;
  case '\b':
  case 0x7F:
    erase_char(t);
    break;
  case 0x15: /* ^U: erase the line, as a terminal does */
    t->len = 0;
    break;
  case 0x1B:
    t->esc = E_ESC;
    break;
  case '\t':
    append(t, c);
    break;
  default:
    if (c >= 0x20) append(t, c); /* other control characters are dropped */
    break;
  }
}

static void command(telnet *t, unsigned char c) {
  static const char ayt[] = "\r\n[cnet-chat: yes]\r\n";
  switch (c) {
  case TELNET_EC:
    erase_char(t);
    break;
  case TELNET_EL:
  case TELNET_IP: /* interrupt: drop what was typed, as ^C in a shell */
    t->len = 0;
    break;
  case TELNET_AYT:
    t->ops->reply(t->ctx, ayt, sizeof ayt - 1);
    break;
  default: /* NOP, DM, BRK, AO, GA, SE out of place: nothing to do */
    break;
  }
}

size_t telnet_feed(telnet *t, const void *data, size_t len) {
  const unsigned char *p = data;
  size_t i;
  t->stop = false;
  for (i = 0; i < len && !t->stop; i++) {
    unsigned char c = p[i];
    switch (t->state) {
    case S_DATA:
      if (c == TELNET_IAC)
        t->state = S_IAC;
      else
        data_byte(t, c);
      break;
    case S_IAC:
      t->state = S_DATA;
      if (c == TELNET_IAC) { /* IAC IAC: a data byte 255 */
        data_byte(t, c);
        break;
      }
      if (c < TELNET_SE) break; /* not a command: ignored */
      t->negotiated = true;
      if (c >= TELNET_WILL && c <= TELNET_DONT) {
        t->state = S_OPT;
        t->verb = c;
      } else if (c == TELNET_SB) {
        t->state = S_SB;
      } else {
        command(t, c);
      }
      break;
    case S_OPT:
      t->state = S_DATA;
      negotiate(t, t->verb, c);
      break;
    case S_SB: /* subnegotiations (NAWS, TTYPE, ...) carry nothing we use */
      if (c == TELNET_IAC) t->state = S_SB_IAC;
      break;
    case S_SB_IAC:
      if (c == TELNET_SE)
        t->state = S_DATA;
      else if (c == TELNET_IAC)
        t->state = S_SB; /* an escaped 255 inside the subnegotiation */
      else {
        /* RFC 855 leaves a broken subnegotiation open-ended; treat the
         * IAC as the start of a command so the stream recovers. */
        t->state = S_IAC;
        i--;
      }
      break;
    }
  }
  /* A line that ended with CR and stopped the feed: its LF (or NUL) is
   * part of the same line end, used now rather than left as the start of
   * what the owner feeds next. */
  if (t->stop && t->after_cr && t->state == S_DATA && i < len &&
      (p[i] == '\n' || p[i] == '\0')) {
    t->after_cr = false;
    i++;
  }
  t->stop = false;
  return i;
}

void telnet_finish(telnet *t) {
  if (t->len > 0 && !t->discarding) end_line(t);
  t->stop = false;
}
