/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* Readable.prototype.pipe and unpipe (cnet_pipe, cnet_unpipe), Node's
 * function closure by closure: each pipe() call makes a record (Node's
 * closure: ondata, onend, onunpipe, onerror, onclose, onfinish, ondrain,
 * cleanup), and each piped source has a cnet__pipe_state holding what
 * Node keeps in the source's ReadableState (pipes, awaitDrainWriters,
 * multiAwaitDrain), which the core keeps for it on the source. A socket
 * piped into a file write stream may go through the kernel
 * (src/splice.c): pipe() tells that engine of each destination added or
 * removed. */
#include "errors.h"
#include "stream.h"
#include "splice.h"

#include <stdlib.h>
#include <string.h>

#include "cnet/stream.h"

/* ---- pipe state ------------------------------------------------------------ */

/* What Node keeps in the source's ReadableState for pipe(). */
struct cnet__pipe_state {
  cnet__stream *src;
  cnet__stream **pipes;  /* state.pipes, in order; a dest may repeat */
  size_t npipes, cap;
  /* awaitDrainWriters: null, one dest, or (multiAwaitDrain) a set. */
  bool multi;
  cnet__stream *await_one;
  cnet__stream **await_set;
  size_t await_n, await_cap;
  struct pipe_rec **recs; /* records not cleaned up yet */
  size_t nrecs, rcap;
  unsigned ticks; /* record releases still queued */
  bool closing;   /* src emitted 'close' ... */
  bool closed;    /* ... and the tick after it ran: free once unused */
};

/* One pipe() call: Node's closure. */
struct pipe_rec {
  struct cnet__pipe_state *ps;
  cnet_loop *loop;
  cnet__stream *src, *dst;
  bool do_end;
  bool ondrain_added;
  bool cleaned_up;
  unsigned refs; /* ticks that use the record, and "not yet cleaned up" */
};

/* Node's unpipeInfo. */
struct unpipe_info {
  uint32_t magic;
  bool has_unpiped;
};
#define UNPIPE_MAGIC 0x756e7069u

static bool push_ptr(cnet__stream ***v, size_t *n, size_t *cap, cnet__stream *x) {
  if (*n == *cap) {
    size_t ncap = *cap ? *cap * 2 : 4;
    cnet__stream **nv = realloc(*v, ncap * sizeof *nv);
    if (!nv) return false;
    *v = nv;
    *cap = ncap;
  }
  (*v)[(*n)++] = x;
  return true;
}

static void remove_at(cnet__stream **v, size_t *n, size_t i) {
  memmove(&v[i], &v[i + 1], (*n - i - 1) * sizeof *v);
  (*n)--;
}

static bool push_rec(struct cnet__pipe_state *ps, struct pipe_rec *rec) {
  if (ps->nrecs == ps->rcap) {
    size_t ncap = ps->rcap ? ps->rcap * 2 : 4;
    struct pipe_rec **nv = realloc(ps->recs, ncap * sizeof *nv);
    if (!nv) return false;
    ps->recs = nv;
    ps->rcap = ncap;
  }
  ps->recs[ps->nrecs++] = rec;
  return true;
}

static bool await_has(const struct cnet__pipe_state *ps, const cnet__stream *d) {
  for (size_t i = 0; i < ps->await_n; i++)
    if (ps->await_set[i] == d) return true;
  return false;
}

/* awaitDrainWriters is "truthy": a dest, or a set (even an empty one). */
static bool await_truthy(const struct cnet__pipe_state *ps) {
  return ps->multi || ps->await_one;
}

/* ---- records ------------------------------------------------------------------ */

static void rec_unref(struct pipe_rec *rec) {
  if (--rec->refs == 0) free(rec);
}

/* A record may still be in a listener list an emit is walking when it is
 * cleaned up (cnet, like Node, calls listeners removed during an emit):
 * it is freed on a later tick, after any such emit has returned. */
static void ps_maybe_free(struct cnet__pipe_state *ps);

static void rec_release_tick(void *arg) {
  struct pipe_rec *rec = arg;
  struct cnet__pipe_state *ps = rec->ps;
  ps->ticks--;
  rec_unref(rec);
  ps_maybe_free(ps);
}

static void rec_release(struct pipe_rec *rec) {
  struct cnet__pipe_state *ps = rec->ps;
  for (size_t i = 0; i < ps->nrecs; i++)
    if (ps->recs[i] == rec) {
      memmove(&ps->recs[i], &ps->recs[i + 1], (ps->nrecs - i - 1) * sizeof *ps->recs);
      ps->nrecs--;
      break;
    }
  /* Out of memory: keeping the record is safer than freeing it. */
  if (cnet_next_tick(rec->loop, rec_release_tick, rec) == 0) ps->ticks++;
}

static void ondata(const cnet_event *ev, void *arg);
static void onend(const cnet_event *ev, void *arg);
static void onend_unpipe(const cnet_event *ev, void *arg);
static void onunpipe(const cnet_event *ev, void *arg);
static void onerror(const cnet_event *ev, void *arg);
static void onclose(const cnet_event *ev, void *arg);
static void onfinish(const cnet_event *ev, void *arg);
static void ondrain(const cnet_event *ev, void *arg);
static void src_closed(const cnet_event *ev, void *arg);

static bool need_drain(const cnet__stream *d) {
  return (d->flags & CNET__W_NEED_DRAIN) != 0;
}

/* Node's pipeOnDrain. */
static void pipe_on_drain(struct pipe_rec *rec) {
  struct cnet__pipe_state *ps = rec->ps;
  cnet__stream *src = rec->src;
  if (!ps->multi && ps->await_one == rec->dst) {
    ps->await_one = NULL;
  } else if (ps->multi) {
    for (size_t i = 0; i < ps->await_n; i++)
      if (ps->await_set[i] == rec->dst) {
        remove_at(ps->await_set, &ps->await_n, i);
        break;
      }
  }
  bool empty = ps->multi ? ps->await_n == 0 : ps->await_one == NULL;
  if (empty && (src->flags & CNET__R_DATA_LISTENING)) cnet__stream_resume(src);
}

/* Takes the record's listeners off both streams. */
static void remove_listeners(struct pipe_rec *rec) {
  cnet__stream *src = rec->src, *dst = rec->dst;
  cnet_off(dst, CNET_EV_CLOSE, onclose, rec);
  cnet_off(dst, CNET_EV_FINISH, onfinish, rec);
  if (rec->ondrain_added) cnet_off(dst, CNET_EV_DRAIN, ondrain, rec);
  cnet_off(dst, CNET_EV_ERROR, onerror, rec);
  cnet_off(dst, CNET_EV_UNPIPE, onunpipe, rec);
  cnet_off(src, CNET_EV_END, onend, rec);
  cnet_off(src, CNET_EV_END, onend_unpipe, rec);
  cnet_off(src, CNET_EV_DATA, ondata, rec);
  cnet__stream_data_listener_removed(src);
  rec->cleaned_up = true;
}

static void cleanup(struct pipe_rec *rec) {
  remove_listeners(rec);
  cnet__stream *dst = rec->dst;
  if (rec->ondrain_added && await_truthy(rec->ps) && need_drain(dst))
    pipe_on_drain(rec);
  rec_release(rec);
}

/* Node's pause() inside pipe(). */
static void pipe_pause(struct pipe_rec *rec) {
  struct cnet__pipe_state *ps = rec->ps;
  if (!rec->cleaned_up) {
    if (ps->npipes == 1 && ps->pipes[0] == rec->dst) {
      ps->await_one = rec->dst;
      ps->multi = false;
      ps->await_n = 0;
    } else if (ps->npipes > 1) {
      bool piped = false;
      for (size_t i = 0; i < ps->npipes && !piped; i++) piped = ps->pipes[i] == rec->dst;
      if (piped && ps->multi && !await_has(ps, rec->dst))
        push_ptr(&ps->await_set, &ps->await_n, &ps->await_cap, rec->dst);
    }
    cnet__stream_pause(rec->src);
  }
  if (!rec->ondrain_added) {
    rec->ondrain_added = true;
    cnet_on(rec->dst, CNET_EV_DRAIN, ondrain, rec);
  }
}

static void ondata(const cnet_event *ev, void *arg) {
  struct pipe_rec *rec = arg;
  if (rec->cleaned_up) return; /* removed during this emit */
  if (!cnet__stream_write(rec->dst, ev->data, ev->len, NULL, NULL)) pipe_pause(rec);
}

static void ondrain(const cnet_event *ev, void *arg) {
  (void)ev;
  struct pipe_rec *rec = arg;
  if (rec->cleaned_up) return;
  pipe_on_drain(rec);
}

static void onend(const cnet_event *ev, void *arg) {
  (void)ev;
  struct pipe_rec *rec = arg;
  if (rec->cleaned_up) return;
  cnet__stream_end(rec->dst, NULL, 0, NULL, NULL);
}

static void onend_unpipe(const cnet_event *ev, void *arg) {
  (void)ev;
  struct pipe_rec *rec = arg;
  if (rec->cleaned_up) return;
  cnet_unpipe(rec->src, rec->dst);
}

static void end_tick(void *arg) {
  struct pipe_rec *rec = arg;
  if (!rec->cleaned_up) {
    if (rec->do_end)
      cnet__stream_end(rec->dst, NULL, 0, NULL, NULL);
    else
      cnet_unpipe(rec->src, rec->dst);
  }
  rec_unref(rec);
}

static void onunpipe(const cnet_event *ev, void *arg) {
  struct pipe_rec *rec = arg;
  struct unpipe_info *info = ev->value;
  if (rec->cleaned_up || ev->object != rec->src) return;
  if (info && info->magic == UNPIPE_MAGIC && !info->has_unpiped) {
    info->has_unpiped = true;
    cleanup(rec);
  }
}

static void onerror(const cnet_event *ev, void *arg) {
  struct pipe_rec *rec = arg;
  if (rec->cleaned_up) return;
  cnet__stream *dst = rec->dst;
  cnet_error err = *ev->error;
  cnet_unpipe(rec->src, dst);
  cnet_off(dst, CNET_EV_ERROR, onerror, rec);
  if (cnet_listener_count(dst, CNET_EV_ERROR) == 0) {
    if (!(dst->flags & CNET__S_ERROR_EMITTED)) {
      cnet__stream_error(dst, &err);
    } else {
      /* Node rethrows it; cnet reports it as any unhandled 'error'. */
      cnet_event again = {.type = CNET_EV_ERROR, .error = &err};
      cnet_emit(dst, &again);
    }
  }
}

static void onclose(const cnet_event *ev, void *arg) {
  (void)ev;
  struct pipe_rec *rec = arg;
  if (rec->cleaned_up) return;
  cnet_off(rec->dst, CNET_EV_FINISH, onfinish, rec);
  cnet_unpipe(rec->src, rec->dst);
}

static void onfinish(const cnet_event *ev, void *arg) {
  (void)ev;
  struct pipe_rec *rec = arg;
  if (rec->cleaned_up) return;
  cnet_off(rec->dst, CNET_EV_CLOSE, onclose, rec);
  cnet_unpipe(rec->src, rec->dst);
}

/* ---- the source's pipe state ------------------------------------------------ */

static struct cnet__pipe_state *pipe_src_get(cnet__stream *src) {
  struct cnet__pipe_state *ps = cnet__stream_pipe_state(src);
  if (ps) return ps;
  ps = calloc(1, sizeof *ps);
  if (!ps) return NULL;
  ps->src = src;
  if (!cnet__stream_set_pipe_state(src, ps)) {
    free(ps);
    return NULL;
  }
  if (cnet_on(src, CNET_EV_CLOSE, src_closed, ps) != 0) {
    cnet__stream_set_pipe_state(src, NULL);
    free(ps);
    return NULL;
  }
  cnet__stream_ref(src);
  return ps;
}

/* The source's pipe state goes once the source has closed and no record
 * needs it. */
static void ps_maybe_free(struct cnet__pipe_state *ps) {
  if (!ps->closed || ps->nrecs || ps->ticks) return;
  cnet__stream *src = ps->src;
  cnet__stream_set_pipe_state(src, NULL);
  cnet_off(src, CNET_EV_CLOSE, src_closed, ps);
  free(ps->pipes);
  free(ps->recs);
  free(ps->await_set);
  free(ps);
  cnet__stream_unref(src);
}

/* The source emitted 'close'. After 'end' its pipes finish as in Node
 * (each destination was ended or unpiped and unpipes on 'finish'). A
 * source that closed without 'end' (an error, a destroy) never will:
 * Node leaves its pipes in place until each destination finishes or
 * closes, holding the source; cnet takes them down now, without
 * 'unpipe', so that nothing keeps a dead source. */
static void src_closed_tick(cnet__stream *src) {
  struct cnet__pipe_state *ps = cnet__stream_pipe_state(src);
  if (!ps) return;
  ps->closed = true;
  if (!(src->flags & CNET__R_END_EMITTED)) {
    while (ps->nrecs) {
      struct pipe_rec *rec = ps->recs[ps->nrecs - 1];
      remove_listeners(rec);
      rec_release(rec);
    }
    ps->npipes = 0;
  }
  ps_maybe_free(ps);
}

static void src_closed(const cnet_event *ev, void *arg) {
  (void)ev;
  struct cnet__pipe_state *ps = arg;
  cnet__splice_detach(ps->src, NULL, 0);
  if (ps->closing) return;
  ps->closing = true;
  cnet__stream_tick(ps->src, src_closed_tick);
}

/* ---- pipe / unpipe ---------------------------------------------------------- */

int cnet_pipe(void *src_obj, void *dst_obj, const cnet_pipe_options *opts) {
  cnet__stream *src = cnet__stream_of(src_obj), *dst = cnet__stream_of(dst_obj);
  if (!src || !dst) return cnet__fail(CNET_EINVAL, NULL);
  if (src->flags & CNET__S_CLOSE_EMITTED) return cnet__fail(CNET_ERR_STREAM_DESTROYED, NULL);
  if (!cnet__stream_has_readable(src)) return cnet__fail(CNET_ERR_STREAM_CANNOT_PIPE, NULL);
  if (!cnet__stream_has_writable(dst)) return cnet__fail(CNET_ERR_INVALID_ARG_TYPE, NULL);
  struct cnet__pipe_state *ps = pipe_src_get(src);
  if (!ps) return cnet__fail(CNET_ENOMEM, NULL);
  struct pipe_rec *rec = calloc(1, sizeof *rec);
  if (!rec || !push_rec(ps, rec)) {
    free(rec);
    return cnet__fail(CNET_ENOMEM, NULL);
  }
  if (ps->npipes == 1 && !ps->multi) {
    ps->multi = true;
    ps->await_n = 0;
    if (ps->await_one) push_ptr(&ps->await_set, &ps->await_n, &ps->await_cap, ps->await_one);
    ps->await_one = NULL;
  }
  rec->ps = ps;
  rec->loop = src->h.loop;
  if (!push_ptr(&ps->pipes, &ps->npipes, &ps->cap, dst)) {
    ps->nrecs--;
    free(rec);
    return cnet__fail(CNET_ENOMEM, NULL);
  }
  rec->src = src;
  rec->dst = dst;
  rec->refs = 1;
  rec->do_end = (!opts || opts->end) && !(CNET__VT(dst)->caps & CNET__CAP_PIPE_NO_END);
  if (src->flags & CNET__R_END_EMITTED) {
    rec->refs++;
    cnet_next_tick(src->h.loop, end_tick, rec);
  } else {
    cnet_once(src, CNET_EV_END, rec->do_end ? onend : onend_unpipe, rec);
  }
  cnet_on(dst, CNET_EV_UNPIPE, onunpipe, rec);
  cnet_on(src, CNET_EV_DATA, ondata, rec);
  cnet_prepend_listener(dst, CNET_EV_ERROR, onerror, rec);
  cnet_once(dst, CNET_EV_CLOSE, onclose, rec);
  cnet_once(dst, CNET_EV_FINISH, onfinish, rec);
  cnet_event ev = {.type = CNET_EV_PIPE, .object = src};
  cnet_emit(dst, &ev);
  if (rec->cleaned_up) return 0;
  /* socket -> file: through the kernel */
  cnet__splice_attach(src, dst, ps->npipes);
  if (cnet__stream_need_drain(dst))
    pipe_pause(rec);
  else if (!(src->flags & CNET__R_FLOWING))
    cnet__stream_resume(src);
  return 0;
}

static void emit_unpipe(cnet__stream *src, cnet__stream *dst) {
  struct unpipe_info info = {UNPIPE_MAGIC, false};
  cnet_event ev = {.type = CNET_EV_UNPIPE, .object = src, .value = &info};
  cnet__stream_ref(dst);
  cnet_emit(dst, &ev);
  cnet__stream_unref(dst);
}

int cnet_unpipe(void *src_obj, void *dst_obj) {
  cnet__stream *src = cnet__stream_of(src_obj);
  if (!src) return cnet__fail(CNET_EINVAL, NULL);
  struct cnet__pipe_state *ps = cnet__stream_pipe_state(src);
  if (!ps || ps->npipes == 0) return 0;
  cnet__stream_ref(src);
  if (!dst_obj) {
    cnet__stream **dests = ps->pipes;
    size_t n = ps->npipes;
    ps->pipes = NULL;
    ps->npipes = ps->cap = 0;
    cnet__splice_detach(src, NULL, 0);
    cnet__stream_pause(src);
    for (size_t i = 0; i < n; i++) emit_unpipe(src, dests[i]);
    free(dests);
  } else {
    cnet__stream *dst = cnet__stream_of(dst_obj);
    size_t i = 0;
    while (dst && i < ps->npipes && ps->pipes[i] != dst) i++;
    if (dst && i < ps->npipes) {
      remove_at(ps->pipes, &ps->npipes, i);
      cnet__splice_detach(src, dst, ps->npipes);
      if (ps->npipes == 0) cnet__stream_pause(src);
      emit_unpipe(src, dst);
    }
  }
  cnet__stream_unref(src);
  return 0;
}

size_t cnet_stream_pipe_count(const void *src_obj) {
  const cnet__stream *src = cnet__stream_of(src_obj);
  if (!src) return 0;
  struct cnet__pipe_state *ps = cnet__stream_pipe_state(src);
  return ps ? ps->npipes : 0;
}
