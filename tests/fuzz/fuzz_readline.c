/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* Fuzz target: readline.Interface (src/readline.c, cnet/readline.h) fed
 * through the public API, against a model written here from the header's
 * description of lines:
 *   LF, CR LF and a CR not followed by LF end a line (all the input is
 *   fed on one turn of the loop, so a CR LF cut between reads is always
 *   within crlfDelay); at the end, what follows the last line end is one
 *   more line if it is not empty; a line that grows past the maximum
 *   length is an error at that byte, after which nothing comes out.
 * Input: byte 0 picks the maximum line length (1 to 64, or the 64 KiB
 * default when its top bit is set), the rest is what the input reads. It
 * is fed to a new interface on an emitter of the target's own:
 *   1. whole, in one read;
 *   2. one byte a read;
 *   3. in random reads;
 *   4. in random reads through cnet_readline_write(), with pause() and
 *      resume() between some of them;
 *   5. in random reads, some fed from inside a 'line' listener (queued by
 *      the interface, split after the read in hand).
 * Each must give the model's lines and error, then exactly one 'close';
 * the loop then closes with nothing left open (and LSan finds no leak). */
#include <cnet.h>

#include "fuzz.h"

/* What came out: a 4-byte length, then the line; the error is a length
 * of 0xffffffff. */
#define ERROR_RECORD 0xffffffffu

static void put_record(fuzz_buf *b, uint32_t len, const void *data) {
  uint8_t n[4] = {(uint8_t)(len >> 24), (uint8_t)(len >> 16), (uint8_t)(len >> 8),
                  (uint8_t)len};
  fuzz_buf_add(b, n, 4);
  if (len != ERROR_RECORD) fuzz_buf_add(b, data, len);
}

/* ---- The model --------------------------------------------------------- */

static void model(const uint8_t *in, size_t n, size_t max, fuzz_buf *out) {
  fuzz_buf line = {0};
  bool after_cr = false;
  for (size_t i = 0; i < n; i++) {
    uint8_t c = in[i];
    if (after_cr && c == '\n') {
      after_cr = false;
      continue;
    }
    after_cr = c == '\r';
    if (c == '\r' || c == '\n') {
      put_record(out, (uint32_t)line.len, line.p);
      line.len = 0;
    } else if (line.len == max) {
      put_record(out, ERROR_RECORD, NULL);
      fuzz_buf_free(&line);
      return;
    } else {
      fuzz_buf_byte(&line, c);
    }
  }
  if (line.len) put_record(out, (uint32_t)line.len, line.p);
  fuzz_buf_free(&line);
}

/* ---- The interface ------------------------------------------------------ */

typedef struct source {
  cnet_emitter em;
} source;

enum { WHOLE, BYTES, CHUNKS, WRITES, NESTED, MODES };

typedef struct run {
  cnet_readline *rl;
  source src;
  const uint8_t *in;
  size_t n, at; /* what is fed so far */
  fuzz_rng rng;
  int mode;
  int closes;
  fuzz_buf out;
} run;

/* Feeds the next read, a copy in a block of its own so that ASan sees a
 * read past its end. */
static void feed_next(run *r) {
  size_t k = r->mode == WHOLE   ? r->n - r->at
             : r->mode == BYTES ? 1
                                : fuzz_chunk(&r->rng, r->n - r->at);
  uint8_t *read = fuzz_dup(r->in + r->at, k);
  r->at += k;
  if (r->mode == WRITES) {
    uint64_t x = fuzz_rng_next(&r->rng);
    if ((x & 3) == 0) cnet_readline_pause(r->rl);
    if (cnet_readline_closed(r->rl))
      FUZZ_CHECK(cnet_readline_write(r->rl, read, k) == CNET_ERR_USE_AFTER_CLOSE);
    else
      FUZZ_CHECK(cnet_readline_write(r->rl, read, k) == 0);
    if ((x & 12) == 0) cnet_readline_resume(r->rl);
  } else {
    cnet_event ev = {.type = CNET_EV_DATA, .data = (const char *)read, .len = k};
    cnet_emit(&r->src.em, &ev);
  }
  free(read);
}

static void on_line(const cnet_event *ev, void *arg) {
  run *r = arg;
  FUZZ_CHECK(ev->target == r->rl && !cnet_readline_closed(r->rl));
  FUZZ_CHECK(!memchr(ev->data, '\n', ev->len) && !memchr(ev->data, '\r', ev->len));
  put_record(&r->out, (uint32_t)ev->len, ev->data);
  if (r->mode == NESTED && r->at < r->n && (fuzz_rng_next(&r->rng) & 1)) feed_next(r);
}

static void on_error(const cnet_event *ev, void *arg) {
  run *r = arg;
  FUZZ_CHECK(ev->error && ev->error->code == CNET_ERR_OUT_OF_RANGE);
  put_record(&r->out, ERROR_RECORD, NULL);
}

static void on_close(const cnet_event *ev, void *arg) {
  (void)ev;
  run *r = arg;
  r->closes++;
  FUZZ_CHECK(cnet_readline_closed(r->rl) && cnet_readline_input(r->rl) == NULL);
}

static void run_mode(run *r, cnet_loop *loop, size_t max) {
  cnet_emitter_init(&r->src.em);
  cnet_readline_options o = {.loop = loop, .max_line_length = max};
  FUZZ_CHECK(cnet_readline_create(&r->src, &o, &r->rl) == 0);
  cnet_on(r->rl, CNET_EV_LINE, on_line, r);
  cnet_on(r->rl, CNET_EV_ERROR, on_error, r);
  cnet_on(r->rl, CNET_EV_CLOSE, on_close, r);
  while (r->at < r->n) feed_next(r);
  cnet_event end = {.type = CNET_EV_END};
  cnet_emit(&r->src.em, &end);
  FUZZ_CHECK(r->closes == 1);
  /* Whatever happened, the interface let go of its input. */
  FUZZ_CHECK(cnet_listener_count(&r->src.em, CNET_EV_DATA) == 0);
  FUZZ_CHECK(cnet_loop_run(loop, CNET_RUN_NOWAIT) == 0); /* frees it */
  cnet_emitter_dispose(&r->src.em);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size == 0) return 0;
  size_t max = data[0] & 0x80 ? CNET_READLINE_MAX_LINE_LENGTH : 1 + (data[0] & 0x3f);
  fuzz_buf want = {0};
  model(data + 1, size - 1, max, &want);
  cnet_loop *loop;
  FUZZ_CHECK(cnet_loop_new(&loop) == 0);
  for (int mode = 0; mode < MODES; mode++) {
    run r = {.in = data + 1, .n = size - 1, .mode = mode};
    r.rng = fuzz_rng_from(data, size);
    run_mode(&r, loop, max);
    if (!fuzz_buf_eq(&r.out, &want))
      dprintf(2, "mode %d: %zu bytes out, the model's %zu\n", mode, r.out.len, want.len);
    FUZZ_CHECK(fuzz_buf_eq(&r.out, &want));
    fuzz_buf_free(&r.out);
  }
  FUZZ_CHECK(cnet_loop_close(loop) == 0);
  fuzz_buf_free(&want);
  return 0;
}
