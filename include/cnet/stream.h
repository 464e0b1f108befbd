/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* cnet streams: Node's stream API on every cnet stream, pipe(), file
 * streams, stdin/stdout/stderr and an in-memory sink.
 *
 * A cnet stream is any object cnet made that reads or writes bytes: a
 * cnet_socket, a file stream, a stdio stream, a memory sink. The
 * cnet_stream_* functions take any of them as `void *` (no cast needed)
 * and do what Node's stream.Readable / stream.Writable methods of the same
 * name do: socket.write() is cnet_socket_write() or cnet_stream_write(),
 * readable.pipe() is cnet_pipe(). In C11 they accept only cnet's stream
 * types (or a void *): passing a server or a timer does not compile. A
 * void * that is not a stream (or NULL) is refused at run time: the call
 * does nothing and returns CNET_EINVAL (false or 0 for getters).
 *
 * Events, with the cnet_event fields they set (the stream is ev->target):
 *   CNET_EV_DATA     data, len: valid during the call only (copy it)
 *   CNET_EV_END      - (no more data)
 *   CNET_EV_PAUSE, CNET_EV_RESUME
 *   CNET_EV_DRAIN    - (write() returned false and the buffer emptied)
 *   CNET_EV_FINISH   - (end() was called and everything was written)
 *   CNET_EV_PIPE     object: the source piped into this stream
 *   CNET_EV_UNPIPE   object: the source unpiped from this stream
 *   CNET_EV_OPEN     value: the fd, as (void *)(intptr_t)fd (file streams;
 *                    CNET_EVENT_FD(ev) gives it back)
 *   CNET_EV_READY    - (file streams, right after 'open')
 *   CNET_EV_ERROR    error
 *   CNET_EV_CLOSE    - (the resource is released; nothing follows)
 *
 * Lifetime: a stream is cnet's. It is freed after its 'close' event has
 * been emitted and its listeners have returned; the pointer stays valid
 * until then. cnet_stream_hold() keeps it (to read a memory sink's bytes
 * after 'close', say) until cnet_stream_release().
 *
 * Readable side, cnet's one difference from Node: a stream has no read
 * buffer. Data is emitted from where it was read, and a stream reads only
 * while it flows: a paused socket leaves its data in the kernel, a paused
 * file stream stops reading (keeping at most the one chunk its last read
 * returned, emitted on resume). Nothing is lost either way. */
#ifndef CNET_STREAM_API_H
#define CNET_STREAM_API_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base.h"
#include "events.h"
#include "loop.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The fd an 'open' event carries. */
#define CNET_EVENT_FD(ev) ((int)(intptr_t)(ev)->value)

/* Whether object is a cnet stream. */
bool cnet_is_stream(const void *object);

/* ---- Writable ------------------------------------------------------------ */

/* writable.write(data[, cb]): 1 while the buffered bytes are below the
 * high-water mark, 0 once they reach it (wait for 'drain'), as Node's
 * true / false. cb (may be NULL) runs once the data is written, or with
 * the error. Writing after end() is Node's ERR_STREAM_WRITE_AFTER_END (cb
 * and 'error', and 0). CNET_EINVAL, and nothing written, for an object
 * that is not a stream or has no writable side (a file read stream,
 * stdin). */
int cnet_stream_write(void *stream, const void *data, size_t len,
                      cnet_callback cb, void *arg);
/* writable.write(string, encoding[, cb]), the string converted as
 * Buffer.from(string, encoding) does (NULL: "utf8"). An unknown encoding
 * returns CNET_ERR_UNKNOWN_ENCODING and writes nothing. */
int cnet_stream_write_string(void *stream, const char *string,
                             const char *encoding, cnet_callback cb,
                             void *arg);
/* write(util.format(fmt, ...)) with printf's format: formatted on the
 * stack when short, returns what write returns (or CNET_ENOMEM). */
int cnet_stream_printf(void *stream, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
int cnet_stream_vprintf(void *stream, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));
/* writable.end([data][, cb]): data (may be NULL) is written first; cb
 * runs on 'finish', or with the error. */
int cnet_stream_end(void *stream, const void *data, size_t len,
                    cnet_callback cb, void *arg);
/* writable.end(string, encoding[, cb]). */
int cnet_stream_end_string(void *stream, const char *string,
                           const char *encoding, cnet_callback cb, void *arg);
/* cork()/uncork(): writes made while corked go out together. */
int cnet_stream_cork(void *stream);
int cnet_stream_uncork(void *stream);

/* Properties: writable, writableLength, writableHighWaterMark,
 * writableNeedDrain, writableEnded, writableFinished, writableCorked. */
bool cnet_stream_writable(const void *stream);
size_t cnet_stream_writable_length(const void *stream);
size_t cnet_stream_writable_high_water_mark(const void *stream);
bool cnet_stream_writable_need_drain(const void *stream);
bool cnet_stream_writable_ended(const void *stream);
bool cnet_stream_writable_finished(const void *stream);
unsigned cnet_stream_writable_corked(const void *stream);

/* ---- Readable ------------------------------------------------------------ */

/* pause()/resume()/isPaused(): a 'data' listener (cnet_on) starts a
 * stream flowing unless pause() was called, as in Node. */
int cnet_stream_pause(void *stream);
int cnet_stream_resume(void *stream);
bool cnet_stream_is_paused(const void *stream);
/* setEncoding(enc): 'data' then carries text (utf8, hex, base64, ...),
 * characters split across reads joined as Node's StringDecoder joins
 * them. CNET_ERR_UNKNOWN_ENCODING for a name Node does not know. */
int cnet_stream_set_encoding(void *stream, const char *encoding);

/* Properties: readable; readableFlowing as Node's null / false / true is
 * -1 / 0 / 1; readableEnded ('end' was emitted). */
bool cnet_stream_readable(const void *stream);
int cnet_stream_readable_flowing(const void *stream);
bool cnet_stream_readable_ended(const void *stream);

/* ---- both ------------------------------------------------------------------ */

/* destroy([err]): stops I/O at once; err (may be NULL, copied) is
 * emitted as 'error', then 'close'. */
int cnet_stream_destroy(void *stream, const cnet_error *err);
bool cnet_stream_destroyed(const void *stream);
/* stream.closed: 'close' was emitted. */
bool cnet_stream_closed(const void *stream);
/* stream.errored: the error the stream was destroyed with, or NULL. */
const cnet_error *cnet_stream_errored(const void *stream);

/* Keep the object after 'close' (to read what it holds); release lets it
 * be freed. */
int cnet_stream_hold(void *stream);
int cnet_stream_release(void *stream);

/* ---- pipe ------------------------------------------------------------------- */

typedef struct cnet_pipe_options {
  /* Node's {end}: end dst when src ends. Passing NULL means {end: true};
   * when you pass options, say which: {.end = false} or {.end = true}.
   * stdout and stderr are never ended by a pipe, as in Node. */
  bool end;
} cnet_pipe_options;

/* readable.pipe(destination[, options]), with Node's semantics: every
 * chunk src emits is written to dst; when dst.write returns false src is
 * paused until dst emits 'drain' (with several destinations, until every
 * one that asked has drained); dst gets 'pipe' now and 'unpipe' when the
 * pipe ends (src unpiped it, dst finished, closed or failed: an 'error'
 * on dst unpipes it). src may be piped into several destinations.
 * Returns 0, CNET_EINVAL (not streams), CNET_ERR_STREAM_CANNOT_PIPE (src
 * is write-only) or CNET_ERR_INVALID_ARG_TYPE (dst is read-only).
 *
 * Unlike Node, once src has emitted 'close' (it failed or was destroyed
 * without 'end'), its pipes are taken down without 'unpipe': dst stays
 * open (end it yourself), nothing refers to src any more. */
int cnet_pipe(void *src, void *dst, const cnet_pipe_options *opts);
/* readable.unpipe([destination]): dst NULL unpipes every destination.
 * src pauses when it has no destination left. 0 whether or not dst was
 * piped; CNET_EINVAL when src is not a stream. */
int cnet_unpipe(void *src, void *dst);
/* readableState.pipes.length. */
size_t cnet_stream_pipe_count(const void *src);

/* ---- file streams (fs.createReadStream / fs.createWriteStream) ------------ */

typedef struct cnet_fs_read_stream cnet_fs_read_stream;
typedef struct cnet_fs_write_stream cnet_fs_write_stream;

typedef struct cnet_fs_stream_options {
  /* Node's open flags: "r", "r+", "rs+", "w", "wx", "w+", "a", "ax",
   * "a+", ... NULL: "r" to read, "w" to write. */
  const char *flags;
  int mode;               /* 0: 0666 (before the umask) */
  /* Node's start and end (end inclusive, read streams only), used when
   * has_start / has_end is set; without start, reading and writing go
   * from the fd's current position. */
  bool has_start;
  bool has_end;
  uint64_t start;
  uint64_t end;
  size_t high_water_mark; /* 0: 64 KiB to read, 16 KiB to write, unless */
  bool has_high_water_mark; /* is set (write streams: 0 is a valid mark) */
  /* With path NULL: the stream uses this open fd instead (no 'open'):
   * a positive fd, or any fd >= 0 with has_fd (fd 0 is stdin). */
  int fd;
  bool has_fd;
  bool no_auto_close;     /* Node's autoClose: false (see docs/fs.md) */
  bool flush;             /* write streams: fsync before closing */
} cnet_fs_stream_options;

/* fs.createReadStream(path[, options]). Events 'open' (fd), 'ready',
 * 'data', 'end', 'close', 'error' (for instance "ENOENT: no such file or
 * directory, open 'x'", err.address holds the path). All disk I/O runs on
 * the worker pool: the loop never waits for the disk. The stream in
 * *out, or an error as Node's throws: CNET_ERR_INVALID_ARG_VALUE (flags),
 * CNET_ERR_OUT_OF_RANGE (start > end), CNET_EINVAL, CNET_ENOMEM. */
int cnet_fs_create_read_stream(cnet_loop *loop, const char *path,
                               const cnet_fs_stream_options *opts,
                               cnet_fs_read_stream **out);
/* fs.createWriteStream(path[, options]). Events 'open' (fd), 'ready',
 * 'drain', 'finish' (everything written), 'close' (the fd is closed),
 * 'error'. Writes land in the file in the order made. */
int cnet_fs_create_write_stream(cnet_loop *loop, const char *path,
                                const cnet_fs_stream_options *opts,
                                cnet_fs_write_stream **out);

/* readStream.bytesRead, .path (NULL for an fd stream), .pending (not
 * open yet); close([cb]) destroys it, cb on 'close'. */
uint64_t cnet_fs_read_stream_bytes_read(const cnet_fs_read_stream *rs);
const char *cnet_fs_read_stream_path(const cnet_fs_read_stream *rs);
bool cnet_fs_read_stream_pending(const cnet_fs_read_stream *rs);
int cnet_fs_read_stream_close(cnet_fs_read_stream *rs, cnet_callback cb,
                              void *arg);
/* writeStream.bytesWritten, .path, .pending; close([cb]) ends it, cb on
 * 'close'. */
uint64_t cnet_fs_write_stream_bytes_written(const cnet_fs_write_stream *ws);
const char *cnet_fs_write_stream_path(const cnet_fs_write_stream *ws);
bool cnet_fs_write_stream_pending(const cnet_fs_write_stream *ws);
int cnet_fs_write_stream_close(cnet_fs_write_stream *ws, cnet_callback cb,
                               void *arg);

/* ---- stdin, stdout, stderr ------------------------------------------------ */

/* process.stdin / process.stdout / process.stderr for this loop (the same
 * object on every call until it closes). A tty or a pipe is read and
 * written through the loop without ever blocking it and without changing
 * the flags of the descriptor the process shares with its parent: cnet
 * reopens the tty or pipe for itself (see docs/stream.md). A regular
 * file goes through the worker pool, as a file stream on the fd. A pipe
 * never ends stdout or stderr, and destroying them leaves fds 1 and 2
 * open. Destroy them before closing the loop. 0 with the stream in *out,
 * or the error. */
int cnet_stdin(cnet_loop *loop, cnet_stream **out);
int cnet_stdout(cnet_loop *loop, cnet_stream **out);
int cnet_stderr(cnet_loop *loop, cnet_stream **out);
/* What libuv's uv_guess_handle says about fd: "TTY", "PIPE", "FILE",
 * "TCP", "UDP" or "UNKNOWN" (Node's guessHandleType). */
const char *cnet_guess_handle_type(int fd);

/* ---- in-memory sink -------------------------------------------------------- */

typedef struct cnet_memory_sink cnet_memory_sink;

typedef struct cnet_memory_sink_options {
  size_t high_water_mark;   /* 0: 16 KiB, unless */
  bool has_high_water_mark; /* is set (0 is a valid mark) */
  /* Slow mode, for tests of backpressure: a write completes only later,
   * after delay_ms on a timer, or with delay_ms 0 in the loop's immediate
   * phase (Node: write(chunk, enc, cb) { setImmediate(cb) }). */
  bool slow;
  unsigned delay_ms;
} cnet_memory_sink_options;

/* A Writable that keeps every byte written to it, in *out. 0, or
 * CNET_EINVAL, CNET_ENOMEM. */
int cnet_memory_sink_new(cnet_loop *loop, const cnet_memory_sink_options *opts,
                         cnet_memory_sink **out);
/* The bytes written so far (*len may be NULL); valid until the next write
 * completes or the sink is freed. */
const char *cnet_memory_sink_data(const cnet_memory_sink *sink, size_t *len);
/* How many _write/_writev calls the sink has seen. */
size_t cnet_memory_sink_write_count(const cnet_memory_sink *sink);
/* writableHighWaterMark from now on; 0 is a mark of 0, as Node's. */
void cnet_memory_sink_set_high_water_mark(cnet_memory_sink *sink, size_t hwm);
void cnet_memory_sink_set_slow(cnet_memory_sink *sink, bool slow,
                               unsigned delay_ms);

/* ---- compile-time checks --------------------------------------------------- */

/* As the emitter calls (cnet/events.h): in C11 the stream calls take only
 * cnet's streams or a void *. */
#if !defined(__cplusplus) && defined(__STDC_VERSION__) && \
    __STDC_VERSION__ >= 201112L && !defined(CNET_NO_TYPE_CHECKS) &&       \
    !defined(CNET_BUILDING)
#define CNET__STREAM(o)                                                      \
  _Generic((o), void *: (o), cnet_socket *: (void *)(o),                    \
           cnet_stream *: (void *)(o), cnet_fs_read_stream *: (void *)(o),  \
           cnet_fs_write_stream *: (void *)(o),                              \
           cnet_memory_sink *: (void *)(o))
#define CNET__CONST_STREAM(o)                                                \
  _Generic((o), void *: (o), const void *: (o),                             \
           cnet_socket *: (const void *)(o),                                 \
           const cnet_socket *: (const void *)(o),                           \
           cnet_stream *: (const void *)(o),                                 \
           const cnet_stream *: (const void *)(o),                           \
           cnet_fs_read_stream *: (const void *)(o),                         \
           const cnet_fs_read_stream *: (const void *)(o),                   \
           cnet_fs_write_stream *: (const void *)(o),                        \
           const cnet_fs_write_stream *: (const void *)(o),                  \
           cnet_memory_sink *: (const void *)(o),                            \
           const cnet_memory_sink *: (const void *)(o))
#define CNET__S1(f, o) f(CNET__STREAM(o))
#define CNET__C1(f, o) f(CNET__CONST_STREAM(o))
#define cnet_is_stream(o) cnet_is_stream(CNET__CONST_EMITTER(o))
#define cnet_stream_write(o, ...) cnet_stream_write(CNET__STREAM(o), __VA_ARGS__)
#define cnet_stream_write_string(o, ...)                                     \
  cnet_stream_write_string(CNET__STREAM(o), __VA_ARGS__)
#define cnet_stream_printf(o, ...) cnet_stream_printf(CNET__STREAM(o), __VA_ARGS__)
#define cnet_stream_vprintf(o, f, ap) cnet_stream_vprintf(CNET__STREAM(o), f, ap)
#define cnet_stream_end(o, ...) cnet_stream_end(CNET__STREAM(o), __VA_ARGS__)
#define cnet_stream_end_string(o, ...)                                       \
  cnet_stream_end_string(CNET__STREAM(o), __VA_ARGS__)
#define cnet_stream_cork(o) CNET__S1(cnet_stream_cork, o)
#define cnet_stream_uncork(o) CNET__S1(cnet_stream_uncork, o)
#define cnet_stream_writable(o) CNET__C1(cnet_stream_writable, o)
#define cnet_stream_writable_length(o) CNET__C1(cnet_stream_writable_length, o)
#define cnet_stream_writable_high_water_mark(o)                              \
  CNET__C1(cnet_stream_writable_high_water_mark, o)
#define cnet_stream_writable_need_drain(o)                                   \
  CNET__C1(cnet_stream_writable_need_drain, o)
#define cnet_stream_writable_ended(o) CNET__C1(cnet_stream_writable_ended, o)
#define cnet_stream_writable_finished(o)                                     \
  CNET__C1(cnet_stream_writable_finished, o)
#define cnet_stream_writable_corked(o) CNET__C1(cnet_stream_writable_corked, o)
#define cnet_stream_pause(o) CNET__S1(cnet_stream_pause, o)
#define cnet_stream_resume(o) CNET__S1(cnet_stream_resume, o)
#define cnet_stream_is_paused(o) CNET__C1(cnet_stream_is_paused, o)
#define cnet_stream_set_encoding(o, e) cnet_stream_set_encoding(CNET__STREAM(o), e)
#define cnet_stream_readable(o) CNET__C1(cnet_stream_readable, o)
#define cnet_stream_readable_flowing(o) CNET__C1(cnet_stream_readable_flowing, o)
#define cnet_stream_readable_ended(o) CNET__C1(cnet_stream_readable_ended, o)
#define cnet_stream_destroy(o, e) cnet_stream_destroy(CNET__STREAM(o), e)
#define cnet_stream_destroyed(o) CNET__C1(cnet_stream_destroyed, o)
#define cnet_stream_closed(o) CNET__C1(cnet_stream_closed, o)
#define cnet_stream_errored(o) CNET__C1(cnet_stream_errored, o)
#define cnet_stream_hold(o) CNET__S1(cnet_stream_hold, o)
#define cnet_stream_release(o) CNET__S1(cnet_stream_release, o)
#define cnet_pipe(s, d, o) cnet_pipe(CNET__STREAM(s), CNET__STREAM(d), o)
#define cnet_unpipe(s, d) cnet_unpipe(CNET__STREAM(s), CNET__STREAM(d))
#define cnet_stream_pipe_count(o) CNET__C1(cnet_stream_pipe_count, o)
#endif

#ifdef __cplusplus
}
#endif
#endif
