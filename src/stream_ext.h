/* What the streams built on the core (file streams, stdio, the memory
 * sink) share beyond src/stream.h: Node's Readable.on('data'), the
 * handling of an unhandled 'error', recognising a stream, and closing one
 * that owns no socket. Kept apart from stream.c so that the core's file
 * stays the core's. */
#ifndef CNET_STREAM_EXT_H
#define CNET_STREAM_EXT_H

#include "stream.h"
#include "cnet/stream.h"

/* The object as a stream, or NULL if it is none. */
cnet__stream *cnet__stream_of(const void *object);

/* Emitter ops for streams: a 'data' listener starts the stream flowing
 * unless it was paused (Readable.prototype.on); an 'error' nobody
 * listens to destroys it. */
void cnet__stream_listener_added(void *object, int type);
void cnet__stream_unhandled(void *object, const cnet_error *err);
/* The close phase's step for streams with no handle of their own. */
void cnet__stream_handle_closed(cnet__handle *h);

/* Node's removeListener('data'): dataListening goes when the last 'data'
 * listener does. Call after removing one. */
void cnet__stream_data_listener_removed(cnet__stream *s);

/* The second half of a destroy for a stream with no handle of its own
 * to close: puts the handle in the loop's close phase (where s is freed
 * once 'close' was emitted) and reports the destroy to the core. */
void cnet__stream_finish_destroy(cnet__stream *s, const cnet_error *err);

/* Node's fs error text: "ENOENT: no such file or directory, open 'x'". */
void cnet__fs_error(cnet_error *e, int code, const char *syscall,
                    const char *path);

#endif
