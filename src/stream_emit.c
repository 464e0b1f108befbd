/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* A stream as an emitter and a handle: recognising one, the emitter ops
 * every stream shares (Readable.prototype.on('data'), an unhandled
 * 'error') and the close phase of streams that own no socket. Apart from
 * src/stream.c, which holds the Writable and Readable state machines. */
#include "stream.h"

cnet__stream *cnet__stream_of(const void *object) {
  /* Every cnet emitter with ops is a handle; a stream's ops say so. Your
   * own emitters have no ops and stop at the first test. A caller's
   * pointer is looked up before it is read. */
  if (!cnet__is_emitter(object)) return NULL;
  const cnet_emitter *em = object;
  if (!em->ops_ || !em->ops_->is_stream) return NULL;
  return (cnet__stream *)object;
}

void cnet__stream_listener_added(void *object, int type) {
  cnet__stream *s = object;
  if (type != CNET_EV_DATA || !cnet__stream_has_readable(s)) return;
  s->flags |= CNET__R_DATA_LISTENING;
  if ((s->flags & (CNET__R_HAS_FLOWING | CNET__R_FLOWING)) != CNET__R_HAS_FLOWING)
    cnet__stream_resume(s);
}

void cnet__stream_unhandled(void *object, const cnet_error *err) {
  cnet__stream_destroy(object, err);
}

void cnet__stream_data_listener_removed(cnet__stream *s) {
  if (cnet_listener_count(s, CNET_EV_DATA) == 0) s->flags &= ~CNET__R_DATA_LISTENING;
}

void cnet__stream_handle_closed(cnet__handle *h) {
  cnet__stream_closed((cnet__stream *)h);
}

void cnet__stream_finish_destroy(cnet__stream *s, const cnet_error *err) {
  cnet__handle_close(&s->h);
  cnet__stream_ondestroy(s, err);
}
