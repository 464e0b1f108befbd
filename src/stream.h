/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* cnet's stream core: Node's Writable and Readable state machines (byte
 * mode) shared by every stream cnet has: TCP and Unix sockets, file read
 * and write streams, stdin/stdout/stderr and the memory sink. An
 * implementation plugs in through cnet__stream_vt, as a Node stream does
 * through _write/_final/_read/_destroy, and cnet keeps Node's
 * ordering of callbacks and events ('drain' before write callbacks,
 * 'finish' a tick after the last write, 'end' a tick after EOF, 'error'
 * then 'close').
 *
 * Two deliberate differences from Node, both from cnet's design: the
 * readable side has no buffer (data is emitted straight from the loop's
 * read buffer, and an implementation only reads while the stream flows,
 * so a paused socket leaves data in the kernel), and written data is
 * copied only when it cannot be handed over at once. */
#ifndef CNET_STREAM_H
#define CNET_STREAM_H

#include "handle.h"

typedef struct cnet__stream cnet__stream;

typedef struct cnet__chunk {
  const char *base;
  size_t len;
} cnet__chunk;

/* What a stream can do beyond the core, for the layers above it (pipe(),
 * the public wrappers): bits of cnet__stream_vt.caps. */
enum {
  /* A Duplex (a socket): both sides exist even when one is switched off,
   * where a Readable or a Writable has its one side only. */
  CNET__CAP_DUPLEX = 1u << 0,
  /* pipe() never ends it (Node's dest !== process.stdout/stderr). */
  CNET__CAP_PIPE_NO_END = 1u << 1
};

/* The splice fast path of pipe() (src/splice.c) moves bytes from a
 * source's fd into a destination's through the kernel. A stream that can
 * take part offers it ops in its vt; the engine attaches a job to both
 * streams' slots, and they call it back through the job's ops alone. */
struct cnet__splice_job;
typedef struct cnet__splice_job_ops {
  /* The source is readable and flowing: true when the job took the read
   * (the source reads nothing), false to read as usual. */
  bool (*read)(struct cnet__splice_job *job);
  /* On the pool, from the destination's request slot: moves what the
   * source has into fd (at *pos when pos is not NULL, advancing it).
   * Returns the bytes that reached fd. */
  size_t (*work)(struct cnet__splice_job *job, int fd, int64_t *pos);
  /* On the loop, after work (cancelled: it never ran). Returns the errno
   * of a failed write to fd, 0 if none; the job may be freed by it. */
  int (*done)(struct cnet__splice_job *job, bool cancelled);
} cnet__splice_job_ops;

struct cnet__splice_job {
  const cnet__splice_job_ops *ops; /* first: the engine's state follows */
};

/* A stream that can be a splice source (a socket). */
typedef struct cnet__splice_src_ops {
  /* Where a job attaches; NULL when there is none yet (create false) or
   * it cannot be made. */
  struct cnet__splice_job **(*slot)(cnet__stream *s, bool create);
  int (*fd)(const cnet__stream *s);
  /* A job reads the fd: watch no read events until it is done. */
  void (*hold_reads)(cnet__stream *s, bool hold);
  /* A job moved n bytes out of the fd, then met EOF (eof) or failed
   * (err: errno, 0 if not): counts them as read, stops holding the reads
   * and ends or destroys s as a read would. */
  void (*spliced)(cnet__stream *s, size_t n, bool eof, int err);
} cnet__splice_src_ops;

/* A stream that can be a splice destination (a file write stream). */
typedef struct cnet__splice_dst_ops {
  struct cnet__splice_job **(*slot)(cnet__stream *s);
  int (*fd)(const cnet__stream *s); /* -1 until it is open */
  /* Open, no request in flight and none waiting: a job may start. */
  bool (*idle)(const cnet__stream *s);
  /* Runs the job on the stream's own request slot (so writes, end and
   * destroy wait for it as for a write): job->ops->work on the pool,
   * then job->ops->done on the loop. */
  int (*submit)(cnet__stream *s, struct cnet__splice_job *job);
} cnet__splice_dst_ops;

typedef struct cnet__stream_vt {
  struct cnet__emitter_ops ops;
  uint32_t caps; /* CNET__CAP_* */
  /* _writev: write the chunks (valid only during the call), then call
   * cnet__stream_onwrite, before returning or later. */
  void (*write)(cnet__stream *s, const cnet__chunk *chunks, size_t n,
                size_t total);
  /* _final: end the writable side, then call cnet__stream_onfinal. */
  void (*final)(cnet__stream *s);
  /* _read: deliver data with cnet__stream_push while the stream flows. */
  void (*read_start)(cnet__stream *s);
  void (*read_stop)(cnet__stream *s);
  /* _destroy: release the resource, then call cnet__stream_ondestroy. */
  void (*destroy)(cnet__stream *s, const cnet_error *err);
  /* Last step: 'close' was emitted and nothing refers to s any more. */
  void (*free)(cnet__stream *s);
  /* pipe()'s splice fast path: NULL when s cannot be that end. */
  const cnet__splice_src_ops *splice_src;
  const cnet__splice_dst_ops *splice_dst;
} cnet__stream_vt;

struct cnet__wreq; /* a buffered write: header and a copy of the data */
struct cnet__stream_x;

enum {
  /* writable side (Node's WritableState bits) */
  CNET__W_ENDING = 1u << 0,
  CNET__W_ENDED = 1u << 1,
  CNET__W_FINISHED = 1u << 2,
  CNET__W_PREFINISHED = 1u << 3,
  CNET__W_FINAL_CALLED = 1u << 4,
  CNET__W_WRITING = 1u << 5,
  CNET__W_SYNC = 1u << 6,
  CNET__W_EXPECT_CB = 1u << 7,
  CNET__W_NEED_DRAIN = 1u << 8,
  CNET__W_AFTER_WRITE_PENDING = 1u << 9,
  CNET__W_BUFFER_PROCESSING = 1u << 10,
  CNET__W_NOT_WRITABLE = 1u << 11, /* writable: false */
  /* readable side */
  CNET__R_FLOWING = 1u << 12,
  CNET__R_HAS_FLOWING = 1u << 13,
  CNET__R_PAUSED = 1u << 14,
  CNET__R_DATA_LISTENING = 1u << 15,
  CNET__R_RESUME_SCHEDULED = 1u << 16,
  CNET__R_ENDED = 1u << 17,
  CNET__R_END_EMITTED = 1u << 18,
  CNET__R_END_SCHEDULED = 1u << 19,
  CNET__R_NOT_READABLE = 1u << 20, /* readable: false */
  CNET__R_WRITE_AFTER_FIN = 1u << 21, /* net: peer ended, allowHalfOpen off */
  /* both */
  CNET__S_DESTROYED = 1u << 22,
  CNET__S_CLOSED = 1u << 23,
  CNET__S_CLOSE_EMITTED = 1u << 24,
  CNET__S_ERROR_EMITTED = 1u << 25,
  CNET__S_ERRORED = 1u << 26,
  CNET__S_EMIT_CLOSE = 1u << 27, /* emit 'close' from the core */
  CNET__S_ALLOW_HALF_OPEN = 1u << 28,
  CNET__S_HELD = 1u << 29,
  CNET__S_FREED = 1u << 30,
  /* cnet's own: writes wait in the queue for the loop's before-wait
   * phase (cnet__stream_set_coalesce) */
  CNET__W_COALESCE = 1u << 31
};

struct cnet__stream {
  cnet__handle h; /* first: a stream is an emitter and a handle; its
                   * h.em.ops_ is the head of its cnet__stream_vt */
  uint32_t flags;
  uint32_t hwm;
  size_t length;   /* writableLength */
  size_t writelen; /* bytes of the write in progress */
  int32_t pendingcb;
  uint16_t corked;
  uint16_t refs;   /* ticks and calls in flight that use s */
  struct cnet__wreq *buf; /* buffered writes: the last, whose next is the first */
  struct cnet__stream_x *x; /* rarely needed state, allocated on demand */
};

/* The stream's vt (its ops are the vt's first member). */
#define CNET__VT(s) ((const cnet__stream_vt *)(s)->h.em.ops_)

/* Node's default highWaterMark of a Writable (objects given no mark). */
#define CNET__HWM_DEFAULT (16 * 1024)
/* An options struct's mark: its value when set (zero counts only with
 * has_high_water_mark, as the convention says), else dflt. */
#define CNET__HWM(o, dflt) \
  ((o).high_water_mark || (o).has_high_water_mark ? (o).high_water_mark : (dflt))
int cnet__stream_init(cnet_loop *loop, cnet__stream *s,
                       const cnet__stream_vt *vt, size_t hwm, uint32_t flags);
/* Node's _undestroy: a closed stream made new for reuse (reconnect). */
void cnet__stream_reset(cnet__stream *s);

/* Writable. */
/* The error the stream was destroyed with, or NULL. */
const cnet_error *cnet__stream_errored(const cnet__stream *s);
bool cnet__stream_write(cnet__stream *s, const void *data, size_t len,
                        cnet_callback cb, void *arg);
void cnet__stream_end(cnet__stream *s, const void *data, size_t len,
                      cnet_callback cb, void *arg);
void cnet__stream_cork(cnet__stream *s);
void cnet__stream_uncork(cnet__stream *s);
void cnet__stream_onwrite(cnet__stream *s, const cnet_error *err);
void cnet__stream_onfinal(cnet__stream *s, const cnet_error *err);
bool cnet__stream_writable(const cnet__stream *s);
/* Node's writableNeedDrain. */
static inline bool cnet__stream_need_drain(const cnet__stream *s) {
  return (s->flags & (CNET__S_DESTROYED | CNET__W_ENDING | CNET__W_NEED_DRAIN)) ==
         CNET__W_NEED_DRAIN;
}
/* Whether the write in progress, completed now, hands the writes queued
 * behind it to the implementation before its callback runs (Node's
 * clearBuffer before afterWrite): some are queued, none corked. */
bool cnet__stream_writes_follow(const cnet__stream *s);
/* Bytes queued behind the write in progress (part of writableLength). */
size_t cnet__stream_buffered_bytes(const cnet__stream *s);
/* Per-turn write coalescing, cnet's own (Node has none): on, a write
 * waits in the queue as if the stream were corked, and the queue is
 * flushed in one writev just before the loop next waits for I/O
 * (cnet__before_wait), so that the writes of one turn cost one system
 * call; the write that brings the queue to the high-water mark flushes it
 * at once. Everything else is as for any queued write: writableLength
 * counts them, 'drain' and the callbacks follow the flush, end() sends
 * them first. Off, what is queued leaves at once. 0, or CNET_ENOMEM (the
 * flush's place in the rarely needed state). */
int cnet__stream_set_coalesce(cnet__stream *s, bool on);
/* Before the user's destroy(): what waits for the turn's flush leaves
 * now, as it would have left at the write without coalescing (corked
 * writes and those behind a write in progress are dropped, as ever). */
void cnet__stream_flush_coalesced(cnet__stream *s);

/* Readable. */
/* Reads an implementation makes per wake-up before the loop serves the
 * others (as libuv's uv__read): at most 32 times the loop's 64 KiB buffer
 * from one stream per turn, so a busy stream cannot starve the rest, and a
 * fast one still pays one poll for 2 MiB. */
#define CNET__READS_PER_WAKEUP 32
void cnet__stream_push(cnet__stream *s, const char *data, size_t len);
void cnet__stream_push_eof(cnet__stream *s);
void cnet__stream_pause(cnet__stream *s);
void cnet__stream_resume(cnet__stream *s);
bool cnet__stream_is_paused(const cnet__stream *s);
static inline bool cnet__stream_flowing(const cnet__stream *s) {
  return (s->flags & (CNET__R_FLOWING | CNET__S_DESTROYED | CNET__R_ENDED)) ==
         CNET__R_FLOWING;
}
bool cnet__stream_readable(const cnet__stream *s);
int cnet__stream_set_encoding(cnet__stream *s, const char *encoding);
/* Whether setEncoding() gave s a decoder ('data' then carries text). */
bool cnet__stream_decoding(const cnet__stream *s);
/* Node's readableEncoding: the decoder's canonical name, or NULL. */
const char *cnet__stream_encoding(const cnet__stream *s);

/* Destroy. err is copied. */
void cnet__stream_destroy(cnet__stream *s, const cnet_error *err);
void cnet__stream_ondestroy(cnet__stream *s, const cnet_error *err);
/* Node's errorOrDestroy (streams here always auto-destroy). */
void cnet__stream_error(cnet__stream *s, const cnet_error *err);
/* The object's own 'close' was emitted (implementations that emit it
 * themselves, as sockets do); frees s if nothing else holds it. */
void cnet__stream_closed(cnet__stream *s);

/* What a write left unsent: the bytes of chunks (total bytes) after the
 * first `done`, copied into one malloc'd buffer of total - done bytes
 * (NULL when out of memory). For implementations whose kernel took part
 * of a write. */
char *cnet__chunks_rest(const cnet__chunk *chunks, size_t n, size_t total,
                        size_t done);

/* Hands chunks (total bytes) to writev-like fn, at most CNET__IOV_MAX at a
 * time, until all are written or fn takes less than it was given (the
 * kernel is full). Returns the bytes taken, or -1 with errno when the
 * first call failed with something other than EAGAIN. A failure after
 * some bytes were taken returns those bytes: the next attempt meets the
 * error again. */
#define CNET__IOV_MAX 1024 /* the kernel's UIO_MAXIOV */
struct iovec;
ssize_t cnet__chunks_writev(const cnet__chunk *chunks, size_t n, size_t total,
                            ssize_t (*fn)(void *ctx, struct iovec *iov, int cnt),
                            void *ctx);

/* ---- a stream as an emitter and a handle (src/stream_emit.c) ----------- */

/* The object as a stream, or NULL if it is none. */
cnet__stream *cnet__stream_of(const void *object);
/* Every stream's emitter data_slot: the pointer lives in the stream's
 * rarely needed state, so that a connection pays nothing for it. */
void **cnet__stream_data_slot(void *object, bool create);

/* Emitter ops for streams: a 'data' listener starts the stream flowing
 * unless it was paused (Readable.prototype.on, which a Writable does not
 * have); an 'error' nobody listens to destroys it. */
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

/* Whether s has a writable (readable) side at all: a Duplex has both
 * even when one is switched off; a Readable or a Writable has one. */
static inline bool cnet__stream_has_writable(const cnet__stream *s) {
  return (CNET__VT(s)->caps & CNET__CAP_DUPLEX) || !(s->flags & CNET__W_NOT_WRITABLE);
}
static inline bool cnet__stream_has_readable(const cnet__stream *s) {
  return (CNET__VT(s)->caps & CNET__CAP_DUPLEX) || !(s->flags & CNET__R_NOT_READABLE);
}

/* pipe()'s state for s as a source: src/pipe.c's, which the core only
 * keeps (NULL until pipe() sets one). Setting it fails (false) only when
 * s's rarely needed state cannot be allocated. */
struct cnet__pipe_state;
struct cnet__pipe_state *cnet__stream_pipe_state(const cnet__stream *s);
bool cnet__stream_set_pipe_state(cnet__stream *s, struct cnet__pipe_state *ps);

/* Keep s alive across a deferred call: ref before, unref after. */
void cnet__stream_free_maybe(cnet__stream *s);
static inline void cnet__stream_ref(cnet__stream *s) { s->refs++; }
static inline void cnet__stream_unref(cnet__stream *s) {
  if (--s->refs == 0 && (s->flags & CNET__S_CLOSED)) cnet__stream_free_maybe(s);
}
/* Runs fn(s) on the next tick, s kept alive meanwhile. */
int cnet__stream_tick(cnet__stream *s, void (*fn)(cnet__stream *s));

#endif
