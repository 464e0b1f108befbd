/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* The stream core: Node's Writable (writeOrBuffer, onwrite, afterWrite,
 * clearBuffer, end, finishMaybe) and the part of Readable a bufferless
 * stream needs (flowing, pause/resume, push, EOF, 'end'), plus
 * destroy/errorOrDestroy. Each function is named after Node's and keeps
 * its order of effects; comments point out where cnet differs. */
#include "stream.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>

#include "cnet/encoding.h"


/* A write that waits behind the one in progress: Node's buffered entry,
 * with the bytes copied (the caller's memory is not ours after write). */
struct cnet__wreq {
  struct cnet__wreq *next;
  cnet_callback cb;
  void *arg;
  size_t len;
  size_t cap; /* of data: len, or more where later writes may join it */
  char data[];
};

/* A coalescing stream's writes without a callback share entries of this
 * size (header included), the next joining the last while it has room: a
 * turn of one-line writes to a client then costs an allocation per few
 * KiB instead of one per line, and the flush a buffer per entry. */
#define COALESCE_ENTRY 4096

/* The buffered writes are a ring through the last one (one pointer in
 * the stream): take the first, add at the end, or take them all as a
 * NULL-terminated list. */
static void buf_push(cnet__stream *s, struct cnet__wreq *w) {
  if (s->buf) {
    w->next = s->buf->next;
    s->buf->next = w;
  } else {
    w->next = w;
  }
  s->buf = w;
}

static struct cnet__wreq *buf_shift(cnet__stream *s) {
  struct cnet__wreq *first = s->buf->next;
  if (first == s->buf)
    s->buf = NULL;
  else
    s->buf->next = first->next;
  first->next = NULL;
  return first;
}

static struct cnet__wreq *buf_take_all(cnet__stream *s) {
  if (!s->buf) return NULL;
  struct cnet__wreq *first = s->buf->next;
  s->buf->next = NULL;
  s->buf = NULL;
  return first;
}

/* End callbacks waiting for 'finish'. */
struct cnet__finish_cb {
  struct cnet__finish_cb *next;
  cnet_callback cb;
  void *arg;
};

struct after_write_tick;

struct cnet__stream_x {
  cnet_callback writecb;               /* of the write in progress */
  void *writecb_arg;
  cnet_error errored;                  /* valid with CNET__S_ERRORED */
  struct cnet__finish_cb *on_finished; /* in order */
  struct after_write_tick *tick_info;  /* Node's afterWriteTickInfo */
  cnet_string_decoder decoder;
  bool has_decoder;
  uint8_t tail_len;  /* decoder output at EOF, waiting for the stream to flow */
  char tail[16];
  struct cnet__pipe_state *pipe; /* src/pipe.c's, while s is piped */
  void *data;                    /* cnet_set_data()'s */
  cnet__cb flush;                /* coalescing: on the loop's before-wait queue */
  bool flush_queued;
};

/* ---- lifetime ------------------------------------------------------------ */

static struct cnet__stream_x *ext(cnet__stream *s) {
  if (!s->x) s->x = calloc(1, sizeof *s->x);
  return s->x;
}

void **cnet__stream_data_slot(void *object, bool create) {
  cnet__stream *s = object;
  struct cnet__stream_x *x = create ? ext(s) : s->x;
  return x ? &x->data : NULL;
}

static void maybe_free(cnet__stream *s) {
  const uint32_t done = CNET__S_CLOSE_EMITTED | CNET__S_CLOSED;
  if ((s->flags & done) != done || s->refs || (s->flags & CNET__S_HELD) ||
      (s->flags & CNET__S_FREED) || !(CNET__H_FLAGS(&s->h) & CNET__F_CLOSED))
    return;
  s->flags |= CNET__S_FREED;
  struct cnet__wreq *w = buf_take_all(s);
  while (w) {
    struct cnet__wreq *next = w->next;
    free(w);
    w = next;
  }
  if (s->x) {
    struct cnet__finish_cb *f = s->x->on_finished;
    while (f) {
      struct cnet__finish_cb *next = f->next;
      free(f);
      f = next;
    }
    free(s->x);
  }
  cnet_emitter_dispose(&s->h.em);
  CNET__VT(s)->free(s);
}

void cnet__stream_free_maybe(cnet__stream *s) { maybe_free(s); }

struct cnet__pipe_state *cnet__stream_pipe_state(const cnet__stream *s) {
  return s->x ? s->x->pipe : NULL;
}

bool cnet__stream_set_pipe_state(cnet__stream *s, struct cnet__pipe_state *ps) {
  if (!ps && !s->x) return true;
  struct cnet__stream_x *x = ext(s);
  if (!x) return false;
  x->pipe = ps;
  return true;
}

void cnet__stream_closed(cnet__stream *s) { maybe_free(s); }

struct stream_tick {
  cnet__cb node;
  cnet__stream *s;
  void (*fn)(cnet__stream *s);
};

static void run_stream_tick(void *arg) {
  struct stream_tick *t = arg;
  cnet__stream *s = t->s;
  void (*fn)(cnet__stream *) = t->fn;
  free(t);
  fn(s);
  cnet__stream_unref(s);
}

int cnet__stream_tick(cnet__stream *s, void (*fn)(cnet__stream *s)) {
  struct stream_tick *t = malloc(sizeof *t);
  if (!t) return CNET_ENOMEM;
  t->node.fn = run_stream_tick;
  t->node.arg = t;
  t->node.pooled = false;
  t->s = s;
  t->fn = fn;
  s->refs++;
  cnet__tick(s->h.loop, &t->node);
  return 0;
}

/* A callback with an error, on the next tick: Node's
 * process.nextTick(cb, err). */
struct cb_tick {
  cnet__cb node;
  cnet__stream *s;
  cnet_callback cb;
  void *arg;
  bool has_err;
  cnet_error err;
};

static void run_cb_tick(void *arg) {
  struct cb_tick *t = arg;
  cnet__stream *s = t->s;
  t->cb(s, t->has_err ? &t->err : NULL, t->arg);
  free(t);
  cnet__stream_unref(s);
}

static void tick_cb(cnet__stream *s, cnet_callback cb, void *arg,
                    const cnet_error *err) {
  if (!cb) return;
  struct cb_tick *t = malloc(sizeof *t);
  if (!t) return;
  t->node.fn = run_cb_tick;
  t->node.arg = t;
  t->node.pooled = false;
  t->s = s;
  t->cb = cb;
  t->arg = arg;
  t->has_err = err != NULL;
  if (err) t->err = *err;
  s->refs++;
  cnet__tick(s->h.loop, &t->node);
}

static void emit_simple(cnet__stream *s, cnet_event_type type) {
  cnet_event ev = {.type = type};
  cnet_emit(s, &ev);
}

int cnet__stream_init(cnet_loop *loop, cnet__stream *s,
                      const cnet__stream_vt *vt, size_t hwm, uint32_t flags) {
  memset(s, 0, sizeof *s);
  int r = cnet__handle_init(loop, &s->h, &vt->ops);
  if (r) return r;
  s->hwm = (uint32_t)hwm;
  s->flags = flags;
  return 0;
}

void cnet__stream_reset(cnet__stream *s) {
  const uint32_t keep = CNET__S_EMIT_CLOSE | CNET__S_ALLOW_HALF_OPEN |
                        CNET__S_HELD | CNET__W_COALESCE |
                        CNET__R_DATA_LISTENING | CNET__R_FLOWING |
                        CNET__R_HAS_FLOWING | CNET__R_PAUSED;
  uint32_t f = s->flags & keep;
  if (s->flags & CNET__R_NOT_READABLE) f |= CNET__R_ENDED | CNET__R_END_EMITTED;
  if (s->flags & CNET__W_NOT_WRITABLE)
    f |= CNET__W_ENDING | CNET__W_ENDED | CNET__W_FINISHED;
  f |= s->flags & (CNET__R_NOT_READABLE | CNET__W_NOT_WRITABLE);
  s->flags = f;
  s->pendingcb = 0;
  if (s->x && s->x->has_decoder) /* the encoding survives a reconnect */
    cnet_string_decoder_init(&s->x->decoder, s->x->decoder.encoding);
  cnet__handle_reopen(&s->h);
}

/* ---- errors ---------------------------------------------------------------- */

static void set_errored(cnet__stream *s, const cnet_error *err) {
  if (!err || (s->flags & CNET__S_ERRORED)) return;
  struct cnet__stream_x *x = ext(s);
  if (!x) return;
  x->errored = *err;
  s->flags |= CNET__S_ERRORED;
}

const cnet_error *cnet__stream_errored(const cnet__stream *s) {
  return (s->flags & CNET__S_ERRORED) ? &s->x->errored : NULL;
}

static void destroyed_error(cnet_error *e, const char *what) {
  cnet_error_set(e, CNET_ERR_STREAM_DESTROYED,
                 "Cannot call %s after a stream was destroyed", what);
}

void cnet__stream_error(cnet__stream *s, const cnet_error *err) {
  if (s->flags & CNET__S_DESTROYED) return;
  cnet__stream_destroy(s, err);
}

/* ---- Writable ---------------------------------------------------------------- */

static void finish_maybe(cnet__stream *s, bool sync);
static void clear_buffer(cnet__stream *s);

/* ---- coalescing: the queue flushed once a turn --------------------------- */

static void run_flush(void *arg) {
  cnet__stream *s = arg;
  s->x->flush_queued = false;
  if (!(s->flags & CNET__W_WRITING)) clear_buffer(s);
  cnet__stream_unref(s);
}

/* Puts s on the loop's before-wait queue, once, when its queue has writes
 * that nothing else would send: with a write in progress, its completion
 * sends them; corked, uncork() does; errored, they are never sent. The
 * stream stays alive while queued (a destroyed one then flushes nothing:
 * clear_buffer refuses). */
static void flush_later(cnet__stream *s) {
  if ((s->flags & (CNET__W_WRITING | CNET__S_ERRORED)) || s->corked ||
      !s->buf || s->x->flush_queued)
    return;
  s->x->flush_queued = true;
  s->x->flush.fn = run_flush;
  s->x->flush.arg = s;
  s->x->flush.pooled = false;
  cnet__stream_ref(s);
  cnet__before_wait(s->h.loop, &s->x->flush);
}

/* A write joined the queue of a coalescing stream. The waiting bytes stay
 * below the high-water mark: the write that reaches it hands the queue to
 * the kernel at once, so that coalescing bounds what it keeps and never
 * makes write() ask for a 'drain' the kernel would not have asked for. */
static void coalesced(cnet__stream *s) {
  if (s->length >= s->hwm && !(s->flags & (CNET__W_WRITING | CNET__S_ERRORED)) &&
      !s->corked)
    clear_buffer(s);
  else
    flush_later(s);
}

void cnet__stream_flush_coalesced(cnet__stream *s) {
  if ((s->flags & CNET__W_COALESCE) && !(s->flags & CNET__W_WRITING))
    clear_buffer(s);
}

int cnet__stream_set_coalesce(cnet__stream *s, bool on) {
  if (on) {
    if (!ext(s)) return CNET_ENOMEM; /* flush_later's place */
    s->flags |= CNET__W_COALESCE;
    return 0;
  }
  if (!(s->flags & CNET__W_COALESCE)) return 0;
  s->flags &= ~CNET__W_COALESCE;
  /* What waits leaves now: the next write may go straight to the kernel
   * and must not pass it. */
  if (!(s->flags & CNET__W_WRITING)) clear_buffer(s);
  return 0;
}

bool cnet__stream_writable(const cnet__stream *s) {
  return !(s->flags & (CNET__W_NOT_WRITABLE | CNET__W_ENDING | CNET__W_ENDED |
                       CNET__S_DESTROYED | CNET__S_ERRORED));
}

size_t cnet__stream_buffered_bytes(const cnet__stream *s) {
  size_t n = 0;
  if (s->buf)
    for (const struct cnet__wreq *w = s->buf->next;; w = w->next) {
      n += w->len;
      if (w == s->buf) break;
    }
  return n;
}

static void call_finished_callbacks(cnet__stream *s, const cnet_error *err) {
  if (!s->x || !s->x->on_finished) return;
  struct cnet__finish_cb *f = s->x->on_finished;
  s->x->on_finished = NULL;
  while (f) {
    struct cnet__finish_cb *next = f->next;
    f->cb(s, err, f->arg);
    free(f);
    f = next;
  }
}

static void do_write(cnet__stream *s, size_t len, const cnet__chunk *chunks,
                     size_t n, cnet_callback cb, void *arg) {
  s->writelen = len;
  /* A write with a callback made sure of s->x (write_checked); one
   * without leaves it alone. */
  if (s->x) {
    s->x->writecb = cb;
    s->x->writecb_arg = arg;
  }
  s->flags |= CNET__W_WRITING | CNET__W_SYNC | CNET__W_EXPECT_CB;
  if (s->flags & CNET__S_DESTROYED) {
    cnet_error e;
    destroyed_error(&e, "write");
    cnet__stream_onwrite(s, &e);
  } else {
    CNET__VT(s)->write(s, chunks, n, len);
  }
  s->flags &= ~CNET__W_SYNC;
}

/* Queues a copy of the write; false when out of memory (the stream is
 * then destroyed, as Node's would be). */
static bool buffer_write(cnet__stream *s, const void *data, size_t len,
                         cnet_callback cb, void *arg) {
  bool share = (s->flags & CNET__W_COALESCE) && !cb;
  struct cnet__wreq *last = s->buf;
  if (share && last && !last->cb && last->cap - last->len >= len) {
    /* It joins the last entry, whose completion is its own: its pending
     * callback is done with now. */
    if (len) memcpy(last->data + last->len, data, len);
    last->len += len;
    s->pendingcb--;
    return true;
  }
  size_t cap = len;
  if (share && len < COALESCE_ENTRY - sizeof *last)
    cap = COALESCE_ENTRY - sizeof *last;
  struct cnet__wreq *w = malloc(sizeof *w + cap);
  if (!w) {
    s->length -= len;
    s->pendingcb--;
    cnet_error e;
    cnet_error_set(&e, CNET_ENOMEM, "write: out of memory");
    tick_cb(s, cb, arg, &e);
    cnet__stream_error(s, &e);
    return false;
  }
  w->cb = cb;
  w->arg = arg;
  w->len = len;
  w->cap = cap;
  if (len) memcpy(w->data, data, len);
  buf_push(s, w);
  return true;
}

static bool write_or_buffer(cnet__stream *s, const void *data, size_t len,
                            cnet_callback cb, void *arg) {
  s->length += len;
  if ((s->flags & (CNET__W_WRITING | CNET__S_ERRORED | CNET__W_COALESCE)) ||
      s->corked) {
    if (!buffer_write(s, data, len, cb, arg)) return false;
    if (s->flags & CNET__W_COALESCE) coalesced(s);
  } else {
    cnet__chunk c = {data, len};
    do_write(s, len, &c, 1, cb, arg);
  }
  bool ret = s->length < s->hwm || s->length == 0;
  if (!ret) s->flags |= CNET__W_NEED_DRAIN;
  return ret && !(s->flags & (CNET__S_DESTROYED | CNET__S_ERRORED));
}

/* Node's _write(): errors for a stream that can no longer be written. */
static int write_checked(cnet__stream *s, const void *data, size_t len,
                         cnet_callback cb, void *arg, bool *ret) {
  cnet_error e;
  if (s->flags & CNET__W_ENDING)
    cnet_error_set(&e, CNET_ERR_STREAM_WRITE_AFTER_END, "write after end");
  else if (s->flags & CNET__S_DESTROYED)
    destroyed_error(&e, "write");
  else if (cb && !ext(s)) /* the callback's place (and its tick's) */
    cnet_error_set(&e, CNET_ENOMEM, "write: out of memory");
  else {
    s->pendingcb++;
    *ret = write_or_buffer(s, data, len, cb, arg);
    return 0;
  }
  tick_cb(s, cb, arg, &e);
  cnet__stream_error(s, &e);
  *ret = false;
  return e.code;
}

static void write_after_fin(cnet__stream *s, cnet_callback cb, void *arg) {
  cnet_error e;
  cnet_error_set(&e, CNET_EPIPE, "This socket has been ended by the other party");
  tick_cb(s, cb, arg, &e);
  cnet__stream_destroy(s, &e);
}

bool cnet__stream_write(cnet__stream *s, const void *data, size_t len,
                        cnet_callback cb, void *arg) {
  if ((s->flags & CNET__R_WRITE_AFTER_FIN) && (s->flags & CNET__W_ENDING)) {
    write_after_fin(s, cb, arg);
    return false;
  }
  bool ret;
  write_checked(s, data, len, cb, arg, &ret);
  return ret;
}

void cnet__stream_cork(cnet__stream *s) { s->corked++; }

void cnet__stream_uncork(cnet__stream *s) {
  if (!s->corked) return;
  s->corked--;
  if (s->flags & CNET__W_COALESCE)
    coalesced(s); /* the batch joins the turn's writes */
  else if (!(s->flags & CNET__W_WRITING))
    clear_buffer(s);
}

static void after_write(cnet__stream *s, unsigned count, cnet_callback cb,
                        void *arg);

struct after_write_tick {
  cnet__cb node;
  cnet__stream *s;
  cnet_callback cb;
  void *arg;
  unsigned count;
  bool is_info; /* Node's afterWriteTick (a write with a callback) */
};

static void run_after_write_tick(void *p) {
  struct after_write_tick *t = p;
  cnet__stream *s = t->s;
  /* Node clears the shared tick info here, whichever tick it was. */
  if (t->is_info && s->x) s->x->tick_info = NULL;
  after_write(s, t->count, t->cb, t->arg);
  free(t);
  cnet__stream_unref(s);
}

static struct after_write_tick *after_write_tick_new(cnet__stream *s,
                                                     cnet_callback cb,
                                                     void *arg) {
  struct after_write_tick *t = malloc(sizeof *t);
  if (!t) return NULL;
  t->node.fn = run_after_write_tick;
  t->node.arg = t;
  t->node.pooled = false;
  t->s = s;
  t->cb = cb;
  t->arg = arg;
  t->count = 1;
  t->is_info = cb != NULL;
  s->refs++;
  cnet__tick(s->h.loop, &t->node);
  return t;
}

static void onwrite_error(cnet__stream *s, cnet_callback cb, void *arg,
                          const cnet_error *err);

struct onwrite_error_tick {
  cnet__cb node;
  cnet__stream *s;
  cnet_callback cb;
  void *arg;
  cnet_error err;
};

static void run_onwrite_error(void *p) {
  struct onwrite_error_tick *t = p;
  cnet__stream *s = t->s;
  onwrite_error(s, t->cb, t->arg, &t->err);
  free(t);
  cnet__stream_unref(s);
}

static void error_buffer(cnet__stream *s);

static void onwrite_error(cnet__stream *s, cnet_callback cb, void *arg,
                          const cnet_error *err) {
  s->pendingcb--;
  if (cb) cb(s, err, arg);
  error_buffer(s);
  cnet__stream_error(s, err);
}

/* The callback of a writev of buffered writes: arg is their list, whose
 * callbacks run in order. Each batch carries its own list, so a batch
 * that completed at once and waits for its tick is never confused with
 * the next one. */
static void batch_cb(void *object, const cnet_error *err, void *arg) {
  cnet__stream *s = object;
  struct cnet__wreq *w = arg;
  while (w) {
    struct cnet__wreq *next = w->next;
    if (w->cb) w->cb(s, err, w->arg);
    free(w);
    w = next;
  }
}

void cnet__stream_onwrite(cnet__stream *s, const cnet_error *err) {
  if (!(s->flags & CNET__W_EXPECT_CB)) {
    cnet_error e;
    cnet_error_set(&e, CNET_ERR_MULTIPLE_CALLBACK, "Callback called multiple times");
    cnet__stream_error(s, &e);
    return;
  }
  bool sync = s->flags & CNET__W_SYNC;
  cnet_callback cb = NULL;
  void *arg = NULL;
  if (s->x) {
    cb = s->x->writecb;
    arg = s->x->writecb_arg;
    s->x->writecb = NULL;
    s->x->writecb_arg = NULL;
  }
  s->flags &= ~(CNET__W_WRITING | CNET__W_EXPECT_CB);
  s->length -= s->writelen;
  s->writelen = 0;

  if (err) {
    set_errored(s, err);
    if (sync) {
      struct onwrite_error_tick *t = malloc(sizeof *t);
      if (!t) return;
      t->node.fn = run_onwrite_error;
      t->node.arg = t;
      t->node.pooled = false;
      t->s = s;
      t->cb = cb;
      t->arg = arg;
      t->err = *err;
      s->refs++;
      cnet__tick(s->h.loop, &t->node);
    } else {
      onwrite_error(s, cb, arg, err);
    }
    return;
  }
  if (s->buf) clear_buffer(s);
  if (!sync) {
    after_write(s, 1, cb, arg);
    return;
  }
  bool need_drain = (s->flags & CNET__W_NEED_DRAIN) && s->length == 0;
  /* Node tests `kState & kDestroyed !== 0`, which by precedence is bit 0
   * (object mode): never set for byte streams. */
  bool need_tick = need_drain || cb != NULL;
  struct after_write_tick *info = s->x ? s->x->tick_info : NULL;
  if (!cb) {
    if (!(s->flags & CNET__W_AFTER_WRITE_PENDING) && need_tick) {
      if (after_write_tick_new(s, NULL, NULL))
        s->flags |= CNET__W_AFTER_WRITE_PENDING;
    } else {
      s->pendingcb--;
      if (s->flags & CNET__W_ENDING) finish_maybe(s, true);
    }
  } else if (info && info->cb == cb && info->arg == arg) {
    info->count++;
  } else {
    struct after_write_tick *t = after_write_tick_new(s, cb, arg);
    if (t && ext(s)) s->x->tick_info = t;
    s->flags |= CNET__W_AFTER_WRITE_PENDING;
  }
}

static void after_write(cnet__stream *s, unsigned count, cnet_callback cb,
                        void *arg) {
  s->flags &= ~CNET__W_AFTER_WRITE_PENDING;
  bool need_drain =
      (s->flags & (CNET__W_ENDING | CNET__W_NEED_DRAIN | CNET__S_DESTROYED)) ==
          CNET__W_NEED_DRAIN &&
      s->length == 0;
  if (need_drain) {
    s->flags &= ~CNET__W_NEED_DRAIN;
    emit_simple(s, CNET_EV_DRAIN);
  }
  while (count-- > 0) {
    s->pendingcb--;
    if (cb) cb(s, NULL, arg);
  }
  if (s->flags & CNET__S_DESTROYED) error_buffer(s);
  if (s->flags & CNET__W_ENDING) finish_maybe(s, true);
}

static void error_buffer(cnet__stream *s) {
  if (s->flags & CNET__W_WRITING) return;
  cnet_error e;
  destroyed_error(&e, "write");
  const cnet_error *err = cnet__stream_errored(s) ? cnet__stream_errored(s) : &e;
  cnet_error copy = *err;
  struct cnet__wreq *w = buf_take_all(s);
  while (w) {
    struct cnet__wreq *next = w->next;
    s->length -= w->len;
    if (w->cb) w->cb(s, &copy, w->arg);
    free(w);
    w = next;
  }
  cnet_error end_err;
  destroyed_error(&end_err, "end");
  call_finished_callbacks(s, cnet__stream_errored(s) ? cnet__stream_errored(s) : &end_err);
}

bool cnet__stream_writes_follow(const cnet__stream *s) {
  return !(s->flags & (CNET__S_DESTROYED | CNET__W_BUFFER_PROCESSING)) && !s->corked &&
         s->buf;
}

static void clear_buffer(cnet__stream *s) {
  if (!cnet__stream_writes_follow(s)) return;
  s->flags |= CNET__W_BUFFER_PROCESSING;
  size_t count = 0;
  for (struct cnet__wreq *w = s->buf->next;; w = w->next) {
    count++;
    if (w == s->buf) break;
  }
  cnet__chunk stack[64];
  cnet__chunk *chunks = count <= 64 ? stack
                        : count > 1 ? malloc(count * sizeof *chunks) : NULL;
  if (count > 1 && chunks) {
    /* Node's _writev path: every buffered write in one call, however
     * many there are (the implementation splits them for the kernel). */
    struct cnet__wreq *batch = buf_take_all(s), *w = batch;
    size_t total = 0;
    bool any_cb = false;
    for (size_t i = 0; i < count; i++, w = w->next) {
      chunks[i] = (cnet__chunk){w->data, w->len};
      total += w->len;
      any_cb |= w->cb != NULL;
    }
    s->pendingcb -= (int32_t)(count - 1);
    if (any_cb && ext(s)) {
      do_write(s, total, chunks, count, batch_cb, batch);
    } else {
      do_write(s, total, chunks, count, NULL, NULL);
      while (batch) {
        struct cnet__wreq *next = batch->next;
        free(batch);
        batch = next;
      }
    }
    if (chunks != stack) free(chunks);
  } else {
    do {
      struct cnet__wreq *w = buf_shift(s);
      cnet__chunk c = {w->data, w->len};
      do_write(s, w->len, &c, 1, w->cb, w->arg);
      free(w);
    } while (s->buf && !(s->flags & CNET__W_WRITING));
  }
  s->flags &= ~CNET__W_BUFFER_PROCESSING;
}

static bool need_finish(const cnet__stream *s) {
  const uint32_t mask = CNET__W_ENDING | CNET__S_DESTROYED | CNET__W_FINISHED |
                        CNET__W_WRITING | CNET__S_ERROR_EMITTED |
                        CNET__S_CLOSE_EMITTED | CNET__S_ERRORED;
  return (s->flags & mask) == CNET__W_ENDING && !s->buf && s->length == 0;
}

static void finish(cnet__stream *s) {
  s->pendingcb--;
  s->flags |= CNET__W_FINISHED;
  call_finished_callbacks(s, NULL);
  emit_simple(s, CNET_EV_FINISH);
  /* autoDestroy: once the readable side is done too. */
  if ((s->flags & CNET__R_END_EMITTED) || (s->flags & CNET__R_NOT_READABLE))
    cnet__stream_destroy(s, NULL);
}

static void finish_tick(cnet__stream *s) { finish(s); }

static void finish_if_needed_tick(cnet__stream *s) {
  if (need_finish(s))
    finish(s);
  else
    s->pendingcb--;
}

void cnet__stream_onfinal(cnet__stream *s, const cnet_error *err) {
  if (s->flags & CNET__W_PREFINISHED) {
    cnet_error e;
    if (!err) {
      cnet_error_set(&e, CNET_ERR_MULTIPLE_CALLBACK, "Callback called multiple times");
      err = &e;
    }
    cnet__stream_error(s, err);
    return;
  }
  s->pendingcb--;
  if (err) {
    call_finished_callbacks(s, err);
    cnet__stream_error(s, err);
  } else if (need_finish(s)) {
    s->flags |= CNET__W_PREFINISHED;
    s->pendingcb++;
    cnet__stream_tick(s, finish_tick);
  }
}

static void prefinish(cnet__stream *s) {
  if (s->flags & (CNET__W_PREFINISHED | CNET__W_FINAL_CALLED)) return;
  if (CNET__VT(s)->final && !(s->flags & CNET__S_DESTROYED)) {
    s->flags |= CNET__W_FINAL_CALLED | CNET__W_SYNC;
    s->pendingcb++;
    CNET__VT(s)->final(s);
    s->flags &= ~CNET__W_SYNC;
  } else {
    s->flags |= CNET__W_FINAL_CALLED | CNET__W_PREFINISHED;
  }
}

static void finish_maybe(cnet__stream *s, bool sync) {
  if (!need_finish(s)) return;
  prefinish(s);
  if (s->pendingcb != 0) return;
  if (sync) {
    s->pendingcb++;
    cnet__stream_tick(s, finish_if_needed_tick);
  } else if (need_finish(s)) {
    s->pendingcb++;
    finish(s);
  }
}

void cnet__stream_end(cnet__stream *s, const void *data, size_t len,
                      cnet_callback cb, void *arg) {
  cnet_error e;
  bool have_err = false;
  if (data) {
    bool ret;
    if ((s->flags & CNET__R_WRITE_AFTER_FIN) && (s->flags & CNET__W_ENDING)) {
      write_after_fin(s, NULL, NULL);
    } else if (write_checked(s, data, len, NULL, NULL, &ret) != 0) {
      /* The write's error, again for the end callback. */
      if (s->flags & CNET__W_ENDING)
        cnet_error_set(&e, CNET_ERR_STREAM_WRITE_AFTER_END, "write after end");
      else
        destroyed_error(&e, "write");
      have_err = true;
    }
  }
  if (s->corked) {
    s->corked = 1;
    cnet__stream_uncork(s);
  }
  if (have_err) {
  } else if (!(s->flags & (CNET__W_ENDING | CNET__S_ERRORED))) {
    s->flags |= CNET__W_ENDING;
    finish_maybe(s, true);
    s->flags |= CNET__W_ENDED;
  } else if (s->flags & CNET__W_FINISHED) {
    cnet_error_set(&e, CNET_ERR_STREAM_ALREADY_FINISHED,
                   "Cannot call end after a stream was finished");
    have_err = true;
  } else if (s->flags & CNET__S_DESTROYED) {
    destroyed_error(&e, "end");
    have_err = true;
  }
  if (!cb) return;
  if (have_err) {
    tick_cb(s, cb, arg, &e);
  } else if (s->flags & CNET__S_ERRORED) {
    tick_cb(s, cb, arg, cnet__stream_errored(s));
  } else if (s->flags & CNET__W_FINISHED) {
    tick_cb(s, cb, arg, NULL);
  } else if (ext(s)) {
    struct cnet__finish_cb *f = malloc(sizeof *f), **p = &s->x->on_finished;
    if (!f) return;
    f->next = NULL;
    f->cb = cb;
    f->arg = arg;
    while (*p) p = &(*p)->next;
    *p = f;
  }
}

ssize_t cnet__chunks_writev(const cnet__chunk *chunks, size_t n, size_t total,
                            ssize_t (*fn)(void *ctx, struct iovec *iov, int cnt),
                            void *ctx) {
  struct iovec stack[64];
  size_t cap = n < CNET__IOV_MAX ? n : CNET__IOV_MAX;
  struct iovec *iov = cap <= 64 ? stack : malloc(cap * sizeof *iov);
  if (!iov) { /* out of memory: smaller pieces still make progress */
    iov = stack;
    cap = 64;
  }
  size_t done = 0, i = 0;
  while (done < total && i < n) {
    size_t cnt = 0, want = 0;
    for (; cnt < cap && i + cnt < n; cnt++) {
      iov[cnt].iov_base = (void *)chunks[i + cnt].base;
      iov[cnt].iov_len = chunks[i + cnt].len;
      want += chunks[i + cnt].len;
    }
    ssize_t w = want ? fn(ctx, iov, (int)cnt) : 0;
    if (w < 0) {
      if (done == 0 && errno != EAGAIN && errno != EWOULDBLOCK) {
        int saved = errno;
        if (iov != stack) free(iov);
        errno = saved;
        return -1;
      }
      break;
    }
    done += (size_t)w;
    i += cnt;
    if ((size_t)w < want) break;
  }
  if (iov != stack) free(iov);
  return (ssize_t)done;
}

char *cnet__chunks_rest(const cnet__chunk *chunks, size_t n, size_t total,
                        size_t done) {
  char *rest = malloc(total - done ? total - done : 1);
  if (!rest) return NULL;
  size_t off = 0, skip = done;
  for (size_t i = 0; i < n; i++) {
    size_t len = chunks[i].len;
    if (skip >= len) {
      skip -= len;
      continue;
    }
    memcpy(rest + off, chunks[i].base + skip, len - skip);
    off += len - skip;
    skip = 0;
  }
  return rest;
}

/* ---- Readable ------------------------------------------------------------- */

bool cnet__stream_readable(const cnet__stream *s) {
  return !(s->flags & (CNET__R_NOT_READABLE | CNET__S_DESTROYED |
                       CNET__S_ERRORED | CNET__R_END_EMITTED));
}

bool cnet__stream_is_paused(const cnet__stream *s) {
  return (s->flags & CNET__R_PAUSED) ||
         (s->flags & (CNET__R_HAS_FLOWING | CNET__R_FLOWING)) ==
             CNET__R_HAS_FLOWING;
}

static void emit_data(cnet__stream *s, const char *data, size_t len) {
  cnet_event ev = {.type = CNET_EV_DATA, .data = data, .len = len};
  cnet_emit(s, &ev);
}

void cnet__stream_push(cnet__stream *s, const char *data, size_t len) {
  if (len == 0) return;
  if (s->flags & CNET__R_ENDED) {
    cnet_error e;
    cnet_error_set(&e, CNET_ERR_STREAM_PUSH_AFTER_EOF, "stream.push() after EOF");
    cnet__stream_error(s, &e);
    return;
  }
  if (s->flags & (CNET__S_DESTROYED | CNET__S_ERRORED)) return;
  if (s->x && s->x->has_decoder) {
    cnet_string_decoder *d = &s->x->decoder;
    size_t cap = cnet_string_decoder_max_out(d, len);
    char stack[4096];
    char *out = cap <= sizeof stack ? stack : malloc(cap);
    if (!out) return;
    size_t n = cnet_string_decoder_write(d, data, len, out);
    if (n) emit_data(s, out, n);
    if (out != stack) free(out);
    return;
  }
  emit_data(s, data, len);
}

static void end_writable_tick(cnet__stream *s) {
  if (cnet__stream_writable(s) && !(s->flags & CNET__W_ENDING) &&
      !(s->flags & CNET__S_DESTROYED))
    cnet__stream_end(s, NULL, 0, NULL, NULL);
}

static void end_readable_tick(cnet__stream *s) {
  s->flags &= ~CNET__R_END_SCHEDULED;
  if (s->flags & (CNET__S_ERRORED | CNET__S_CLOSE_EMITTED | CNET__R_END_EMITTED))
    return;
  s->flags |= CNET__R_END_EMITTED;
  if (!(s->flags & CNET__S_ALLOW_HALF_OPEN)) s->flags |= CNET__R_WRITE_AFTER_FIN;
  emit_simple(s, CNET_EV_END);
  if (cnet__stream_writable(s) && !(s->flags & CNET__S_ALLOW_HALF_OPEN)) {
    cnet__stream_tick(s, end_writable_tick);
  } else if ((s->flags & CNET__W_FINISHED) || (s->flags & CNET__W_NOT_WRITABLE)) {
    cnet__stream_destroy(s, NULL);
  }
}

static void end_readable(cnet__stream *s) {
  if (s->flags & (CNET__R_END_EMITTED | CNET__R_END_SCHEDULED)) return;
  s->flags |= CNET__R_ENDED | CNET__R_END_SCHEDULED;
  cnet__stream_tick(s, end_readable_tick);
}

void cnet__stream_push_eof(cnet__stream *s) {
  if (s->flags & (CNET__R_END_EMITTED | CNET__R_ENDED)) return;
  s->flags |= CNET__R_ENDED;
  /* onEofChunk: a character left in the decoder becomes data. Node
   * buffers it when nobody reads and ends only once it is consumed;
   * cnet keeps it until the stream flows. */
  if (s->x && s->x->has_decoder) {
    size_t n = cnet_string_decoder_end(&s->x->decoder, s->x->tail);
    if (n && !(s->flags & CNET__R_FLOWING)) {
      s->x->tail_len = (uint8_t)n;
      return;
    }
    if (n) emit_data(s, s->x->tail, n);
  }
  /* With nothing unread, 'end' follows whether or not the stream flows. */
  end_readable(s);
}

static void resume_tick(cnet__stream *s) {
  s->flags &= ~CNET__R_RESUME_SCHEDULED;
  if (s->flags & CNET__S_DESTROYED) return;
  if ((s->flags & CNET__R_FLOWING) && CNET__VT(s)->read_start &&
      !(s->flags & CNET__R_ENDED))
    CNET__VT(s)->read_start(s);
  emit_simple(s, CNET_EV_RESUME);
  if ((s->flags & CNET__R_FLOWING) && s->x && s->x->tail_len) {
    uint8_t n = s->x->tail_len;
    s->x->tail_len = 0;
    emit_data(s, s->x->tail, n);
    end_readable(s);
  }
}

void cnet__stream_resume(cnet__stream *s) {
  if (!(s->flags & CNET__R_FLOWING)) {
    s->flags |= CNET__R_HAS_FLOWING | CNET__R_FLOWING;
    if (!(s->flags & CNET__R_RESUME_SCHEDULED)) {
      s->flags |= CNET__R_RESUME_SCHEDULED;
      cnet__stream_tick(s, resume_tick);
    }
  }
  s->flags &= ~CNET__R_PAUSED;
}

void cnet__stream_pause(cnet__stream *s) {
  if ((s->flags & (CNET__R_HAS_FLOWING | CNET__R_FLOWING)) != CNET__R_HAS_FLOWING) {
    s->flags |= CNET__R_HAS_FLOWING;
    s->flags &= ~CNET__R_FLOWING;
    /* cnet stops reading at once: paused data stays in the kernel. */
    if (CNET__VT(s)->read_stop) CNET__VT(s)->read_stop(s);
    emit_simple(s, CNET_EV_PAUSE);
  }
  s->flags |= CNET__R_PAUSED;
}

bool cnet__stream_decoding(const cnet__stream *s) { return s->x && s->x->has_decoder; }

const char *cnet__stream_encoding(const cnet__stream *s) {
  return cnet__stream_decoding(s) ? cnet_encoding_name(s->x->decoder.encoding)
                                  : NULL;
}

int cnet__stream_set_encoding(cnet__stream *s, const char *encoding) {
  int enc = cnet_encoding_parse(encoding ? encoding : "utf8");
  if (enc < 0) return enc;
  struct cnet__stream_x *x = ext(s);
  if (!x) return CNET_ENOMEM;
  if (enc == CNET_ENC_BUFFER) {
    x->has_decoder = false;
    return 0;
  }
  cnet_string_decoder_init(&x->decoder, (cnet_encoding)enc);
  x->has_decoder = true;
  return 0;
}

/* ---- destroy ----------------------------------------------------------------- */

static void emit_error_tick(cnet__stream *s) {
  if (!(s->flags & CNET__S_ERROR_EMITTED) && cnet__stream_errored(s)) {
    s->flags |= CNET__S_ERROR_EMITTED;
    cnet_error copy = *cnet__stream_errored(s);
    cnet_event ev = {.type = CNET_EV_ERROR, .error = &copy};
    cnet_emit(s, &ev);
  }
}

static void emit_close_tick(cnet__stream *s) {
  s->flags |= CNET__S_CLOSE_EMITTED;
  if (s->flags & CNET__S_EMIT_CLOSE) {
    cnet_event ev = {.type = CNET_EV_CLOSE};
    cnet_emit(s, &ev);
  }
}

static void emit_error_close_tick(cnet__stream *s) {
  emit_error_tick(s);
  emit_close_tick(s);
}

void cnet__stream_ondestroy(cnet__stream *s, const cnet_error *err) {
  if (s->flags & CNET__S_CLOSED) return;
  set_errored(s, err);
  s->flags |= CNET__S_CLOSED;
  cnet__stream_tick(s, err ? emit_error_close_tick : emit_close_tick);
}

static void error_buffer_tick(cnet__stream *s) { error_buffer(s); }

void cnet__stream_destroy(cnet__stream *s, const cnet_error *err) {
  if (s->flags & CNET__S_DESTROYED) return;
  /* Writable.prototype.destroy: pending write and end callbacks get their
   * error on the next tick. */
  if (s->buf || (s->x && s->x->on_finished))
    cnet__stream_tick(s, error_buffer_tick);
  set_errored(s, err);
  s->flags |= CNET__S_DESTROYED;
  CNET__VT(s)->destroy(s, err ? cnet__stream_errored(s) : NULL);
}
