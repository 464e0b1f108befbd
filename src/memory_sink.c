/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* The in-memory sink: a Writable that keeps what it is given, for tests
 * and for collecting a stream's output. Its slow mode completes each write
 * later (an immediate, or a timer), which is how a test makes a source
 * meet backpressure without a slow disk or network. */
#include "stream.h"

#include <stdlib.h>
#include <string.h>

#include "cnet/stream.h"

struct cnet_memory_sink {
  cnet__stream s;
  char *data;
  size_t len, cap;
  size_t writes;
  bool slow;
  unsigned delay_ms;
  cnet_immediate im;
  cnet_timer timer;
};

static cnet_memory_sink *as_sink(cnet__stream *s) { return (cnet_memory_sink *)s; }

static void complete(cnet_memory_sink *m) {
  cnet__stream_onwrite(&m->s, NULL);
  cnet__stream_unref(&m->s);
}

static void on_immediate(cnet_immediate *im, void *arg) {
  (void)im;
  complete(arg);
}

static void on_timer(cnet_timer *t, void *arg) {
  (void)t;
  complete(arg);
}

static void sink_write(cnet__stream *s, const cnet__chunk *chunks, size_t n,
                       size_t total) {
  cnet_memory_sink *m = as_sink(s);
  if (m->len + total > m->cap) {
    size_t cap = m->cap ? m->cap : 256;
    while (cap < m->len + total) cap *= 2;
    char *d = realloc(m->data, cap);
    if (!d) {
      cnet_error e;
      cnet_error_set(&e, CNET_ENOMEM, "write: out of memory");
      cnet__stream_onwrite(s, &e);
      return;
    }
    m->data = d;
    m->cap = cap;
  }
  for (size_t i = 0; i < n; i++) {
    if (chunks[i].len) memcpy(m->data + m->len, chunks[i].base, chunks[i].len);
    m->len += chunks[i].len;
  }
  m->writes++;
  if (!m->slow) {
    cnet__stream_onwrite(s, NULL);
    return;
  }
  /* Node's write(chunk, enc, cb) { setImmediate(cb) }: the callback comes
   * whether or not the sink is destroyed meanwhile, so s stays alive. */
  cnet__stream_ref(s);
  if (m->delay_ms)
    cnet_set_timeout(&m->timer, on_timer, m, m->delay_ms);
  else
    cnet_set_immediate(s->h.loop, &m->im, on_immediate, m);
}

static void sink_final(cnet__stream *s) { cnet__stream_onfinal(s, NULL); }

static void sink_destroy(cnet__stream *s, const cnet_error *err) {
  cnet__stream_finish_destroy(s, err);
}

static void sink_free(cnet__stream *s) {
  cnet_memory_sink *m = as_sink(s);
  free(m->data);
  free(m);
}

static const cnet__stream_vt sink_vt = {
    .ops = {"MemorySink", cnet__stream_unhandled, NULL,
            cnet__stream_handle_closed, true, cnet__stream_data_slot},
    .write = sink_write,
    .final = sink_final,
    .destroy = sink_destroy,
    .free = sink_free,
};

int cnet_memory_sink_new(cnet_loop *loop, const cnet_memory_sink_options *opts,
                         cnet_memory_sink **out) {
  if (!out) return cnet__fail(CNET_EINVAL, NULL);
  *out = NULL;
  if (!loop) return cnet__fail(CNET_EINVAL, NULL);
  cnet_memory_sink *m = calloc(1, sizeof *m);
  if (!m) return cnet__fail(CNET_ENOMEM, NULL);
  cnet_memory_sink_options o = {0};
  if (opts) o = *opts;
  if (cnet__stream_init(loop, &m->s, &sink_vt, CNET__HWM(o, CNET__HWM_DEFAULT),
                        CNET__S_EMIT_CLOSE | CNET__R_NOT_READABLE | CNET__R_ENDED |
                            CNET__R_END_EMITTED) != 0) {
    free(m);
    return cnet__fail(CNET_ENOMEM, NULL);
  }
  m->slow = o.slow;
  m->delay_ms = o.delay_ms;
  cnet_timer_init(loop, &m->timer);
  *out = m;
  return 0;
}

const char *cnet_memory_sink_data(const cnet_memory_sink *m, size_t *len) {
  if (len) *len = m ? m->len : 0;
  return m && m->data ? m->data : "";
}

size_t cnet_memory_sink_write_count(const cnet_memory_sink *m) {
  return m ? m->writes : 0;
}

void cnet_memory_sink_set_high_water_mark(cnet_memory_sink *m, size_t hwm) {
  if (m) m->s.hwm = (uint32_t)hwm;
}

void cnet_memory_sink_set_slow(cnet_memory_sink *m, bool slow, unsigned delay_ms) {
  if (!m) return;
  m->slow = slow;
  m->delay_ms = delay_ms;
}
