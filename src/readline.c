/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* readline.Interface (cnet/readline.h): the reads of a cnet stream, or of
 * an emitter of the user's, cut into 'line' events at Node's line ends.
 * It owns the one piece of a line that arrived in earlier reads, bounded
 * by the maximum line length; a line inside one read is emitted from the
 * reader's memory. Above the stream layer: it listens to its input as any
 * user would, and is a handle only so that the loop frees it after
 * 'close' and reports it when left open. */
#include "stream.h"

#include <stdlib.h>
#include <string.h>

#include "cnet/readline.h"

#define CRLF_DELAY_MIN 100 /* ms: Node's kMincrlfDelay, also its default */
/* A line buffer that grew past this is freed once its line is out, so an
 * idle connection keeps no more than this for having once had a long line. */
#define KEEP_LINE_BUFFER 1024
#define LINE_BUFFER_FIRST 256

struct cnet_readline {
  cnet__handle h; /* first: an emitter, and a handle on the input's loop */
  void *input;    /* NULL once the interface stopped listening to it */
  bool input_is_stream;
  bool paused;
  bool closing;   /* close() began: no line, pause or resume after this */
  bool closed;    /* rl.closed: set before 'close' is emitted */
  bool held;
  bool feeding;   /* lines of a read are being emitted */
  bool end_queued; /* the input ended while feeding */
  bool saw_cr;    /* the last read ended with CR (Node's kSawReturnAt) */
  uint64_t saw_cr_at;
  uint64_t crlf_delay;
  size_t max_line;
  char *line;     /* the line so far, when it spans reads */
  size_t len, cap;
  char *queue;    /* bytes fed while feeding, split after the read */
  size_t qlen, qcap;
};

static void emit_simple(cnet_readline *rl, cnet_event_type type) {
  cnet_event ev = {.type = type};
  cnet_emit(rl, &ev);
}

static void emit_error(cnet_readline *rl, const cnet_error *err) {
  cnet_event ev = {.type = CNET_EV_ERROR, .error = err};
  cnet_emit(rl, &ev);
}

/* ---- the input -------------------------------------------------------- */

static void on_data(const cnet_event *ev, void *arg);
static void on_end(const cnet_event *ev, void *arg);
static void on_error(const cnet_event *ev, void *arg);
static void on_close(const cnet_event *ev, void *arg);

static const struct {
  cnet_event_type type;
  cnet_listener fn;
} input_listeners[] = {
    /* 'data' last: adding it starts a stream flowing, which must not
     * happen when an earlier one fails to be added. */
    {CNET_EV_ERROR, on_error},
    {CNET_EV_END, on_end},
    {CNET_EV_CLOSE, on_close},
    {CNET_EV_DATA, on_data},
};
enum { N_INPUT_LISTENERS = sizeof input_listeners / sizeof input_listeners[0] };

/* The input may be an emitter of the caller's that is gone by now: it is
 * looked up before it is touched. */
static void detach(cnet_readline *rl, size_t added) {
  if (!cnet__is_emitter(rl->input)) {
    rl->input = NULL;
    return;
  }
  for (size_t i = 0; i < added; i++)
    cnet_off(rl->input, input_listeners[i].type, input_listeners[i].fn, rl);
  if (rl->input_is_stream) cnet__stream_data_listener_removed(rl->input);
  rl->input = NULL;
}

static bool input_live(const cnet_readline *rl) {
  return rl->input_is_stream && rl->input && !cnet_stream_destroyed(rl->input);
}

/* Node's close(): pause(), then 'close', the input let go of first (Node's
 * own 'close' listener, the first one, removes its input listeners). */
static void close_now(cnet_readline *rl) {
  if (rl->closing) return;
  rl->closing = true;
  if (!rl->paused) {
    if (input_live(rl)) cnet_stream_pause(rl->input);
    rl->paused = true;
    emit_simple(rl, CNET_EV_PAUSE);
  }
  if (rl->input) detach(rl, N_INPUT_LISTENERS);
  rl->closed = true;
  emit_simple(rl, CNET_EV_CLOSE);
  cnet__handle_close(&rl->h);
}

/* ---- lines ------------------------------------------------------------ */

static void overlong(cnet_readline *rl) {
  cnet_error e;
  cnet_error_set(&e, CNET_ERR_OUT_OF_RANGE,
                 "The value of \"line length\" is out of range. It must be <= %zu "
                 "bytes. Received more than %zu bytes",
                 rl->max_line, rl->max_line);
  emit_error(rl, &e);
  close_now(rl);
}

static void out_of_memory(cnet_readline *rl) {
  cnet_error e;
  cnet_error_set(&e, CNET_ENOMEM, "readline: out of memory");
  emit_error(rl, &e);
  close_now(rl);
}

/* Adds n bytes to the line being assembled. false when that made it too
 * long or memory ran out: the interface is closed then. */
static bool keep(cnet_readline *rl, const char *p, size_t n) {
  if (n > rl->max_line - rl->len) {
    overlong(rl);
    return false;
  }
  if (n > rl->cap - rl->len) {
    size_t cap = rl->cap ? rl->cap : LINE_BUFFER_FIRST;
    if (cap > rl->max_line) cap = rl->max_line;
    while (cap < rl->len + n) cap = cap > rl->max_line / 2 ? rl->max_line : cap * 2;
    char *grown = realloc(rl->line, cap);
    if (!grown) {
      out_of_memory(rl);
      return false;
    }
    rl->line = grown;
    rl->cap = cap;
  }
  memcpy(rl->line + rl->len, p, n);
  rl->len += n;
  return true;
}

/* Emits the line that ends with p[0..n): in place when nothing of it came
 * before. false when the interface closed meanwhile. */
static bool line(cnet_readline *rl, const char *p, size_t n) {
  cnet_event ev = {.type = CNET_EV_LINE, .data = p, .len = n};
  if (rl->len) {
    if (!keep(rl, p, n)) return false;
    ev.data = rl->line;
    ev.len = rl->len;
    rl->len = 0; /* a queued feed cannot touch the buffer during the emit */
  } else if (n > rl->max_line) {
    overlong(rl);
    return false;
  }
  cnet_emit(rl, &ev);
  if (rl->len == 0 && rl->cap > KEEP_LINE_BUFFER) {
    free(rl->line);
    rl->line = NULL;
    rl->cap = 0;
  }
  return !rl->closing;
}

/* One read (Node's kNormalWrite, on bytes): every line it ends, then what
 * is left after the last line end kept for the next read. LF, CR LF and a
 * lone CR end a line; a CR that ends the read and an LF that starts the
 * next one within crlf_delay are one end. Each byte is looked at a bounded
 * number of times whatever mix of CR and LF the read has. */
static void split(cnet_readline *rl, const char *p, size_t n) {
  if (n == 0) return;
  if (rl->saw_cr) {
    rl->saw_cr = false;
    if (p[0] == '\n' && cnet_loop_now(rl->h.loop) - rl->saw_cr_at <= rl->crlf_delay) {
      p++;
      n--;
    }
  }
  const char *end = p + n;
  const char *lf = memchr(p, '\n', n);
  while (p < end) {
    if (lf && lf < p) lf = memchr(p, '\n', (size_t)(end - p));
    const char *cr = memchr(p, '\r', (size_t)((lf ? lf : end) - p));
    const char *eol = cr ? cr : lf;
    if (!eol) {
      keep(rl, p, (size_t)(end - p));
      return;
    }
    size_t skip = 1;
    if (eol == cr && eol + 1 < end) {
      skip = eol[1] == '\n' ? 2 : 1;
    } else if (eol == cr) {
      rl->saw_cr = true;
      rl->saw_cr_at = cnet_loop_now(rl->h.loop);
    }
    if (!line(rl, p, (size_t)(eol - p))) return;
    p = eol + skip;
  }
}

/* The input ended (Node's onend): what is left is the last line. */
static void finish(cnet_readline *rl) {
  if (rl->closing) return;
  if (rl->feeding) {
    rl->end_queued = true;
    return;
  }
  if (rl->len) {
    size_t n = rl->len;
    rl->len = 0;
    cnet_event ev = {.type = CNET_EV_LINE, .data = rl->line, .len = n};
    cnet_emit(rl, &ev);
  }
  close_now(rl);
}

/* Splits p[0..n), or queues a copy of it when it comes from a 'line'
 * listener of this interface: a read is split whole before the next, so
 * lines come out in the order their bytes came in. */
static void feed(cnet_readline *rl, const char *p, size_t n) {
  if (rl->closing || n == 0) return;
  if (rl->feeding) {
    if (n > rl->qcap - rl->qlen) {
      size_t cap = rl->qcap ? rl->qcap : LINE_BUFFER_FIRST;
      while (cap - rl->qlen < n) cap *= 2;
      char *grown = realloc(rl->queue, cap);
      if (!grown) {
        out_of_memory(rl);
        return;
      }
      rl->queue = grown;
      rl->qcap = cap;
    }
    memcpy(rl->queue + rl->qlen, p, n);
    rl->qlen += n;
    return;
  }
  rl->feeding = true;
  split(rl, p, n);
  while (rl->qlen && !rl->closing) {
    char *q = rl->queue;
    size_t qn = rl->qlen;
    rl->queue = NULL;
    rl->qlen = rl->qcap = 0;
    split(rl, q, qn);
    free(q);
  }
  rl->feeding = false;
  if (rl->end_queued) finish(rl);
}

static void on_data(const cnet_event *ev, void *arg) {
  feed(arg, ev->data, ev->len);
}

static void on_end(const cnet_event *ev, void *arg) {
  (void)ev;
  finish(arg);
}

/* Node passes the input's errors on; they do not close the interface, the
 * input's 'close' that follows does. */
static void on_error(const cnet_event *ev, void *arg) {
  cnet_readline *rl = arg;
  if (!rl->closing) emit_error(rl, ev->error);
}

/* cnet's own: the input is gone (destroyed, reset) without an end. */
static void on_close(const cnet_event *ev, void *arg) {
  (void)ev;
  close_now(arg);
}

/* ---- the object ------------------------------------------------------- */

static void free_rl(cnet_readline *rl) {
  cnet_emitter_dispose(&rl->h.em);
  free(rl->line);
  free(rl->queue);
  free(rl);
}

/* An 'error' nobody listens to closes the interface (after it is printed). */
static void unhandled(void *object, const cnet_error *err) {
  (void)err;
  close_now(object);
}

static void closed(cnet__handle *h) {
  cnet_readline *rl = (cnet_readline *)h;
  if (!rl->held) free_rl(rl);
}

static const struct cnet__emitter_ops readline_ops = {
    "readline.Interface", unhandled, NULL, closed, false, NULL};

int cnet_readline_create(void *input, const cnet_readline_options *opts,
                         cnet_readline **out) {
  if (out) *out = NULL;
  if (!out || !cnet__is_emitter(input))
    return cnet__fail(CNET_EINVAL, "input is not a cnet emitter");
  cnet_readline_options o = {0};
  if (opts) o = *opts;
  cnet__stream *s = cnet__stream_of(input);
  cnet_loop *loop = o.loop;
  if (s) {
    if (!cnet__stream_has_readable(s)) return cnet__fail(CNET_ERR_INVALID_ARG_TYPE, NULL);
    if ((s->flags & CNET__S_CLOSE_EMITTED) || (loop && loop != s->h.loop)) return cnet__fail(CNET_EINVAL, NULL);
    loop = s->h.loop;
  } else if (((const cnet_emitter *)input)->ops_) {
    return cnet__fail(CNET_ERR_INVALID_ARG_TYPE, NULL); /* a server, a UDP socket, an interface */
  } else if (!loop) {
    return cnet__fail(CNET_EINVAL, NULL);
  }
  cnet_readline *rl = calloc(1, sizeof *rl);
  if (!rl) return cnet__fail(CNET_ENOMEM, NULL);
  if (cnet__handle_init(loop, &rl->h, &readline_ops) != 0) {
    free(rl);
    return cnet__fail(CNET_ENOMEM, NULL);
  }
  rl->input = input;
  rl->input_is_stream = s != NULL;
  rl->crlf_delay = o.crlf_delay > CRLF_DELAY_MIN ? o.crlf_delay : CRLF_DELAY_MIN;
  rl->max_line = o.max_line_length ? o.max_line_length : CNET_READLINE_MAX_LINE_LENGTH;
  for (size_t i = 0; i < N_INPUT_LISTENERS; i++) {
    if (cnet_on(input, input_listeners[i].type, input_listeners[i].fn, rl) < 0) {
      detach(rl, i);
      cnet__handle_discard(&rl->h);
      free(rl);
      return cnet__fail(CNET_ENOMEM, NULL);
    }
  }
  if (s) cnet_stream_resume(input); /* Node's input.resume() */
  *out = rl;
  return 0;
}

int cnet_readline_close(cnet_readline *rl) {
  if (!rl) return cnet__fail(CNET_EINVAL, NULL);
  close_now(rl);
  return 0;
}

int cnet_readline_pause(cnet_readline *rl) {
  if (!rl) return cnet__fail(CNET_EINVAL, NULL);
  if (rl->paused || rl->closing) return 0;
  if (input_live(rl)) cnet_stream_pause(rl->input);
  rl->paused = true;
  emit_simple(rl, CNET_EV_PAUSE);
  return 0;
}

int cnet_readline_resume(cnet_readline *rl) {
  if (!rl) return cnet__fail(CNET_EINVAL, NULL);
  if (rl->closing) return cnet__fail(CNET_ERR_USE_AFTER_CLOSE, NULL);
  if (!rl->paused) return 0;
  if (input_live(rl)) cnet_stream_resume(rl->input);
  rl->paused = false;
  emit_simple(rl, CNET_EV_RESUME);
  return 0;
}

int cnet_readline_write(cnet_readline *rl, const void *data, size_t len) {
  if (!rl || (!data && len)) return cnet__fail(CNET_EINVAL, NULL);
  if (rl->closing) return cnet__fail(CNET_ERR_USE_AFTER_CLOSE, NULL);
  if (rl->paused) cnet_readline_resume(rl);
  feed(rl, data, len);
  return 0;
}

bool cnet_readline_closed(const cnet_readline *rl) { return rl && rl->closed; }
bool cnet_readline_paused(const cnet_readline *rl) { return rl && rl->paused; }
void *cnet_readline_input(const cnet_readline *rl) { return rl ? rl->input : NULL; }
uint64_t cnet_readline_crlf_delay(const cnet_readline *rl) { return rl ? rl->crlf_delay : 0; }
bool cnet_readline_terminal(const cnet_readline *rl) {
  (void)rl;
  return false;
}
size_t cnet_readline_max_line_length(const cnet_readline *rl) {
  return rl ? rl->max_line : 0;
}

int cnet_readline_hold(cnet_readline *rl) {
  if (!rl) return cnet__fail(CNET_EINVAL, NULL);
  rl->held = true;
  return 0;
}

int cnet_readline_release(cnet_readline *rl) {
  /* A second release would find it freed: looked up, not read. */
  if (!cnet__is_emitter(rl)) return cnet__fail(CNET_EINVAL, NULL);
  if (!rl->held) return 0;
  rl->held = false;
  if (CNET__H_FLAGS(&rl->h) & CNET__F_CLOSED) free_rl(rl);
  return 0;
}
