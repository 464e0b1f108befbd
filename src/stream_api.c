/* The public stream API (cnet/stream.h): Node's Readable and Writable
 * methods on any cnet stream, each a check of its arguments over the
 * stream core (src/stream.h). pipe() and unpipe() are in src/pipe.c. */
#include "stream.h"

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
