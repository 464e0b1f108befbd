/* The public stream API (cnet/stream.h): Node's Readable and Writable
 * methods on any cnet stream, and Readable.prototype.pipe / unpipe.
 *
 * pipe() is Node's function, closure by closure: each pipe() call makes a
 * record (Node's closure: ondata, onend, onunpipe, onerror, onclose,
 * onfinish, ondrain, cleanup), and each piped source has a pipe_src
 * holding what Node keeps in the source's ReadableState (pipes,
 * awaitDrainWriters, multiAwaitDrain). The core's stream struct has no
 * room for that, so pipe_srcs live in a table keyed by the source. */
#include "stream.h"
#include "splice.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "cnet/encoding.h"
#include "cnet/stream.h"

bool cnet_is_stream(const void *object) { return cnet__stream_of(object) != NULL; }

/* ---- Writable ------------------------------------------------------------ */

bool cnet_stream_write(void *stream, const void *data, size_t len,
                       cnet_callback cb, void *arg) {
  cnet__stream *s = cnet__stream_of(stream);
  if (!s || (!data && len) || !cnet__stream_has_writable(s)) return false;
  return cnet__stream_write(s, data, len, cb, arg);
}

bool cnet_stream_write_string(void *stream, const char *string,
                              const char *encoding, cnet_callback cb,
                              void *arg, int *err) {
  if (err) *err = 0;
  cnet__stream *s = cnet__stream_of(stream);
  if (!s || !string || !cnet__stream_has_writable(s)) {
    if (err) *err = CNET_EINVAL;
    return false;
  }
  int enc = cnet_encoding_parse(encoding);
  if (enc < 0) {
    if (err) *err = enc;
    return false;
  }
  size_t len = strlen(string);
  if (enc == CNET_ENC_UTF8 || enc == CNET_ENC_BUFFER)
    return cnet__stream_write(s, string, len, cb, arg);
  char stack[4096];
  size_t cap = cnet_buffer_from_string_max(len, (cnet_encoding)enc);
  char *buf = cap <= sizeof stack ? stack : malloc(cap);
  if (!buf) {
    if (err) *err = CNET_ENOMEM;
    return false;
  }
  size_t n = cnet_buffer_from_string(string, len, (cnet_encoding)enc, buf);
  bool ret = cnet__stream_write(s, buf, n, cb, arg);
  if (buf != stack) free(buf);
  return ret;
}

int cnet_stream_end(void *stream, const void *data, size_t len,
                    cnet_callback cb, void *arg) {
  cnet__stream *s = cnet__stream_of(stream);
  if (!s || (!data && len) || !cnet__stream_has_writable(s)) return CNET_EINVAL;
  cnet__stream_end(s, data, len, cb, arg);
  return 0;
}

int cnet_stream_cork(void *stream) {
  cnet__stream *s = cnet__stream_of(stream);
  if (!s || !cnet__stream_has_writable(s)) return CNET_EINVAL;
  cnet__stream_cork(s);
  return 0;
}

int cnet_stream_uncork(void *stream) {
  cnet__stream *s = cnet__stream_of(stream);
  if (!s || !cnet__stream_has_writable(s)) return CNET_EINVAL;
  cnet__stream_uncork(s);
  return 0;
}

bool cnet_stream_writable(const void *stream) {
  const cnet__stream *s = cnet__stream_of(stream);
  return s && cnet__stream_writable(s);
}

size_t cnet_stream_writable_length(const void *stream) {
  const cnet__stream *s = cnet__stream_of(stream);
  return s ? s->length : 0;
}

size_t cnet_stream_writable_high_water_mark(const void *stream) {
  const cnet__stream *s = cnet__stream_of(stream);
  return s ? s->hwm : 0;
}

bool cnet_stream_writable_need_drain(const void *stream) {
  const cnet__stream *s = cnet__stream_of(stream);
  if (!s || !cnet__stream_has_writable(s)) return false;
  return (s->flags & (CNET__S_DESTROYED | CNET__W_ENDING | CNET__W_NEED_DRAIN)) ==
         CNET__W_NEED_DRAIN;
}

bool cnet_stream_writable_ended(const void *stream) {
  const cnet__stream *s = cnet__stream_of(stream);
  return s && (s->flags & CNET__W_ENDING);
}

bool cnet_stream_writable_finished(const void *stream) {
  const cnet__stream *s = cnet__stream_of(stream);
  return s && (s->flags & CNET__W_FINISHED);
}

unsigned cnet_stream_writable_corked(const void *stream) {
  const cnet__stream *s = cnet__stream_of(stream);
  return s ? s->corked : 0;
}

/* ---- Readable ------------------------------------------------------------ */

int cnet_stream_pause(void *stream) {
  cnet__stream *s = cnet__stream_of(stream);
  if (!s || !cnet__stream_has_readable(s)) return CNET_EINVAL;
  cnet__stream_pause(s);
  return 0;
}

int cnet_stream_resume(void *stream) {
  cnet__stream *s = cnet__stream_of(stream);
  if (!s || !cnet__stream_has_readable(s)) return CNET_EINVAL;
  cnet__stream_resume(s);
  return 0;
}

bool cnet_stream_is_paused(const void *stream) {
  const cnet__stream *s = cnet__stream_of(stream);
  return s && cnet__stream_is_paused(s);
}

int cnet_stream_set_encoding(void *stream, const char *encoding) {
  cnet__stream *s = cnet__stream_of(stream);
  if (!s || !cnet__stream_has_readable(s)) return CNET_EINVAL;
  return cnet__stream_set_encoding(s, encoding);
}

bool cnet_stream_readable(const void *stream) {
  const cnet__stream *s = cnet__stream_of(stream);
  return s && !(s->flags & (CNET__R_NOT_READABLE | CNET__S_DESTROYED |
                            CNET__S_ERROR_EMITTED | CNET__R_END_EMITTED));
}

int cnet_stream_readable_flowing(const void *stream) {
  const cnet__stream *s = cnet__stream_of(stream);
  if (!s || !(s->flags & CNET__R_HAS_FLOWING)) return -1;
  return (s->flags & CNET__R_FLOWING) ? 1 : 0;
}

bool cnet_stream_readable_ended(const void *stream) {
  const cnet__stream *s = cnet__stream_of(stream);
  return s && (s->flags & CNET__R_END_EMITTED);
}

/* ---- both ------------------------------------------------------------------ */

int cnet_stream_destroy(void *stream, const cnet_error *err) {
  cnet__stream *s = cnet__stream_of(stream);
  if (!s) return CNET_EINVAL;
  cnet__stream_destroy(s, err);
  return 0;
}

bool cnet_stream_destroyed(const void *stream) {
  const cnet__stream *s = cnet__stream_of(stream);
  return s && (s->flags & CNET__S_DESTROYED);
}

bool cnet_stream_closed(const void *stream) {
  const cnet__stream *s = cnet__stream_of(stream);
  return s && (s->flags & CNET__S_CLOSE_EMITTED);
}

bool cnet_stream_errored(const void *stream) {
  const cnet__stream *s = cnet__stream_of(stream);
  return s && (s->flags & CNET__S_ERRORED);
}

int cnet_stream_hold(void *stream) {
  cnet__stream *s = cnet__stream_of(stream);
  if (!s) return CNET_EINVAL;
  s->flags |= CNET__S_HELD;
  return 0;
}

int cnet_stream_release(void *stream) {
  cnet__stream *s = cnet__stream_of(stream);
  if (!s) return CNET_EINVAL;
  s->flags &= ~CNET__S_HELD;
  cnet__stream_closed(s);
  return 0;
}

/* ---- pipe state ------------------------------------------------------------ */

/* What Node keeps in the source's ReadableState for pipe(). */
struct pipe_src {
  struct pipe_src *next; /* hash chain */
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
  struct pipe_src *ps;
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

/* The table of piped sources: shared by every loop (each touches only its
 * own sources), so a mutex guards the table itself. */
static pthread_mutex_t table_mu = PTHREAD_MUTEX_INITIALIZER;
static struct pipe_src **table;
static size_t table_size, table_count;

static size_t hash_ptr(const void *p, size_t size) {
  uintptr_t v = (uintptr_t)p;
  v ^= v >> 17;
  v *= (uintptr_t)0x9e3779b97f4a7c15ull;
  return (size_t)(v >> 7) & (size - 1);
}

static struct pipe_src *table_find(const cnet__stream *src) {
  struct pipe_src *ps = NULL;
  pthread_mutex_lock(&table_mu);
  if (table_size)
    for (ps = table[hash_ptr(src, table_size)]; ps && ps->src != src; ps = ps->next) {
    }
  pthread_mutex_unlock(&table_mu);
  return ps;
}

static bool table_add(struct pipe_src *ps) {
  bool ok = true;
  pthread_mutex_lock(&table_mu);
  if (table_count + 1 > table_size / 2) {
    size_t nsize = table_size ? table_size * 2 : 64;
    struct pipe_src **nt = calloc(nsize, sizeof *nt);
    if (!nt) {
      ok = false;
      goto out;
    }
    for (size_t i = 0; i < table_size; i++) {
      struct pipe_src *p = table[i];
      while (p) {
        struct pipe_src *next = p->next;
        size_t h = hash_ptr(p->src, nsize);
        p->next = nt[h];
        nt[h] = p;
        p = next;
      }
    }
    free(table);
    table = nt;
    table_size = nsize;
  }
  size_t h = hash_ptr(ps->src, table_size);
  ps->next = table[h];
  table[h] = ps;
  table_count++;
out:
  pthread_mutex_unlock(&table_mu);
  return ok;
}

static void table_remove(struct pipe_src *ps) {
  pthread_mutex_lock(&table_mu);
  struct pipe_src **p = &table[hash_ptr(ps->src, table_size)];
  while (*p && *p != ps) p = &(*p)->next;
  if (*p) {
    *p = ps->next;
    table_count--;
  }
  if (table_count == 0) {
    free(table);
    table = NULL;
    table_size = 0;
  }
  pthread_mutex_unlock(&table_mu);
}

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

static bool push_rec(struct pipe_src *ps, struct pipe_rec *rec) {
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

static bool await_has(const struct pipe_src *ps, const cnet__stream *d) {
  for (size_t i = 0; i < ps->await_n; i++)
    if (ps->await_set[i] == d) return true;
  return false;
}

/* awaitDrainWriters is "truthy": a dest, or a set (even an empty one). */
static bool await_truthy(const struct pipe_src *ps) {
  return ps->multi || ps->await_one;
}

/* ---- records ------------------------------------------------------------------ */

static void rec_unref(struct pipe_rec *rec) {
  if (--rec->refs == 0) free(rec);
}

/* A record may still be in a listener list an emit is walking when it is
 * cleaned up (cnet, like Node, calls listeners removed during an emit):
 * it is freed on a later tick, after any such emit has returned. */
static void ps_maybe_free(struct pipe_src *ps);

static void rec_release_tick(void *arg) {
  struct pipe_rec *rec = arg;
  struct pipe_src *ps = rec->ps;
  ps->ticks--;
  rec_unref(rec);
  ps_maybe_free(ps);
}

static void rec_release(struct pipe_rec *rec) {
  struct pipe_src *ps = rec->ps;
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
  struct pipe_src *ps = rec->ps;
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
  struct pipe_src *ps = rec->ps;
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

static struct pipe_src *pipe_src_get(cnet__stream *src) {
  struct pipe_src *ps = table_find(src);
  if (ps) return ps;
  ps = calloc(1, sizeof *ps);
  if (!ps) return NULL;
  ps->src = src;
  if (!table_add(ps)) {
    free(ps);
    return NULL;
  }
  if (cnet_on(src, CNET_EV_CLOSE, src_closed, ps) != 0) {
    table_remove(ps);
    free(ps);
    return NULL;
  }
  cnet__stream_ref(src);
  return ps;
}

/* The source's pipe state goes once the source has closed and no record
 * needs it. */
static void ps_maybe_free(struct pipe_src *ps) {
  if (!ps->closed || ps->nrecs || ps->ticks) return;
  cnet__stream *src = ps->src;
  table_remove(ps);
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
  struct pipe_src *ps = table_find(src);
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
  struct pipe_src *ps = arg;
  cnet__splice_detach(ps->src, NULL);
  if (ps->closing) return;
  ps->closing = true;
  cnet__stream_tick(ps->src, src_closed_tick);
}

/* ---- pipe / unpipe ---------------------------------------------------------- */

int cnet_pipe(void *src_obj, void *dst_obj, const cnet_pipe_options *opts) {
  cnet__stream *src = cnet__stream_of(src_obj), *dst = cnet__stream_of(dst_obj);
  if (!src || !dst) return CNET_EINVAL;
  if (src->flags & CNET__S_CLOSE_EMITTED) return CNET_ERR_STREAM_DESTROYED;
  if (!cnet__stream_has_readable(src)) return CNET_ERR_STREAM_CANNOT_PIPE;
  if (!cnet__stream_has_writable(dst)) return CNET_ERR_INVALID_ARG_TYPE;
  struct pipe_src *ps = pipe_src_get(src);
  if (!ps) return CNET_ENOMEM;
  struct pipe_rec *rec = calloc(1, sizeof *rec);
  if (!rec || !push_rec(ps, rec)) {
    free(rec);
    return CNET_ENOMEM;
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
    return CNET_ENOMEM;
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
  cnet__splice_attach(src, dst); /* socket -> file: through the kernel */
  if (cnet_stream_writable_need_drain(dst))
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
  if (!src) return CNET_EINVAL;
  struct pipe_src *ps = table_find(src);
  if (!ps || ps->npipes == 0) return 0;
  cnet__stream_ref(src);
  if (!dst_obj) {
    cnet__stream **dests = ps->pipes;
    size_t n = ps->npipes;
    ps->pipes = NULL;
    ps->npipes = ps->cap = 0;
    cnet__splice_detach(src, NULL);
    cnet__stream_pause(src);
    for (size_t i = 0; i < n; i++) emit_unpipe(src, dests[i]);
    free(dests);
  } else {
    cnet__stream *dst = cnet__stream_of(dst_obj);
    size_t i = 0;
    while (dst && i < ps->npipes && ps->pipes[i] != dst) i++;
    if (dst && i < ps->npipes) {
      remove_at(ps->pipes, &ps->npipes, i);
      cnet__splice_detach(src, dst);
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
  struct pipe_src *ps = table_find(src);
  return ps ? ps->npipes : 0;
}
