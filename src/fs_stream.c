/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* fs.ReadStream and fs.WriteStream (Node's lib/internal/fs/streams.js) on
 * the stream core. Every system call that may touch the disk (open, read,
 * write, fsync, close) runs on the worker pool, so a slow disk never
 * stalls the loop; a stream has at most one such call in flight, which
 * keeps writes in order and lets destroy wait for it before closing the
 * fd (Node's kIsPerformingIO / kIoDone).
 *
 * A read stream owns one buffer of highWaterMark bytes. It reads only
 * while it flows; a read that completes after a pause keeps its chunk
 * there and emits it on resume, so no byte is read twice or lost. */
#include "fs_stream.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cnet/stream.h"
#include "threadpool.h"

#define READ_HWM_DEFAULT (64 * 1024)
#define WRITE_HWM_DEFAULT (16 * 1024)

enum { OP_NONE, OP_OPEN, OP_READ, OP_WRITE, OP_CLOSE, OP_SPLICE };

typedef struct fs_stream {
  cnet__stream s;
  cnet__work work;
  /* The request: written by the loop before a submit, read by the pool
   * thread, its results read back by the loop in done. */
  int op;
  int fd;
  const char *path;
  int oflags;
  int mode;
  char *buf;
  size_t len;
  bool use_pos;
  int64_t pos_io;
  bool flush;
  ssize_t result;
  int err; /* errno of the failed call, 0 if none */

  /* The loop's side. */
  bool is_write;
  bool busy;         /* a request is with the pool */
  bool opened;
  bool auto_close;
  bool has_pos;      /* Node's this.pos !== undefined */
  bool has_end;
  bool held_tick;    /* a tick will emit the held chunk */
  bool write_waiting; /* the first write came before the fd was open */
  bool final_waiting;
  bool has_derr;
  uint64_t pos;
  uint64_t end;
  uint64_t bytes;    /* bytesRead / bytesWritten */
  size_t read_hwm;
  size_t held;       /* bytes of a chunk read while paused */
  size_t cap;        /* of buf */
  cnet_error derr;   /* the error destroy was given */
  char *path_copy;
  /* pipe() from a socket through the kernel (src/splice.c): the job
   * attached to this stream, and the one in flight. */
  struct cnet__splice_job *splice;
  struct cnet__splice_job *splice_job;
} fs_stream;

struct cnet_fs_read_stream { fs_stream f; };
struct cnet_fs_write_stream { fs_stream f; };

static fs_stream *as_fs(cnet__stream *s) { return (fs_stream *)s; }

/* Node's uvException: "<CODE>: <libuv text>, <syscall> '<path>'". */
static void fs_error(cnet_error *e, int code, const char *syscall,
                     const char *path) {
  if (path)
    cnet_error_set(e, code, "%s: %s, %s '%s'", cnet_err_name(code),
                   cnet_strerror(code), syscall, path);
  else
    cnet_error_set(e, code, "%s: %s, %s", cnet_err_name(code),
                   cnet_strerror(code), syscall);
  e->syscall = syscall;
  if (path) {
    size_t n = strlen(path);
    if (n >= sizeof e->address) n = sizeof e->address - 1;
    memcpy(e->address, path, n);
    e->address[n] = '\0';
  }
}

/* ---- on the pool ------------------------------------------------------------- */

static void fs_work(cnet__work *w) {
  fs_stream *f = CNET__CONTAINER_OF(w, fs_stream, work);
  f->err = 0;
  switch (f->op) {
    case OP_OPEN: {
      int fd;
      do fd = open(f->path, f->oflags | O_CLOEXEC, f->mode);
      while (fd < 0 && errno == EINTR);
      f->result = fd;
      if (fd < 0) f->err = errno;
      break;
    }
    case OP_READ: {
      ssize_t n;
      do n = f->use_pos ? pread(f->fd, f->buf, f->len, (off_t)f->pos_io)
                        : read(f->fd, f->buf, f->len);
      while (n < 0 && errno == EINTR);
      f->result = n;
      if (n < 0) f->err = errno;
      break;
    }
    case OP_WRITE: {
      /* Node's writeAll: everything, retrying short writes; EAGAIN (an
       * fd in non-blocking mode) waits here, on the pool, not the loop. */
      size_t off = 0;
      int retries = 0;
      while (off < f->len) {
        ssize_t n = f->use_pos
                        ? pwrite(f->fd, f->buf + off, f->len - off, (off_t)(f->pos_io + (int64_t)off))
                        : write(f->fd, f->buf + off, f->len - off);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
          struct pollfd p = {.fd = f->fd, .events = POLLOUT};
          poll(&p, 1, -1);
          continue;
        }
        if (n < 0) {
          f->err = errno;
          break;
        }
        if (n == 0 && ++retries > 5) {
          f->err = EIO;
          break;
        }
        if (n > 0) retries = 0;
        off += (size_t)n;
      }
      f->result = (ssize_t)off;
      break;
    }
    case OP_SPLICE: {
      int64_t pos = f->pos_io;
      struct cnet__splice_job *job = f->splice_job;
      f->result = (ssize_t)job->ops->work(job, f->fd, f->use_pos ? &pos : NULL);
      break;
    }
    case OP_CLOSE:
      if (f->flush && fsync(f->fd) != 0) f->err = errno;
      if (close(f->fd) != 0 && !f->err && errno != EINTR) f->err = errno;
      f->result = 0;
      break;
  }
}

static void fs_done(cnet__work *w, int status);

static int submit(fs_stream *f, int op) {
  f->op = op;
  f->busy = true;
  int r = cnet__work_submit(f->s.h.loop, &f->work, fs_work, fs_done);
  if (r) f->busy = false;
  return r;
}

/* ---- destroy ---------------------------------------------------------------- */

static void finish_destroy(fs_stream *f, const cnet_error *close_err) {
  cnet__stream_finish_destroy(&f->s, f->has_derr ? &f->derr : close_err);
}

/* The second half of _destroy, once no request is in flight: close the
 * fd (on the pool), then report. */
static void continue_destroy(fs_stream *f) {
  if (f->write_waiting) {
    /* The first write waited for an open that failed or was abandoned:
     * it fails, as Node's buffered writes do when construct fails. */
    f->write_waiting = false;
    cnet_error e;
    cnet_error_set(&e, CNET_ERR_STREAM_DESTROYED,
                   "Cannot call write after a stream was destroyed");
    cnet__stream_onwrite(&f->s, f->has_derr ? &f->derr : &e);
  }
  f->final_waiting = false;
  if (f->fd >= 0 && f->auto_close) {
    if (submit(f, OP_CLOSE) == 0) return;
    close(f->fd); /* no pool thread: a close is better late than never */
    f->fd = -1;
  }
  finish_destroy(f, NULL);
}

static void fs_destroy(cnet__stream *s, const cnet_error *err) {
  fs_stream *f = as_fs(s);
  if (err) {
    f->derr = *err;
    f->has_derr = true;
  }
  if (f->busy) {
    /* Not started yet: it never will. Either way fs_done goes on. */
    cnet__work_cancel(&f->work);
    return;
  }
  continue_destroy(f);
}

/* ---- reading ---------------------------------------------------------------- */

static void start_read(fs_stream *f) {
  cnet__stream *s = &f->s;
  if (!f->opened || f->busy || f->held || f->held_tick ||
      (s->flags & (CNET__S_DESTROYED | CNET__R_ENDED)) || !cnet__stream_flowing(s))
    return;
  size_t n = f->read_hwm;
  if (f->has_end) {
    uint64_t at = f->has_pos ? f->pos : f->bytes;
    uint64_t left = f->end + 1 > at ? f->end + 1 - at : 0;
    if (left < n) n = (size_t)left;
  }
  if (n == 0) {
    cnet__stream_push_eof(s);
    return;
  }
  if (!f->buf) {
    f->buf = malloc(f->read_hwm);
    if (!f->buf) {
      cnet_error e;
      cnet_error_set(&e, CNET_ENOMEM, "read: out of memory");
      cnet__stream_destroy(s, &e);
      return;
    }
    f->cap = f->read_hwm;
  }
  f->len = n;
  f->use_pos = f->has_pos;
  f->pos_io = (int64_t)f->pos;
  int r = submit(f, OP_READ);
  if (r) {
    cnet_error e;
    fs_error(&e, r, "read", NULL);
    cnet__stream_destroy(s, &e);
  }
}

/* Emits n bytes of the buffer and reads on if the stream still flows. */
static void emit_chunk(fs_stream *f, size_t n) {
  cnet__stream_ref(&f->s);
  cnet__stream_push(&f->s, f->buf, n);
  start_read(f);
  cnet__stream_unref(&f->s);
}

static void held_tick(cnet__stream *s) {
  fs_stream *f = as_fs(s);
  f->held_tick = false;
  if (s->flags & CNET__S_DESTROYED) return;
  if (f->held && cnet__stream_flowing(s)) {
    size_t n = f->held;
    f->held = 0;
    emit_chunk(f, n);
  } else {
    start_read(f);
  }
}

static void read_done(fs_stream *f) {
  cnet__stream *s = &f->s;
  if (f->result < 0) {
    cnet_error e;
    fs_error(&e, cnet_errno(f->err), "read", NULL);
    cnet__stream_destroy(s, &e);
    return;
  }
  size_t n = (size_t)f->result;
  if (n == 0) {
    cnet__stream_push_eof(s);
    return;
  }
  if (f->has_pos) f->pos += n;
  f->bytes += n;
  if (cnet__stream_flowing(s))
    emit_chunk(f, n);
  else
    f->held = n; /* paused while reading: kept for the resume */
}

/* Resume (the core's resume tick, before 'resume' is emitted): a held
 * chunk goes out on the next tick, after 'resume', as Node's flow() emits
 * buffered data after it. */
static void fs_read_start(cnet__stream *s) {
  fs_stream *f = as_fs(s);
  if (f->held) {
    if (!f->held_tick && cnet__stream_tick(s, held_tick) == 0) f->held_tick = true;
    return;
  }
  start_read(f);
}

static void fs_read_stop(cnet__stream *s) { (void)s; }

/* ---- writing ---------------------------------------------------------------- */

static void write_failed(fs_stream *f, int code) {
  cnet_error e;
  fs_error(&e, code, "write", NULL);
  cnet__stream_onwrite(&f->s, &e);
}

static void submit_write(fs_stream *f) {
  f->use_pos = f->has_pos;
  f->pos_io = (int64_t)f->pos;
  if (f->has_pos) f->pos += f->len; /* Node moves this.pos at dispatch */
  int r = submit(f, OP_WRITE);
  if (r) write_failed(f, r);
}

static void fs_write(cnet__stream *s, const cnet__chunk *chunks, size_t n,
                     size_t total) {
  fs_stream *f = as_fs(s);
  /* The chunks are the caller's only during this call: the pool thread
   * writes from a copy. */
  if (total > f->cap || !f->buf) {
    char *nb = malloc(total ? total : 1);
    if (!nb) {
      write_failed(f, CNET_ENOMEM);
      return;
    }
    free(f->buf);
    f->buf = nb;
    f->cap = total ? total : 1;
  }
  size_t off = 0;
  for (size_t i = 0; i < n; i++) {
    if (chunks[i].len) memcpy(f->buf + off, chunks[i].base, chunks[i].len);
    off += chunks[i].len;
  }
  f->len = total;
  if (!f->opened || f->busy) {
    /* Not open yet, or a splice job writes: this write goes after it. */
    f->write_waiting = true;
    return;
  }
  submit_write(f);
}

static void write_done(fs_stream *f, bool cancelled) {
  cnet__stream *s = &f->s;
  cnet_error e;
  const cnet_error *err = NULL;
  if (cancelled || (s->flags & CNET__S_DESTROYED)) {
    /* Node's writeAll: a write that ends after destroy fails. */
    cnet_error_set(&e, CNET_ERR_STREAM_DESTROYED,
                   "Cannot call write after a stream was destroyed");
    err = &e;
  } else if (f->err) {
    fs_error(&e, cnet_errno(f->err), "write", NULL);
    err = &e;
  } else {
    f->bytes += (uint64_t)f->result;
  }
  /* Large copies are not kept between writes. */
  if (f->cap > 4 * WRITE_HWM_DEFAULT && f->cap > s->hwm) {
    free(f->buf);
    f->buf = NULL;
    f->cap = 0;
  }
  cnet__stream_onwrite(s, err);
}

static void fs_final(cnet__stream *s) {
  fs_stream *f = as_fs(s);
  if (!f->opened || f->busy) {
    /* Node's finishMaybe waits for _construct; cnet's, for a splice job. */
    f->final_waiting = true;
    return;
  }
  cnet__stream_onfinal(s, NULL);
}

/* ---- a write stream as a splice destination (cnet__splice_dst_ops) ------- */

static struct cnet__splice_job **splice_slot(cnet__stream *s) { return &as_fs(s)->splice; }

static int splice_fd(const cnet__stream *s) { return ((const fs_stream *)s)->fd; }

static bool splice_idle(const cnet__stream *s) {
  const fs_stream *f = (const fs_stream *)s;
  return f->opened && f->fd >= 0 && !f->busy && !f->write_waiting && !f->final_waiting;
}

static int splice_submit(cnet__stream *s, struct cnet__splice_job *job) {
  fs_stream *f = as_fs(s);
  f->splice_job = job;
  f->use_pos = f->has_pos;
  f->pos_io = (int64_t)f->pos;
  int r = submit(f, OP_SPLICE);
  if (r) f->splice_job = NULL;
  return r;
}

/* ---- opening -------------------------------------------------------------- */

/* Node's onConstruct, a tick after the open: buffered writes and a
 * waiting end go on, a flowing read stream starts reading. */
static void after_open_tick(cnet__stream *s) {
  fs_stream *f = as_fs(s);
  if (s->flags & CNET__S_DESTROYED) return;
  if (!f->is_write) {
    start_read(f);
    return;
  }
  if (f->write_waiting) {
    f->write_waiting = false;
    submit_write(f);
  }
  if (f->final_waiting && !f->busy) {
    f->final_waiting = false;
    cnet__stream_onfinal(s, NULL);
  }
}

static void open_done(fs_stream *f) {
  cnet__stream *s = &f->s;
  if (f->result < 0) {
    cnet_error e;
    fs_error(&e, cnet_errno(f->err), "open", f->path_copy);
    cnet__stream_destroy(s, &e);
    return;
  }
  f->fd = (int)f->result;
  f->opened = true;
  cnet__stream_ref(s);
  cnet__stream_tick(s, after_open_tick);
  cnet_event ev = {.type = CNET_EV_OPEN, .value = (void *)(intptr_t)f->fd};
  cnet_emit(s, &ev);
  if (!(s->flags & CNET__S_DESTROYED)) {
    ev = (cnet_event){.type = CNET_EV_READY};
    cnet_emit(s, &ev);
  }
  cnet__stream_unref(s);
}

/* A splice job ended: its bytes count as written (at pos, if the stream
 * has one), then what waited for it goes on as after a write. */
static void splice_done(fs_stream *f, bool cancelled) {
  cnet__stream *s = &f->s;
  struct cnet__splice_job *job = f->splice_job;
  f->splice_job = NULL;
  if (!cancelled) {
    f->bytes += (uint64_t)f->result;
    if (f->has_pos) f->pos += (uint64_t)f->result;
  }
  int err = job->ops->done(job, cancelled); /* may start the next job */
  if (s->flags & CNET__S_DESTROYED) {
    /* A write that waited for the job fails in continue_destroy, which
     * calls its callback: leave write_waiting for it to see. */
    f->final_waiting = false;
    if (!f->busy && !(s->flags & CNET__S_CLOSED)) continue_destroy(f);
  } else if (err) {
    /* As a failed write: the stream is destroyed with Node's error. */
    cnet_error e;
    fs_error(&e, cnet_errno(err), "write", NULL);
    cnet__stream_error(s, &e);
  } else if (f->write_waiting && !f->busy) {
    f->write_waiting = false;
    submit_write(f);
  } else if (f->final_waiting && !f->busy) {
    f->final_waiting = false;
    cnet__stream_onfinal(s, NULL);
  }
}

static void fs_done(cnet__work *w, int status) {
  fs_stream *f = CNET__CONTAINER_OF(w, fs_stream, work);
  cnet__stream *s = &f->s;
  bool cancelled = status == CNET_ECANCELED;
  int op = f->op;
  f->busy = false;
  f->op = OP_NONE;
  cnet__stream_ref(s);
  switch (op) {
    case OP_OPEN:
      if (s->flags & CNET__S_DESTROYED) {
        if (!cancelled && f->result >= 0) f->fd = (int)f->result;
        continue_destroy(f);
      } else {
        open_done(f);
      }
      break;
    case OP_READ:
      if (s->flags & CNET__S_DESTROYED)
        continue_destroy(f);
      else
        read_done(f);
      break;
    case OP_WRITE:
      write_done(f, cancelled);
      if (s->flags & CNET__S_DESTROYED) {
        if (f->final_waiting) f->final_waiting = false;
        if (!f->busy && !(s->flags & CNET__S_CLOSED)) continue_destroy(f);
      } else if (f->final_waiting && !f->busy) {
        f->final_waiting = false;
        cnet__stream_onfinal(s, NULL);
      }
      break;
    case OP_SPLICE:
      splice_done(f, cancelled);
      break;
    case OP_CLOSE: {
      f->fd = -1;
      cnet_error e;
      if (f->err) fs_error(&e, cnet_errno(f->err), "close", NULL);
      finish_destroy(f, f->err ? &e : NULL);
      break;
    }
  }
  cnet__stream_unref(s);
}

/* ---- the stream ------------------------------------------------------------- */

static void fs_free(cnet__stream *s) {
  fs_stream *f = as_fs(s);
  free(f->buf);
  free(f->path_copy);
  free(f);
}

static const cnet__stream_vt read_vt = {
    .ops = {"fs.ReadStream", cnet__stream_unhandled, cnet__stream_listener_added,
            cnet__stream_handle_closed, true, cnet__stream_data_slot},
    .read_start = fs_read_start,
    .read_stop = fs_read_stop,
    .destroy = fs_destroy,
    .free = fs_free,
};

static const cnet__splice_dst_ops splice_dst = {
    .slot = splice_slot,
    .fd = splice_fd,
    .idle = splice_idle,
    .submit = splice_submit,
};

static const cnet__stream_vt write_vt = {
    .ops = {"fs.WriteStream", cnet__stream_unhandled, NULL,
            cnet__stream_handle_closed, true, cnet__stream_data_slot},
    .write = fs_write,
    .final = fs_final,
    .destroy = fs_destroy,
    .free = fs_free,
    .splice_dst = &splice_dst,
};

/* process.stdout and process.stderr on a regular file: a write stream
 * that pipe() never ends. */
static const cnet__stream_vt stdout_vt = {
    .ops = {"fs.WriteStream", cnet__stream_unhandled, NULL,
            cnet__stream_handle_closed, true, cnet__stream_data_slot},
    .caps = CNET__CAP_PIPE_NO_END,
    .write = fs_write,
    .final = fs_final,
    .destroy = fs_destroy,
    .free = fs_free,
    .splice_dst = &splice_dst,
};

/* Node's stringToFlags. */
static int parse_flags(const char *s, int *out) {
  static const struct {
    const char *name;
    int flags;
  } map[] = {
      {"r", O_RDONLY},
      {"rs", O_RDONLY | O_SYNC},
      {"sr", O_RDONLY | O_SYNC},
      {"r+", O_RDWR},
      {"rs+", O_RDWR | O_SYNC},
      {"sr+", O_RDWR | O_SYNC},
      {"w", O_TRUNC | O_CREAT | O_WRONLY},
      {"wx", O_TRUNC | O_CREAT | O_WRONLY | O_EXCL},
      {"xw", O_TRUNC | O_CREAT | O_WRONLY | O_EXCL},
      {"w+", O_TRUNC | O_CREAT | O_RDWR},
      {"wx+", O_TRUNC | O_CREAT | O_RDWR | O_EXCL},
      {"xw+", O_TRUNC | O_CREAT | O_RDWR | O_EXCL},
      {"a", O_APPEND | O_CREAT | O_WRONLY},
      {"ax", O_APPEND | O_CREAT | O_WRONLY | O_EXCL},
      {"xa", O_APPEND | O_CREAT | O_WRONLY | O_EXCL},
      {"as", O_APPEND | O_CREAT | O_WRONLY | O_SYNC},
      {"sa", O_APPEND | O_CREAT | O_WRONLY | O_SYNC},
      {"a+", O_APPEND | O_CREAT | O_RDWR},
      {"ax+", O_APPEND | O_CREAT | O_RDWR | O_EXCL},
      {"xa+", O_APPEND | O_CREAT | O_RDWR | O_EXCL},
      {"as+", O_APPEND | O_CREAT | O_RDWR | O_SYNC},
      {"sa+", O_APPEND | O_CREAT | O_RDWR | O_SYNC},
  };
  for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
    if (strcmp(map[i].name, s) == 0) {
      *out = map[i].flags;
      return 0;
    }
  return CNET_ERR_INVALID_ARG_VALUE;
}

static fs_stream *fs_create(cnet_loop *loop, const char *path,
                            const cnet_fs_stream_options *opts,
                            const cnet__stream_vt *vt, int *err) {
  bool is_write = vt != &read_vt;
  cnet_fs_stream_options o = {0};
  if (opts) o = *opts;
  if (err) *err = 0;
  int r = 0, oflags = 0;
  if (!o.has_fd && o.fd <= 0) o.fd = -1; /* zero: no fd, unless said */
  if (!loop || (!path && o.fd < 0))
    r = CNET_EINVAL;
  else if (path && parse_flags(o.flags ? o.flags : (is_write ? "w" : "r"), &oflags) != 0)
    r = CNET_ERR_INVALID_ARG_VALUE;
  else if (!is_write && o.has_start && o.has_end && o.start > o.end)
    r = CNET_ERR_OUT_OF_RANGE;
  else if ((o.has_start && o.start > INT64_MAX) || (o.has_end && o.end >= INT64_MAX))
    r = CNET_ERR_OUT_OF_RANGE;
  if (r) {
    if (err) *err = r;
    return NULL;
  }
  fs_stream *f = calloc(1, sizeof *f);
  char *copy = path ? strdup(path) : NULL;
  if (!f || (path && !copy)) {
    free(f);
    free(copy);
    if (err) *err = CNET_ENOMEM;
    return NULL;
  }
  size_t hwm = o.high_water_mark;
  int r_init = is_write
                   ? cnet__stream_init(loop, &f->s, vt, CNET__HWM(o, WRITE_HWM_DEFAULT),
                                       CNET__S_EMIT_CLOSE | CNET__R_NOT_READABLE |
                                           CNET__R_ENDED | CNET__R_END_EMITTED)
                   : cnet__stream_init(loop, &f->s, &read_vt, WRITE_HWM_DEFAULT,
                                       CNET__S_EMIT_CLOSE | CNET__W_NOT_WRITABLE |
                                           CNET__W_ENDING | CNET__W_ENDED |
                                           CNET__W_FINISHED);
  if (r_init != 0) {
    free(f);
    free(copy);
    if (err) *err = CNET_ENOMEM;
    return NULL;
  }
  if (!is_write) f->read_hwm = hwm ? hwm : READ_HWM_DEFAULT;
  f->is_write = is_write;
  f->fd = -1;
  f->auto_close = !o.no_auto_close;
  f->flush = o.flush;
  f->has_pos = o.has_start;
  f->pos = o.start;
  f->has_end = !is_write && o.has_end;
  f->end = o.end;
  f->path_copy = copy;
  f->path = copy;
  f->oflags = oflags;
  f->mode = o.mode ? o.mode : 0666;
  if (!path) {
    f->fd = o.fd;
    f->opened = true;
    return f;
  }
  r = submit(f, OP_OPEN);
  if (r) {
    /* Reported as Node reports an open error: 'error', then 'close'. */
    cnet_error e;
    fs_error(&e, r, "open", copy);
    cnet__stream_destroy(&f->s, &e);
  }
  return f;
}

/* The public constructors: the stream in *out, or Node's thrown error. */
static int fs_create_public(cnet_loop *loop, const char *path,
                            const cnet_fs_stream_options *opts,
                            const cnet__stream_vt *vt, void **out) {
  if (!out) return cnet__fail(CNET_EINVAL, NULL);
  int err = 0;
  *out = fs_create(loop, path, opts, vt, &err);
  if (!*out) return cnet__fail(err, NULL);
  return 0;
}

int cnet_fs_create_read_stream(cnet_loop *loop, const char *path,
                               const cnet_fs_stream_options *opts,
                               cnet_fs_read_stream **out) {
  return fs_create_public(loop, path, opts, &read_vt, (void **)out);
}

int cnet_fs_create_write_stream(cnet_loop *loop, const char *path,
                                const cnet_fs_stream_options *opts,
                                cnet_fs_write_stream **out) {
  return fs_create_public(loop, path, opts, &write_vt, (void **)out);
}

cnet__stream *cnet__fs_stdio_stream(cnet_loop *loop, int fd, int *err) {
  cnet_fs_stream_options o = {.fd = fd, .has_fd = true, .no_auto_close = true};
  fs_stream *f = fs_create(loop, NULL, &o, fd == 0 ? &read_vt : &stdout_vt, err);
  return f ? &f->s : NULL;
}

/* ---- properties and close ----------------------------------------------------- */

uint64_t cnet_fs_read_stream_bytes_read(const cnet_fs_read_stream *rs) {
  return rs ? rs->f.bytes : 0;
}
const char *cnet_fs_read_stream_path(const cnet_fs_read_stream *rs) {
  return rs ? rs->f.path_copy : NULL;
}
bool cnet_fs_read_stream_pending(const cnet_fs_read_stream *rs) {
  return rs && rs->f.fd < 0;
}
uint64_t cnet_fs_write_stream_bytes_written(const cnet_fs_write_stream *ws) {
  return ws ? ws->f.bytes : 0;
}
const char *cnet_fs_write_stream_path(const cnet_fs_write_stream *ws) {
  return ws ? ws->f.path_copy : NULL;
}
bool cnet_fs_write_stream_pending(const cnet_fs_write_stream *ws) {
  return ws && ws->f.fd < 0;
}

struct close_cb {
  cnet_callback cb;
  void *arg;
  bool premature; /* read streams: finished() reports a close before 'end' */
};

static void on_close_cb(const cnet_event *ev, void *arg) {
  struct close_cb *c = arg;
  cnet__stream *s = ev->target;
  cnet_error e;
  const cnet_error *err = NULL;
  if (c->premature && !(s->flags & CNET__R_END_EMITTED)) {
    cnet_error_set(&e, CNET_ERR_STREAM_PREMATURE_CLOSE, "Premature close");
    err = &e;
  }
  c->cb(s, err, c->arg);
  free(c);
}

static void close_cb_tick(void *arg) {
  struct close_cb *c = arg;
  c->cb(NULL, NULL, c->arg);
  free(c);
}

static int add_close_cb(fs_stream *f, cnet_callback cb, void *arg, bool premature) {
  if (!cb) return 0;
  struct close_cb *c = malloc(sizeof *c);
  if (!c) return cnet__fail(CNET_ENOMEM, NULL);
  c->cb = cb;
  c->arg = arg;
  c->premature = premature;
  if (f->s.flags & CNET__S_CLOSE_EMITTED) {
    /* Node: process.nextTick(cb) when already closed. */
    int r = cnet_next_tick(f->s.h.loop, close_cb_tick, c);
    if (r) free(c);
    return r;
  }
  int r = cnet_once(&f->s, CNET_EV_CLOSE, on_close_cb, c);
  if (r) free(c);
  return r;
}

int cnet_fs_read_stream_close(cnet_fs_read_stream *rs, cnet_callback cb, void *arg) {
  if (!rs) return cnet__fail(CNET_EINVAL, NULL);
  int r = add_close_cb(&rs->f, cb, arg, true);
  if (r) return r;
  cnet__stream_destroy(&rs->f.s, NULL);
  return 0;
}

int cnet_fs_write_stream_close(cnet_fs_write_stream *ws, cnet_callback cb, void *arg) {
  if (!ws) return cnet__fail(CNET_EINVAL, NULL);
  int r = add_close_cb(&ws->f, cb, arg, false);
  if (r) return r;
  if (!(ws->f.s.flags & CNET__W_ENDING)) cnet__stream_end(&ws->f.s, NULL, 0, NULL, NULL);
  return 0;
}
