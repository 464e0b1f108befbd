/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* The splice fast path of pipe(socket, fileWriteStream): bytes go from
 * the socket into a pipe(2) and from there into the file with splice(2),
 * in the kernel, instead of read() into the loop's buffer, a 'data' event,
 * write() into the stream's copy and write(2) on the pool.
 *
 * A job runs on the worker pool, in the file stream's own request slot
 * (so the stream's writes, end and destroy wait for it as for a write):
 * it moves what the socket has, up to a budget, socket -> pipe -> file,
 * and leaves the pipe empty. While it runs the loop watches no read event
 * on the socket; the job reads a dup of the socket's fd, so that closing
 * the socket meanwhile cannot hand the number to another file. When it is
 * done, the loop counts the bytes on both sides (bytesRead, bytesWritten)
 * and reports EOF or errors as the copying path would.
 *
 * Each job is started only while nobody could tell it from the copying
 * path: the pipe's 'data' listener is the socket's only one, the socket
 * has no encoding and one destination, and the file stream has nothing
 * buffered, in flight or waiting and is not corked or ending. Otherwise
 * the socket is read as usual; since the pipe(2) is empty between jobs,
 * the two paths can take turns without reordering a byte. */
#include "splice.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

/* Bytes a job may move before it returns to the loop: large enough that
 * the hand-offs cost little, small enough that a pause() or unpipe() is
 * obeyed soon and other requests get the pool's threads. */
#define JOB_BUDGET (4u * 1024 * 1024)
/* The pipe's size: 1 MiB is Linux's default pipe-max-size. */
#define PIPE_SIZE (1024 * 1024)

/* Bytes moved by splice jobs, for tests (tests/unit/test_splice.c). */
_Atomic unsigned long long cnet__splice_test_bytes;

struct cnet__splice {
  struct cnet__splice_job job; /* first: the streams hold and call this */
  cnet__stream *src; /* the socket; NULL once detached */
  cnet__stream *dst; /* the file write stream; NULL once detached */
  cnet__stream *job_src; /* the socket a job reads, held until it is done */
  size_t npipes;     /* the socket's destinations (pipe.c tells) */
  int pipe_r, pipe_w;
  size_t pipe_size;
  bool in_flight;  /* a job, or its completion, is under way */
  bool detached;   /* free the engine once the job is done */
  bool file_ok;    /* dst's fd was checked: a regular file, no O_APPEND */
  bool file_bad;
  /* The job: set on the loop before it is submitted, results read back
   * on the loop once it is done (the pool orders both). */
  int sock_fd;
  size_t moved;
  bool eof, more;
  int read_err, write_err;
};

static void engine_free(struct cnet__splice *sp) {
  if (sp->pipe_r >= 0) close(sp->pipe_r);
  if (sp->pipe_w >= 0) close(sp->pipe_w);
  free(sp);
}

static const cnet__splice_job_ops job_ops;

static const cnet__splice_src_ops *src_ops(const cnet__stream *s) {
  return CNET__VT(s)->splice_src;
}

static const cnet__splice_dst_ops *dst_ops(const cnet__stream *s) {
  return CNET__VT(s)->splice_dst;
}

static bool splice_read(struct cnet__splice *sp);

/* ---- attaching ------------------------------------------------------------- */

void cnet__splice_attach(cnet__stream *src, cnet__stream *dst, size_t npipes) {
  if (!src_ops(src)) return;
  struct cnet__splice_job **sslot = src_ops(src)->slot(src, false);
  if (sslot && *sslot) {
    /* One engine per source, the first file's. */
    ((struct cnet__splice *)*sslot)->npipes = npipes;
    return;
  }
  const char *off = getenv("CNET_NO_SPLICE");
  if (off && *off && *off != '0') return;
  if (!dst_ops(dst)) return;
  struct cnet__splice_job **dslot = dst_ops(dst)->slot(dst);
  if (*dslot) return;
  sslot = src_ops(src)->slot(src, true);
  if (!sslot) return;
  struct cnet__splice *sp = calloc(1, sizeof *sp);
  if (!sp) return; /* the copying path needs nothing more */
  sp->job.ops = &job_ops;
  sp->src = src;
  sp->dst = dst;
  sp->npipes = npipes;
  sp->pipe_r = sp->pipe_w = sp->sock_fd = -1;
  *sslot = &sp->job;
  *dslot = &sp->job;
}

void cnet__splice_detach(cnet__stream *src, cnet__stream *dst, size_t npipes) {
  if (!src_ops(src)) return;
  struct cnet__splice_job **sslot = src_ops(src)->slot(src, false);
  if (!sslot || !*sslot) return;
  struct cnet__splice *sp = (struct cnet__splice *)*sslot;
  sp->npipes = npipes;
  if (dst && sp->dst != dst) return;
  *sslot = NULL;
  *dst_ops(sp->dst)->slot(sp->dst) = NULL;
  sp->src = sp->dst = NULL;
  if (sp->in_flight)
    sp->detached = true;
  else
    engine_free(sp);
}

/* ---- starting a job ---------------------------------------------------------- */

/* splice(2) into a file opened with O_APPEND fails (EINVAL), and other
 * kinds of files (FIFOs, character devices) may block or not splice at
 * all: those keep the copying path. */
static bool file_fits(struct cnet__splice *sp, int fd) {
  if (sp->file_ok || sp->file_bad) return sp->file_ok;
  struct stat st;
  int fl = fcntl(fd, F_GETFL);
  sp->file_ok = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && fl >= 0 && !(fl & O_APPEND);
  sp->file_bad = !sp->file_ok;
  return sp->file_ok;
}

static bool eligible(struct cnet__splice *sp) {
  cnet__stream *src = sp->src, *dst = sp->dst;
  if (!src || !dst || !cnet__stream_flowing(src) || src_ops(src)->fd(src) < 0) return false;
  if (dst->flags & (CNET__S_DESTROYED | CNET__W_ENDING | CNET__W_WRITING | CNET__W_NEED_DRAIN))
    return false;
  if (dst->length || dst->corked || !dst_ops(dst)->idle(dst)) return false;
  if (cnet__stream_decoding(src) || cnet_listener_count(src, CNET_EV_DATA) != 1 ||
      sp->npipes != 1)
    return false;
  return true;
}

static bool ensure_pipe(struct cnet__splice *sp) {
  if (sp->pipe_r >= 0) return true;
  int fds[2];
  if (pipe2(fds, O_CLOEXEC | O_NONBLOCK) != 0) return false;
  /* A larger pipe moves more per call; when the user's pipe-buffer quota
   * is spent the kernel refuses, and the default size does. */
  fcntl(fds[1], F_SETPIPE_SZ, PIPE_SIZE);
  int size = fcntl(fds[1], F_GETPIPE_SZ);
  sp->pipe_r = fds[0];
  sp->pipe_w = fds[1];
  sp->pipe_size = size > 0 ? (size_t)size : 65536;
  return true;
}

static bool splice_read(struct cnet__splice *sp) {
  if (sp->in_flight) return true; /* not watched meanwhile; be safe */
  if (!eligible(sp)) return false;
  if (!file_fits(sp, dst_ops(sp->dst)->fd(sp->dst)) || !ensure_pipe(sp)) return false;
  int fd = fcntl(src_ops(sp->src)->fd(sp->src), F_DUPFD_CLOEXEC, 0);
  if (fd < 0) return false;
  sp->sock_fd = fd;
  sp->moved = 0;
  sp->eof = sp->more = false;
  sp->read_err = sp->write_err = 0;
  if (dst_ops(sp->dst)->submit(sp->dst, &sp->job) != 0) {
    close(fd);
    sp->sock_fd = -1;
    return false;
  }
  sp->in_flight = true;
  sp->job_src = sp->src;
  cnet__stream_ref(sp->job_src);
  src_ops(sp->job_src)->hold_reads(sp->job_src, true);
  return true;
}

/* ---- the job, on the pool ----------------------------------------------------- */

/* Moves len bytes from the pipe into fd. Returns the errno of a failure,
 * 0 when all went; *done says how many did. */
static int pipe_to_file(struct cnet__splice *sp, int fd, loff_t *pos, size_t len,
                        size_t *done) {
  *done = 0;
  int zeros = 0;
  while (*done < len) {
    ssize_t m = splice(sp->pipe_r, NULL, fd, pos, len - *done, SPLICE_F_MOVE);
    if (m < 0 && errno == EINTR) continue;
    if (m < 0 && errno == EAGAIN) {
      /* An fd in non-blocking mode: wait here, on the pool. */
      struct pollfd p = {.fd = fd, .events = POLLOUT};
      poll(&p, 1, -1);
      continue;
    }
    if (m < 0) return errno;
    if (m == 0 && ++zeros > 5) return EIO;
    *done += (size_t)m;
  }
  return 0;
}

static size_t job_work(struct cnet__splice_job *job, int fd, int64_t *pos) {
  struct cnet__splice *sp = (struct cnet__splice *)job;
  loff_t off = pos ? (loff_t)*pos : 0;
  while (sp->moved < JOB_BUDGET) {
    ssize_t n = splice(sp->sock_fd, NULL, sp->pipe_w, NULL, sp->pipe_size,
                       SPLICE_F_MOVE | SPLICE_F_NONBLOCK);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      if (errno != EAGAIN) sp->read_err = errno;
      break;
    }
    if (n == 0) {
      sp->eof = true;
      break;
    }
    size_t done;
    sp->write_err = pipe_to_file(sp, fd, pos ? &off : NULL, (size_t)n, &done);
    sp->moved += done;
    if (sp->write_err) break;
  }
  sp->more = sp->moved >= JOB_BUDGET;
  close(sp->sock_fd);
  sp->sock_fd = -1;
  if (pos) *pos = (int64_t)off;
  return sp->moved;
}

/* ---- back on the loop ------------------------------------------------------------ */

static int job_done(struct cnet__splice_job *job, bool cancelled) {
  struct cnet__splice *sp = (struct cnet__splice *)job;
  if (cancelled) {
    close(sp->sock_fd);
    sp->sock_fd = -1;
    sp->moved = 0;
    sp->eof = sp->more = false;
    sp->read_err = sp->write_err = 0;
  }
  cnet__splice_test_bytes += sp->moved;
  int werr = sp->write_err;
  if (werr) {
    /* Bytes may be left in the pipe: it goes, with them. */
    close(sp->pipe_r);
    close(sp->pipe_w);
    sp->pipe_r = sp->pipe_w = -1;
  }
  /* in_flight stays set while the socket hears of the job: that may run
   * code that detaches the engine, which must not free it under us. */
  cnet__stream *src = sp->job_src;
  sp->job_src = NULL;
  src_ops(src)->spliced(src, sp->moved, sp->eof, sp->read_err);
  sp->in_flight = false;
  if (sp->detached)
    engine_free(sp);
  else if (sp->more && !werr && sp->src == src)
    splice_read(sp); /* the socket surely has more: go on at once */
  cnet__stream_unref(src);
  return werr;
}

static bool job_read(struct cnet__splice_job *job) {
  return splice_read((struct cnet__splice *)job);
}

static const cnet__splice_job_ops job_ops = {
    .read = job_read,
    .work = job_work,
    .done = job_done,
};
