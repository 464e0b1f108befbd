/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* process.stdin, process.stdout and process.stderr.
 *
 * A regular file (or a device that cannot be polled, as /dev/null) is a
 * file stream on the fd, through the worker pool, never closed by cnet.
 * A tty, a pipe or a socket is read and written through the loop. The fd
 * the process got from its parent shares its file description (and so
 * its O_NONBLOCK flag) with the parent and its other children: making it
 * non-blocking would make a shell or a sibling see EAGAIN. libuv does it
 * anyway for pipes (Node restores the flags at exit) and reopens ttys to
 * avoid it. cnet never changes the shared description:
 *   - a tty is reopened by name (as libuv's uv_tty_init does) and a pipe
 *     through /proc/self/fd, giving cnet a description of its own that it
 *     can make non-blocking;
 *   - a socket needs no flag: every call says MSG_DONTWAIT;
 *   - when reopening fails, cnet keeps the descriptor blocking and only
 *     calls what cannot block: one read after the poller reports data,
 *     writes of at most PIPE_BUF bytes (atomic, so never partial) after
 *     it reports room.
 * Writes to a pipe whose reader is gone fail with EPIPE without raising
 * SIGPIPE. */
#include "poller.h"
#include "stream.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include "cnet/stream.h"
#include "fs_stream.h"

enum { M_NONBLOCK, M_SOCKET, M_GUARDED };

typedef struct fd_stream {
  cnet__stream s;
  cnet__io io;
  int mode;
  int stdio_fd; /* 0, 1 or 2 */
  char *out;    /* what the fd has not taken yet */
  size_t out_len, out_off;
} fd_stream;

static fd_stream *as_fds(cnet__stream *s) { return (fd_stream *)s; }

/* ---- the per-process registry --------------------------------------------- */

static pthread_mutex_t reg_mu = PTHREAD_MUTEX_INITIALIZER;
static struct {
  cnet_loop *loop;
  cnet__stream *s;
} reg[3];

static void reg_forget(const cnet_event *ev, void *arg) {
  int fd = (int)(intptr_t)arg;
  pthread_mutex_lock(&reg_mu);
  if (reg[fd].s == ev->target) {
    reg[fd].s = NULL;
    reg[fd].loop = NULL;
  }
  pthread_mutex_unlock(&reg_mu);
}

/* ---- what an fd is ---------------------------------------------------------- */

const char *cnet_guess_handle_type(int fd) {
  struct stat st;
  if (fd < 0) return "UNKNOWN";
  if (isatty(fd)) return "TTY";
  if (fstat(fd, &st) != 0) return "UNKNOWN";
  if (S_ISREG(st.st_mode) || S_ISCHR(st.st_mode)) return "FILE";
  if (S_ISFIFO(st.st_mode)) return "PIPE";
  if (!S_ISSOCK(st.st_mode)) return "UNKNOWN";
  int type = 0;
  socklen_t tl = sizeof type;
  struct sockaddr_storage ss;
  socklen_t sl = sizeof ss;
  if (getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &tl) != 0 ||
      getsockname(fd, (struct sockaddr *)&ss, &sl) != 0)
    return "UNKNOWN";
  bool inet = ss.ss_family == AF_INET || ss.ss_family == AF_INET6;
  if (type == SOCK_DGRAM && inet) return "UDP";
  if (type == SOCK_STREAM) {
    if (inet) return "TCP";
    if (ss.ss_family == AF_UNIX) return "PIPE";
  }
  return "UNKNOWN";
}

/* ---- I/O without SIGPIPE ----------------------------------------------------- */

/* A write to a pipe with no reader raises SIGPIPE in the writing thread;
 * block it for the call and take away the one the call raised, so the
 * caller sees EPIPE (sockets say MSG_NOSIGNAL instead). */
static ssize_t writev_nosig(fd_stream *f, struct iovec *iov, int n) {
  if (f->mode == M_SOCKET) {
    struct msghdr msg = {.msg_iov = iov, .msg_iovlen = (size_t)n};
    ssize_t w;
    do w = sendmsg(f->io.fd, &msg, MSG_NOSIGNAL | MSG_DONTWAIT);
    while (w < 0 && errno == EINTR);
    return w;
  }
  sigset_t pipe_set, old, pending;
  sigemptyset(&pipe_set);
  sigaddset(&pipe_set, SIGPIPE);
  sigpending(&pending);
  bool was_pending = sigismember(&pending, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &pipe_set, &old);
  ssize_t w;
  do w = writev(f->io.fd, iov, n);
  while (w < 0 && errno == EINTR);
  int saved = errno;
  if (w < 0 && saved == EPIPE && !was_pending) {
    struct timespec zero = {0, 0};
    while (sigtimedwait(&pipe_set, NULL, &zero) < 0 && errno == EINTR) {
    }
  }
  pthread_sigmask(SIG_SETMASK, &old, NULL);
  errno = saved;
  return w;
}

/* ---- the fd stream ----------------------------------------------------------- */

static bool fds_open(const fd_stream *f) {
  return f->io.fd >= 0 && !(f->s.flags & CNET__S_DESTROYED);
}

static void update_io(fd_stream *f) {
  uint32_t ev = 0;
  if (fds_open(f)) {
    uint32_t fl = f->s.flags;
    if (!(fl & (CNET__R_NOT_READABLE | CNET__R_ENDED)) && (fl & CNET__R_FLOWING))
      ev |= POLLIN;
    if (f->out) ev |= POLLOUT;
  }
  if (ev != f->io.events) {
    f->io.events = ev;
    if (f->io.fd >= 0) cnet__io_update(f->s.h.loop, &f->io);
  }
  if (ev)
    cnet__handle_start(&f->s.h);
  else
    cnet__handle_stop(&f->s.h);
}

static void write_error(fd_stream *f, int code) {
  cnet_error e;
  cnet_error_syscall(&e, code, "write", NULL, 0);
  cnet__stream_onwrite(&f->s, &e);
}

static void flush_out(fd_stream *f) {
  while (f->out_off < f->out_len) {
    size_t n = f->out_len - f->out_off;
    if (f->mode == M_GUARDED && n > PIPE_BUF) n = PIPE_BUF;
    struct iovec iov = {f->out + f->out_off, n};
    ssize_t w = writev_nosig(f, &iov, 1);
    if (w < 0) {
      if (errno == EAGAIN || errno == EWOULDBLOCK) return;
      int err = cnet_errno(errno);
      free(f->out);
      f->out = NULL;
      update_io(f);
      write_error(f, err);
      return;
    }
    f->out_off += (size_t)w;
    /* A blocking fd: one write per readiness, the poller says when the
     * next one cannot block. */
    if (f->mode == M_GUARDED && f->out_off < f->out_len) return;
  }
  free(f->out);
  f->out = NULL;
  update_io(f);
  cnet__stream_onwrite(&f->s, NULL);
}

static ssize_t write_chunks(void *f, struct iovec *iov, int n) {
  return writev_nosig(f, iov, n);
}

static void fds_write(cnet__stream *s, const cnet__chunk *chunks, size_t n,
                      size_t total) {
  fd_stream *f = as_fds(s);
  if (f->io.fd < 0) {
    cnet_error e;
    cnet_error_set(&e, CNET_ERR_STREAM_DESTROYED,
                   "Cannot call write after a stream was destroyed");
    cnet__stream_onwrite(s, &e);
    return;
  }
  size_t done = 0;
  if (f->mode != M_GUARDED && total) {
    ssize_t w = cnet__chunks_writev(chunks, n, total, write_chunks, f);
    if (w < 0) {
      write_error(f, cnet_errno(errno));
      return;
    }
    done = (size_t)w;
  }
  if (done == total) {
    cnet__stream_onwrite(s, NULL);
    return;
  }
  char *rest = cnet__chunks_rest(chunks, n, total, done);
  if (!rest) {
    write_error(f, CNET_ENOMEM);
    return;
  }
  f->out = rest;
  f->out_len = total - done;
  f->out_off = 0;
  update_io(f);
}

static void fds_final(cnet__stream *s) {
  fd_stream *f = as_fds(s);
  if (f->mode == M_SOCKET && f->io.fd >= 0) shutdown(f->io.fd, SHUT_WR);
  cnet__stream_onfinal(s, NULL);
}

static void do_reads(fd_stream *f) {
  cnet_loop *loop = f->s.h.loop;
  char *buf = cnet__loop_rbuf(loop);
  if (!buf) return;
  int max = f->mode == M_GUARDED ? 1 : CNET__READS_PER_WAKEUP;
  for (int i = 0; i < max; i++) {
    if (!fds_open(f) || !cnet__stream_flowing(&f->s)) return;
    ssize_t n = f->mode == M_SOCKET ? recv(f->io.fd, buf, loop->rbuf_size, MSG_DONTWAIT)
                                    : read(f->io.fd, buf, loop->rbuf_size);
    if (n > 0) {
      cnet__stream_push(&f->s, buf, (size_t)n);
      if ((size_t)n < loop->rbuf_size) return;
      continue;
    }
    if (n == 0) {
      cnet__stream_push_eof(&f->s);
      update_io(f);
      return;
    }
    if (errno == EINTR) {
      i--;
      continue;
    }
    if (errno == EAGAIN || errno == EWOULDBLOCK) return;
    cnet_error e;
    cnet_error_syscall(&e, cnet_errno(errno), "read", NULL, 0);
    cnet__stream_destroy(&f->s, &e);
    return;
  }
}

static void on_io(cnet_loop *loop, cnet__io *io, uint32_t revents) {
  (void)loop;
  fd_stream *f = CNET__CONTAINER_OF(io, fd_stream, io);
  cnet__stream_ref(&f->s);
  if (f->out && (revents & (POLLOUT | POLLERR | POLLHUP))) flush_out(f);
  if (fds_open(f) && (revents & (POLLIN | POLLERR | POLLHUP)) &&
      cnet__stream_flowing(&f->s))
    do_reads(f);
  if (fds_open(f)) update_io(f);
  cnet__stream_unref(&f->s);
}

static void fds_read_start(cnet__stream *s) { update_io(as_fds(s)); }
static void fds_read_stop(cnet__stream *s) { update_io(as_fds(s)); }

static void fds_destroy(cnet__stream *s, const cnet_error *err) {
  fd_stream *f = as_fds(s);
  if (f->io.fd >= 0) {
    cnet__io_close(s->h.loop, &f->io);
    close(f->io.fd); /* cnet's own descriptor: fds 0, 1, 2 stay open */
    f->io.fd = -1;
    f->io.events = 0;
  }
  free(f->out);
  f->out = NULL;
  cnet__stream_finish_destroy(s, err);
}

static void fds_free(cnet__stream *s) {
  fd_stream *f = as_fds(s);
  free(f->out);
  free(f);
}

static const cnet__stream_vt stdin_vt = {
    .ops = {"stdin", cnet__stream_unhandled, cnet__stream_listener_added,
            cnet__stream_handle_closed, true, cnet__stream_data_slot},
    .read_start = fds_read_start,
    .read_stop = fds_read_stop,
    .destroy = fds_destroy,
    .free = fds_free,
};

/* stdout and stderr: pipe() never ends them, as Node's pipe() never
 * ends process.stdout and process.stderr. */
static const cnet__stream_vt stdout_vt = {
    .ops = {"stdout", cnet__stream_unhandled, NULL,
            cnet__stream_handle_closed, true, cnet__stream_data_slot},
    .caps = CNET__CAP_PIPE_NO_END,
    .write = fds_write,
    .final = fds_final,
    .destroy = fds_destroy,
    .free = fds_free,
};

/* A descriptor of cnet's own for fd, and how to use it. */
static int private_fd(int fd, bool readable, int *mode) {
  int acc = (readable ? O_RDONLY : O_WRONLY) | O_CLOEXEC | O_NOCTTY | O_NONBLOCK;
  struct stat st;
  if (fstat(fd, &st) != 0) return cnet_errno(errno);
  char path[PATH_MAX];
  int nfd = -1;
  if (isatty(fd)) {
    /* libuv reopens only the slave side: reopening a master would make
     * a new pty pair. */
    if (ttyname_r(fd, path, sizeof path) == 0 && strcmp(path, "/dev/ptmx") != 0)
      nfd = open(path, acc);
  } else if (S_ISFIFO(st.st_mode)) {
    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    nfd = open(path, acc);
  }
  if (nfd >= 0) {
    struct stat nst;
    if (fstat(nfd, &nst) == 0 && nst.st_rdev == st.st_rdev && nst.st_ino == st.st_ino &&
        nst.st_dev == st.st_dev) {
      *mode = M_NONBLOCK;
      return nfd;
    }
    close(nfd); /* not the same file: do not trust it */
  }
  nfd = fcntl(fd, F_DUPFD_CLOEXEC, 3);
  if (nfd < 0) return cnet_errno(errno);
  int fl = fcntl(nfd, F_GETFL);
  if (S_ISSOCK(st.st_mode))
    *mode = M_SOCKET;
  else if (fl >= 0 && (fl & O_NONBLOCK))
    *mode = M_NONBLOCK; /* already so: nothing to change */
  else
    *mode = M_GUARDED;
  return nfd;
}

static cnet__stream *fd_stream_new(cnet_loop *loop, int fd, int *err) {
  bool readable = fd == 0;
  int mode;
  int nfd = private_fd(fd, readable, &mode);
  if (nfd < 0) {
    *err = nfd;
    return NULL;
  }
  int r = cnet__io_check(loop, nfd);
  if (r) {
    close(nfd);
    *err = r;
    return NULL;
  }
  fd_stream *f = calloc(1, sizeof *f);
  if (!f) {
    close(nfd);
    *err = CNET_ENOMEM;
    return NULL;
  }
  uint32_t flags = CNET__S_EMIT_CLOSE;
  flags |= readable ? CNET__W_NOT_WRITABLE | CNET__W_ENDING | CNET__W_ENDED | CNET__W_FINISHED
                    : CNET__R_NOT_READABLE | CNET__R_ENDED | CNET__R_END_EMITTED;
  if (cnet__stream_init(loop, &f->s, readable ? &stdin_vt : &stdout_vt,
                        CNET__HWM_DEFAULT, flags) != 0) {
    free(f);
    close(nfd);
    *err = CNET_ENOMEM;
    return NULL;
  }
  f->io.fd = nfd;
  f->io.cb = on_io;
  f->mode = mode;
  f->stdio_fd = fd;
  return &f->s;
}

static cnet_stream *stdio_get(cnet_loop *loop, int fd, int *err) {
  int dummy;
  if (!err) err = &dummy;
  *err = 0;
  if (!loop) {
    *err = CNET_EINVAL;
    return NULL;
  }
  pthread_mutex_lock(&reg_mu);
  cnet__stream *s = reg[fd].loop == loop ? reg[fd].s : NULL;
  pthread_mutex_unlock(&reg_mu);
  if (s) return (cnet_stream *)s;
  const char *type = cnet_guess_handle_type(fd);
  if (strcmp(type, "FILE") == 0) {
    s = cnet__fs_stdio_stream(loop, fd, err);
  } else if (strcmp(type, "TTY") == 0 || strcmp(type, "PIPE") == 0 ||
             strcmp(type, "TCP") == 0) {
    s = fd_stream_new(loop, fd, err);
    /* A device the poller refuses is read like a file. */
    if (!s && *err == CNET_EPERM) s = cnet__fs_stdio_stream(loop, fd, err);
  } else {
    *err = fcntl(fd, F_GETFD) < 0 ? CNET_EBADF : CNET_ERR_INVALID_FD_TYPE;
  }
  if (!s) return NULL;
  if (cnet_on(s, CNET_EV_CLOSE, reg_forget, (void *)(intptr_t)fd) != 0) {
    cnet__stream_destroy(s, NULL);
    *err = CNET_ENOMEM;
    return NULL;
  }
  pthread_mutex_lock(&reg_mu);
  reg[fd].loop = loop;
  reg[fd].s = s;
  pthread_mutex_unlock(&reg_mu);
  return (cnet_stream *)s;
}

static int stdio_public(cnet_loop *loop, int fd, cnet_stream **out) {
  if (!out) return cnet__fail(CNET_EINVAL, NULL);
  int err = 0;
  *out = stdio_get(loop, fd, &err);
  return *out ? 0 : cnet__fail(err ? err : CNET_EINVAL, NULL);
}

int cnet_stdin(cnet_loop *loop, cnet_stream **out) { return stdio_public(loop, 0, out); }
int cnet_stdout(cnet_loop *loop, cnet_stream **out) { return stdio_public(loop, 1, out); }
int cnet_stderr(cnet_loop *loop, cnet_stream **out) { return stdio_public(loop, 2, out); }
