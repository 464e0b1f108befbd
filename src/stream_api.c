/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* The public stream API (cnet/stream.h): Node's Readable and Writable
 * methods on any cnet stream, each a check of its arguments over the
 * stream core (src/stream.h). pipe() and unpipe() are in src/pipe.c. */
#include "stream.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cnet/encoding.h"
#include "cnet/stream.h"

bool cnet_is_stream(const void *object) { return cnet__stream_of(object) != NULL; }

/* ---- Writable ------------------------------------------------------------ */

int cnet_stream_write(void *stream, const void *data, size_t len,
                      cnet_callback cb, void *arg) {
  cnet__stream *s = cnet__stream_of(stream);
  if (!s || (!data && len) || !cnet__stream_has_writable(s))
    return cnet__fail(CNET_EINVAL, "not a writable stream");
  return cnet__stream_write(s, data, len, cb, arg);
}

/* Buffer.from(string, encoding), then write or end: utf8 goes as it is,
 * other encodings through a stack buffer when it fits. */
static int write_encoded(void *stream, const char *string, const char *encoding,
                         bool end, cnet_callback cb, void *arg) {
  cnet__stream *s = cnet__stream_of(stream);
  if (!s || !string || !cnet__stream_has_writable(s))
    return cnet__fail(CNET_EINVAL, "not a writable stream");
  int enc = cnet_encoding_parse(encoding);
  if (enc < 0)
    return cnet__fail(enc, "Unknown encoding: %s", encoding ? encoding : "");
  size_t len = strlen(string);
  char stack[4096];
  char *buf = (char *)string;
  if (enc != CNET_ENC_UTF8 && enc != CNET_ENC_BUFFER) {
    size_t cap = cnet_buffer_from_string_max(len, (cnet_encoding)enc);
    buf = cap <= sizeof stack ? stack : malloc(cap);
    if (!buf) return cnet__fail(CNET_ENOMEM, NULL);
    len = cnet_buffer_from_string(string, len, (cnet_encoding)enc, buf);
  }
  int ret = 0;
  if (end)
    cnet__stream_end(s, buf, len, cb, arg);
  else
    ret = cnet__stream_write(s, buf, len, cb, arg);
  if (buf != string && buf != stack) free(buf);
  return ret;
}

int cnet_stream_write_string(void *stream, const char *string,
                             const char *encoding, cnet_callback cb,
                             void *arg) {
  return write_encoded(stream, string, encoding, false, cb, arg);
}

int cnet_stream_end_string(void *stream, const char *string,
                           const char *encoding, cnet_callback cb, void *arg) {
  return write_encoded(stream, string, encoding, true, cb, arg);
}

int cnet_stream_vprintf(void *stream, const char *fmt, va_list ap) {
  cnet__stream *s = cnet__stream_of(stream);
  if (!s || !fmt || !cnet__stream_has_writable(s))
    return cnet__fail(CNET_EINVAL, "not a writable stream");
  char stack[1024];
  va_list again;
  va_copy(again, ap);
  int n = vsnprintf(stack, sizeof stack, fmt, ap);
  if (n < 0) {
    va_end(again);
    return cnet__fail(CNET_EINVAL, "bad format");
  }
  char *buf = stack;
  if ((size_t)n >= sizeof stack) {
    buf = malloc((size_t)n + 1);
    if (!buf) {
      va_end(again);
      return cnet__fail(CNET_ENOMEM, NULL);
    }
    vsnprintf(buf, (size_t)n + 1, fmt, again);
  }
  va_end(again);
  int ret = cnet__stream_write(s, buf, (size_t)n, NULL, NULL);
  if (buf != stack) free(buf);
  return ret;
}

int cnet_stream_printf(void *stream, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int ret = cnet_stream_vprintf(stream, fmt, ap);
  va_end(ap);
  return ret;
}

int cnet_stream_end(void *stream, const void *data, size_t len,
                    cnet_callback cb, void *arg) {
  cnet__stream *s = cnet__stream_of(stream);
  if (!s || (!data && len) || !cnet__stream_has_writable(s))
    return cnet__fail(CNET_EINVAL, "not a writable stream");
  cnet__stream_end(s, data, len, cb, arg);
  return 0;
}

int cnet_stream_cork(void *stream) {
  cnet__stream *s = cnet__stream_of(stream);
  if (!s || !cnet__stream_has_writable(s)) return cnet__fail(CNET_EINVAL, NULL);
  cnet__stream_cork(s);
  return 0;
}

int cnet_stream_uncork(void *stream) {
  cnet__stream *s = cnet__stream_of(stream);
  if (!s || !cnet__stream_has_writable(s)) return cnet__fail(CNET_EINVAL, NULL);
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
  return s && cnet__stream_has_writable(s) && cnet__stream_need_drain(s);
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
  if (!s || !cnet__stream_has_readable(s)) return cnet__fail(CNET_EINVAL, NULL);
  cnet__stream_pause(s);
  return 0;
}

int cnet_stream_resume(void *stream) {
  cnet__stream *s = cnet__stream_of(stream);
  if (!s || !cnet__stream_has_readable(s)) return cnet__fail(CNET_EINVAL, NULL);
  cnet__stream_resume(s);
  return 0;
}

bool cnet_stream_is_paused(const void *stream) {
  const cnet__stream *s = cnet__stream_of(stream);
  return s && cnet__stream_is_paused(s);
}

int cnet_stream_set_encoding(void *stream, const char *encoding) {
  cnet__stream *s = cnet__stream_of(stream);
  if (!s || !cnet__stream_has_readable(s)) return cnet__fail(CNET_EINVAL, NULL);
  int r = cnet__stream_set_encoding(s, encoding);
  return r ? cnet__fail(r, "Unknown encoding: %s", encoding ? encoding : "") : 0;
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
  if (!s) return cnet__fail(CNET_EINVAL, NULL);
  cnet__stream_flush_coalesced(s);
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

const cnet_error *cnet_stream_errored(const void *stream) {
  const cnet__stream *s = cnet__stream_of(stream);
  return s ? cnet__stream_errored(s) : NULL;
}

int cnet_stream_hold(void *stream) {
  cnet__stream *s = cnet__stream_of(stream);
  if (!s) return cnet__fail(CNET_EINVAL, NULL);
  s->flags |= CNET__S_HELD;
  return 0;
}

int cnet_stream_release(void *stream) {
  cnet__stream *s = cnet__stream_of(stream);
  if (!s) return cnet__fail(CNET_EINVAL, NULL);
  s->flags &= ~CNET__S_HELD;
  cnet__stream_closed(s);
  return 0;
}
