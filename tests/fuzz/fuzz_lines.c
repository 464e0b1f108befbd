/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* Fuzz target: the line splitter of cnet-chat (the line assembly and line
 * editor in apps/cnet-chat/telnet.c), against a model written here from
 * telnet.h's description. The library's line reader, readline, has a
 * target of its own (fuzz_readline.c); this one is the chat's, which also
 * edits what a telnet user types.
 *
 * The model works in passes, where telnet.c works byte by byte in one
 * state machine, so that a mistake in how the layers meet shows up:
 *   1. telnet: IAC IAC is a data byte 255, IAC EC erases a character,
 *      IAC EL and IAC IP erase the line, negotiations and subnegotiations
 *      vanish (a broken one ends at the next IAC command);
 *   2. terminal: CR, LF, CR LF and CR NUL end a line; backspace and DEL
 *      erase a character, ^U the line; ESC x, ESC O x, ESC [ params
 *      final and the Linux console's ESC [ [ x vanish whole (a byte that
 *      cannot belong to one ends it and counts as itself); tab stays;
 *      other control characters vanish;
 *   3. editor: a character is a whole UTF-8 sequence for erasing; a line
 *      longer than TELNET_LINE_MAX is reported once and dropped up to its
 *      end; at the close, a last line without its end still counts.
 * Input: what the client sends, fed whole and in random chunks; both must
 * give the model's lines and overlong reports. */
#include "telnet.h"

#include "fuzz.h"

/* ---- The model --------------------------------------------------------- */

/* Pass 1's output: a data byte, or an editing command from telnet. */
enum { TOK_EC = 256, TOK_EL = 257 };
/* Pass 2's output. */
enum { EV_CHAR, EV_ERASE, EV_KILL, EV_END };

typedef struct model {
  fuzz_buf lines; /* 4-byte length, then the line */
  int overlong;
  fuzz_buf line;
  bool discarding;
} model;

static void put_line(fuzz_buf *b, const void *line, size_t len) {
  uint8_t n[4] = {(uint8_t)(len >> 24), (uint8_t)(len >> 16), (uint8_t)(len >> 8),
                  (uint8_t)len};
  fuzz_buf_add(b, n, 4);
  fuzz_buf_add(b, line, len);
}

/* Pass 3: the line editor. */
static void edit(model *m, int ev, uint8_t c) {
  switch (ev) {
  case EV_CHAR:
    if (m->discarding) return;
    if (m->line.len == TELNET_LINE_MAX) {
      m->discarding = true;
      m->line.len = 0;
      m->overlong++;
      return;
    }
    fuzz_buf_byte(&m->line, c);
    return;
  case EV_ERASE: /* trailing continuation bytes and the byte before them */
    while (m->line.len > 0 && (m->line.p[m->line.len - 1] & 0xC0) == 0x80)
      m->line.len--;
    if (m->line.len > 0) m->line.len--;
    return;
  case EV_KILL:
    m->line.len = 0;
    return;
  default:
    if (!m->discarding) put_line(&m->lines, m->line.p, m->line.len);
    m->discarding = false;
    m->line.len = 0;
    return;
  }
}

static void model_run(model *m, const uint8_t *in, size_t len) {
  /* Pass 1: the telnet layer. */
  int *toks = malloc((len + 1) * sizeof *toks);
  if (!toks) abort();
  size_t nt = 0;
  for (size_t i = 0; i < len; i++) {
    if (in[i] != 0xFF) {
      toks[nt++] = in[i];
      continue;
    }
    if (++i == len) break;
    uint8_t cmd = in[i];
    if (cmd == 0xFF) {
      toks[nt++] = 0xFF;
    } else if (cmd == TELNET_EC) {
      toks[nt++] = TOK_EC;
    } else if (cmd == TELNET_EL || cmd == TELNET_IP) {
      toks[nt++] = TOK_EL;
    } else if (cmd >= TELNET_WILL && cmd <= TELNET_DONT) {
      i++; /* the option byte */
    } else if (cmd == TELNET_SB) {
      /* Up to IAC SE; IAC IAC inside is data of the subnegotiation; IAC
       * and anything else ends it and is read again as a command. */
      for (i++; i < len; i++) {
        if (in[i] != 0xFF) continue;
        if (i + 1 == len) {
          i = len;
          break;
        }
        if (in[i + 1] == TELNET_SE) {
          i++;
          break;
        }
        if (in[i + 1] == 0xFF) {
          i++;
          continue;
        }
        i--; /* the IAC is read again by the outer loop */
        break;
      }
    }
    /* other commands (NOP, AYT, ...) and IAC + a non-command: nothing */
  }

  /* Pass 2: the terminal layer, feeding pass 3. */
  bool after_cr = false;
  enum { E_NONE, E_ESC, E_CSI_START, E_CSI, E_SS3 } esc = E_NONE;
  for (size_t k = 0; k < nt; k++) {
    int t = toks[k];
    if (t == TOK_EC) {
      edit(m, EV_ERASE, 0);
      continue;
    }
    if (t == TOK_EL) {
      edit(m, EV_KILL, 0);
      continue;
    }
    uint8_t c = (uint8_t)t;
    if (after_cr) {
      after_cr = false;
      if (c == '\n' || c == '\0') continue;
    }
    if (esc != E_NONE) {
      if (c >= 0x20 && c <= 0x7E) {
        if (esc == E_ESC)
          esc = c == '[' ? E_CSI_START : c == 'O' ? E_SS3 : E_NONE;
        else if (esc == E_CSI_START && c == '[')
          esc = E_SS3; /* ESC [ [ x: one more byte, whatever it is */
        else if (esc == E_SS3 || c >= 0x40)
          esc = E_NONE;
        else
          esc = E_CSI;
        continue;
      }
      esc = E_NONE;
    }
    if (c == '\r') {
      after_cr = true;
      edit(m, EV_END, 0);
    } else if (c == '\n') {
      edit(m, EV_END, 0);
    } else if (c == '\b' || c == 0x7F) {
      edit(m, EV_ERASE, 0);
    } else if (c == 0x15) {
      edit(m, EV_KILL, 0);
    } else if (c == 0x1B) {
      esc = E_ESC;
    } else if (c == '\t' || c >= 0x20) {
      edit(m, EV_CHAR, c);
    }
  }
  /* The close: a last line without its end. */
  if (m->line.len > 0 && !m->discarding) put_line(&m->lines, m->line.p, m->line.len);
  free(toks);
}

/* ---- telnet.c ------------------------------------------------------------ */

typedef struct got {
  fuzz_buf lines;
  int overlong;
} got;

static bool on_line(void *ctx, const char *line, size_t len) {
  put_line(&((got *)ctx)->lines, line, len);
  return true;
}
static void on_overlong(void *ctx) { ((got *)ctx)->overlong++; }
static void on_reply(void *ctx, const void *bytes, size_t len) {
  (void)ctx, (void)bytes, (void)len;
}
static const telnet_ops ops = {on_line, on_overlong, on_reply};

static void split(got *out, const uint8_t *in, size_t len, fuzz_rng *g) {
  telnet *t = malloc(sizeof *t);
  if (!t) abort();
  memset(out, 0, sizeof *out);
  telnet_init(t, &ops, out);
  for (size_t at = 0; at < len;) {
    size_t n = g ? fuzz_chunk(g, len - at) : len - at;
    telnet_feed(t, in + at, n);
    at += n;
  }
  telnet_finish(t);
  free(t);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  fuzz_rng g = fuzz_rng_from(data, size);
  model m = {0};
  got whole, chunks;
  model_run(&m, data, size);
  split(&whole, data, size, NULL);
  split(&chunks, data, size, &g);
  FUZZ_CHECK(fuzz_buf_eq(&whole.lines, &m.lines));
  FUZZ_CHECK(whole.overlong == m.overlong);
  FUZZ_CHECK(fuzz_buf_eq(&chunks.lines, &m.lines));
  FUZZ_CHECK(chunks.overlong == m.overlong);
  fuzz_buf_free(&m.lines);
  fuzz_buf_free(&m.line);
  fuzz_buf_free(&whole.lines);
  fuzz_buf_free(&chunks.lines);
  return 0;
}
