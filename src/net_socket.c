/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* net.Socket over TCP and Unix domain sockets: Node's lib/net.js on
 * cnet's loop and stream core. This file is the stream implementation
 * (write/final/read/destroy), timeouts, options, addresses and the
 * socket's public API; connect, lookup and autoSelectFamily are in
 * net_connect.c, net.Server in net_server.c.
 *
 * I/O: the loop's poller, whichever backend the build chose, reports an
 * fd level-triggered (again and again while the condition holds). A
 * flowing socket watches POLLIN and reads into the loop's buffer; one
 * that is paused or has no consumer yet watches only POLLRDHUP, so it
 * stays alive (as Node's does) while its data waits in the kernel. Writes
 * go straight to the kernel; only what the kernel refuses is copied and
 * POLLOUT watched until it drains. */
#include "net_socket.h"
#include "net_socket_impl.h"

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <unistd.h>

#include "cnet/addr.h"
#include "cnet/dns.h"
#include "cnet/encoding.h"
#include "cnet/stream.h"

/* ---- addresses ------------------------------------------------------------ */

static int fill_address(const struct sockaddr *sa, socklen_t len,
                        cnet_address *out) {
  memset(out, 0, sizeof *out);
  if (sa->sa_family == AF_UNIX) {
    const struct sockaddr_un *un = (const struct sockaddr_un *)sa;
    size_t n = len > offsetof(struct sockaddr_un, sun_path)
                   ? len - offsetof(struct sockaddr_un, sun_path)
                   : 0;
    if (n > sizeof out->address - 1) n = sizeof out->address - 1;
    memcpy(out->address, un->sun_path, n);
    out->address[n] = '\0';
    return 0;
  }
  cnet_socket_address a;
  int r = cnet_socket_address_from_sockaddr(&a, sa);
  if (r) return r;
  snprintf(out->address, sizeof out->address, "%s", a.address);
  out->family = a.family == 6 ? "IPv6" : "IPv4";
  out->port = a.port;
  return 0;
}

int cnet__fd_address(int fd, bool peer, cnet_address *out) {
  struct sockaddr_storage ss;
  socklen_t len = sizeof ss;
  int r = peer ? getpeername(fd, (struct sockaddr *)&ss, &len)
               : getsockname(fd, (struct sockaddr *)&ss, &len);
  if (r) return cnet_errno(errno);
  return fill_address((struct sockaddr *)&ss, len, out);
}

/* ---- the socket as a stream --------------------------------------------- */

static cnet_socket *as_sock(cnet__stream *s) { return (cnet_socket *)s; }

static void write_error(cnet_socket *so, int code) {
  cnet_error e;
  cnet_error_syscall(&e, code, "write", NULL, 0);
  cnet__stream_onwrite(&so->s, &e);
}

static ssize_t send_iov(cnet_socket *so, struct iovec *iov, int n) {
  ssize_t w;
  do {
    if (so->sflags & CNET__SK_NOT_SOCKET) {
      w = writev(so->io.fd, iov, n);
    } else if (n == 1) {
      /* send() skips sendmsg's message-header copy: the common case. */
      w = send(so->io.fd, iov[0].iov_base, iov[0].iov_len,
               MSG_NOSIGNAL | MSG_DONTWAIT);
      if (w < 0 && errno == ENOTSOCK) {
        so->sflags |= CNET__SK_NOT_SOCKET;
        continue;
      }
    } else {
      struct msghdr msg = {.msg_iov = iov, .msg_iovlen = (size_t)n};
      w = sendmsg(so->io.fd, &msg, MSG_NOSIGNAL | MSG_DONTWAIT);
      if (w < 0 && errno == ENOTSOCK) {
        so->sflags |= CNET__SK_NOT_SOCKET;
        continue;
      }
    }
  } while (w < 0 && errno == EINTR);
  return w;
}

static ssize_t send_chunks(void *so, struct iovec *iov, int n) {
  return send_iov(so, iov, n);
}

static void pending_write_on_connect(const cnet_event *ev, void *arg);
static void pending_write_on_close(const cnet_event *ev, void *arg);

static void sock_write(cnet__stream *s, const cnet__chunk *chunks, size_t n,
                       size_t total) {
  cnet_socket *so = as_sock(s);
  if (so->sflags & CNET__SK_CONNECTING) {
    /* Node's _writeGeneric while connecting: the write waits for
     * 'connect' (a listener added now), or fails on 'close'. */
    struct sock_x *x = cnet__socket_x(so);
    char *copy = x ? malloc(total ? total : 1) : NULL;
    if (!copy) {
      write_error(so, CNET_ENOMEM);
      return;
    }
    size_t off = 0;
    for (size_t i = 0; i < n; i++) {
      memcpy(copy + off, chunks[i].base, chunks[i].len);
      off += chunks[i].len;
    }
    free(x->pending);
    x->pending = copy;
    x->pending_len = total;
    cnet_once(so, CNET_EV_CONNECT, pending_write_on_connect, so);
    cnet_once(so, CNET_EV_CLOSE, pending_write_on_close, so);
    return;
  }
  if (so->io.fd < 0) {
    cnet_error e;
    cnet_error_set(&e, CNET_ERR_SOCKET_CLOSED, "Socket is closed");
    cnet__stream_onwrite(s, &e);
    return;
  }
  cnet__socket_refresh_timer(so);
  so->bytes_dispatched += total;
  if (so->rec) {
    so->rec->ops->write(so->rec, so, chunks, n, total);
    return;
  }
  ssize_t w = cnet__chunks_writev(chunks, n, total, send_chunks, so);
  if (w < 0) {
    write_error(so, cnet_errno(errno));
    return;
  }
  size_t done = (size_t)w;
  if (done == total) {
    cnet__stream_onwrite(s, NULL);
    return;
  }
  /* The kernel took part of it: keep the rest and wait for POLLOUT. */
  struct sock_x *x = cnet__socket_x(so);
  char *rest = x ? cnet__chunks_rest(chunks, n, total, done) : NULL;
  if (!rest) {
    write_error(so, CNET_ENOMEM);
    return;
  }
  x->out = rest;
  x->out_len = total - done;
  x->out_off = 0;
  so->sflags |= CNET__SK_OUT_WRITE;
  cnet__socket_update_io(so);
}

static void pending_write_on_connect(const cnet_event *ev, void *arg) {
  (void)ev;
  cnet_socket *so = arg;
  cnet_off(so, CNET_EV_CLOSE, pending_write_on_close, so);
  char *data = so->x->pending;
  size_t len = so->x->pending_len;
  so->x->pending = NULL;
  cnet__chunk c = {data, len};
  sock_write(&so->s, &c, 1, len);
  free(data);
}

static void pending_write_on_close(const cnet_event *ev, void *arg) {
  (void)ev;
  cnet_socket *so = arg;
  free(so->x->pending);
  so->x->pending = NULL;
  cnet_error e;
  cnet_error_set(&e, CNET_ERR_SOCKET_CLOSED_BEFORE_CONNECTION,
                 "Socket closed before the connection was established");
  cnet__stream_onwrite(&so->s, &e);
}

static void flush_out(cnet_socket *so) {
  struct sock_x *x = so->x;
  bool owed = so->sflags & CNET__SK_OUT_WRITE;
  while (x->out_off < x->out_len) {
    struct iovec iov = {x->out + x->out_off, x->out_len - x->out_off};
    ssize_t w = send_iov(so, &iov, 1);
    if (w < 0) {
      if (errno == EAGAIN) return;
      int err = cnet_errno(errno);
      free(x->out);
      x->out = NULL;
      so->sflags &= ~CNET__SK_OUT_WRITE;
      cnet__socket_update_io(so);
      if (owed) {
        write_error(so, err);
      } else if (so->sflags & CNET__SK_SHUTTING) {
        /* A record layer's closing bytes (TLS's close_notify) that the
         * peer will not read: Node ignores a write that fails after its
         * shutdown, and the shutdown goes on. */
      } else { /* a record layer's own bytes: no write to fail */
        cnet_error e;
        cnet_error_syscall(&e, err, "write", NULL, 0);
        cnet__stream_destroy(&so->s, &e);
      }
      return;
    }
    x->out_off += (size_t)w;
  }
  free(x->out);
  x->out = NULL;
  so->sflags &= ~CNET__SK_OUT_WRITE;
  cnet__socket_update_io(so);
  cnet__socket_refresh_timer(so);
  if (owed) cnet__stream_onwrite(&so->s, NULL); /* asynchronous completion */
}

static void final_on_connect(const cnet_event *ev, void *arg);
static void do_shutdown(cnet_socket *so);
static bool sock_open(const cnet_socket *so);

static void run_fed_shutdown(void *arg) {
  cnet_socket *so = arg;
  if (sock_open(so) && (so->sflags & CNET__SK_SHUTTING) && !(so->x && so->x->out))
    do_shutdown(so);
  cnet__stream_unref(&so->s);
}

static void do_shutdown(cnet_socket *so) {
  so->sflags &= ~CNET__SK_SHUTTING;
  cnet__socket_update_io(so);
  if (shutdown(so->io.fd, SHUT_WR) != 0 && errno != ENOTCONN) {
    cnet_error e;
    cnet_error_syscall(&e, cnet_errno(errno), "shutdown", NULL, 0);
    cnet__stream_onfinal(&so->s, &e);
    return;
  }
  cnet__stream_onfinal(&so->s, NULL);
}

static void start_shutdown(cnet_socket *so);

static void sock_final(cnet__stream *s) {
  cnet_socket *so = as_sock(s);
  if (!(so->sflags & CNET__SK_HAS_HANDLE) || (so->sflags & CNET__SK_CONNECTING)) {
    if (so->sflags & CNET__SK_CONNECTING) {
      cnet_once(so, CNET_EV_CONNECT, final_on_connect, so);
      return;
    }
    cnet__stream_onfinal(s, NULL);
    return;
  }
  if (so->io.fd < 0) {
    cnet__stream_onfinal(s, NULL);
    return;
  }
  if (so->rec && !so->rec->ops->final(so->rec, so)) return;
  start_shutdown(so);
}

void cnet__socket_record_final(cnet_socket *so) {
  if (!sock_open(so)) {
    cnet__stream_onfinal(&so->s, NULL);
    return;
  }
  start_shutdown(so);
}

static void start_shutdown(cnet_socket *so) {
  cnet__stream *s = &so->s;
  /* libuv 1.46: with writes still queued the shutdown waits for them (a
   * later POLLOUT); with none it is fed to the pending queue, which runs
   * right after the current poll phase. */
  so->sflags |= CNET__SK_SHUTTING;
  if (!(so->x && so->x->out) && cnet__socket_x(so)) {
    so->x->shutdown_cb.fn = run_fed_shutdown;
    so->x->shutdown_cb.arg = so;
    so->x->shutdown_cb.pooled = false;
    cnet__stream_ref(s);
    cnet__defer(s->h.loop, &so->x->shutdown_cb);
    return;
  }
  cnet__socket_update_io(so);
}

static void final_on_connect(const cnet_event *ev, void *arg) {
  (void)ev;
  sock_final(&((cnet_socket *)arg)->s);
}

static void sock_read_start(cnet__stream *s) {
  cnet_socket *so = as_sock(s);
  cnet__socket_update_io(so);
  if (so->rec && sock_open(so)) so->rec->ops->resume(so->rec, so);
}
static void sock_read_stop(cnet__stream *s) { cnet__socket_update_io(as_sock(s)); }

static void sock_handle_closed(cnet__handle *h) {
  cnet_socket *so = (cnet_socket *)h;
  if (so->sflags & CNET__SK_CANCEL_WRITE) {
    /* libuv completes a write cut short by close before the close
     * callback; Node reports it without error (the stream is destroyed),
     * then the buffered writes get ERR_STREAM_DESTROYED. */
    so->sflags &= ~CNET__SK_CANCEL_WRITE;
    cnet__stream_onwrite(&so->s, NULL);
    cnet__run_ticks(h->loop);
  }
  if (!(so->sflags & CNET__SK_CLOSE_TICK)) {
    cnet_event ev = {.type = CNET_EV_CLOSE, .had_error = so->had_error};
    cnet_emit(so, &ev);
  }
  cnet__stream_closed(&so->s);
}

static void close_tick(cnet__stream *s) {
  /* Node's emitCloseNT for a socket that never had a handle. */
  cnet_event ev = {.type = CNET_EV_CLOSE};
  cnet_emit(s, &ev);
  cnet__handle_close(&s->h);
}

static void sock_destroy(cnet__stream *s, const cnet_error *err) {
  cnet_socket *so = as_sock(s);
  so->sflags &= ~(CNET__SK_CONNECTING | CNET__SK_SHUTTING);
  if (so->sflags & CNET__SK_LOOKUP) {
    cnet_lookup_cancel(&so->x->lookup);
    so->sflags &= ~CNET__SK_LOOKUP;
  }
  if (so->x) {
    cnet_timer_stop(&so->x->timer);
    cnet_timer_stop(&so->x->attempt);
    so->x->multi = false;
  }
  if (so->io.fd >= 0 || (so->sflags & CNET__SK_HAS_HANDLE)) {
    /* A socket with a handle (connected, or connect() called even if no
     * fd exists yet) emits 'close' when the handle closes, in the close
     * phase, as Node's handle.close callback does. */
    so->had_error = err != NULL;
    if (so->io.fd >= 0 && (so->sflags & CNET__SK_RESET)) {
      struct linger l = {1, 0};
      setsockopt(so->io.fd, SOL_SOCKET, SO_LINGER, &l, sizeof l);
    }
    if (so->io.fd >= 0) {
      if (so->rec) so->rec->ops->closing(so->rec, so);
      cnet__io_close(s->h.loop, &so->io);
      close(so->io.fd);
      so->io.fd = -1;
    }
    if (so->x && so->x->out) {
      free(so->x->out);
      so->x->out = NULL;
      if (so->sflags & CNET__SK_OUT_WRITE) so->sflags |= CNET__SK_CANCEL_WRITE;
      so->sflags &= ~CNET__SK_OUT_WRITE;
    }
    so->sflags &= ~(CNET__SK_HAS_HANDLE | CNET__SK_CLOSE_TICK);
    cnet__handle_close(&s->h);
    cnet__stream_ondestroy(s, err);
  } else {
    so->sflags |= CNET__SK_CLOSE_TICK;
    so->sflags &= ~CNET__SK_HAS_HANDLE;
    cnet__stream_ondestroy(s, err);
    cnet__stream_tick(s, close_tick);
  }
  if (so->owner) {
    cnet__socket_owner *owner = so->owner;
    so->owner = NULL;
    owner->connection_gone(owner);
  }
}

static void sock_free(cnet__stream *s) {
  cnet_socket *so = as_sock(s);
  if (so->rec) so->rec->ops->free(so->rec);
  if (so->x) {
    free(so->x->out);
    free(so->x->pending);
    free(so->x);
  }
  free(so);
}

static const cnet__splice_src_ops splice_src;

static const cnet__stream_vt sock_vt = {
    .ops = {"socket", cnet__stream_unhandled, cnet__stream_listener_added,
            sock_handle_closed, true, cnet__stream_data_slot},
    .caps = CNET__CAP_DUPLEX,
    .write = sock_write,
    .final = sock_final,
    .read_start = sock_read_start,
    .read_stop = sock_read_stop,
    .destroy = sock_destroy,
    .free = sock_free,
    .splice_src = &splice_src,
};

/* ---- reading -------------------------------------------------------------- */

static bool sock_open(const cnet_socket *so) {
  return so->io.fd >= 0 && !(so->s.flags & CNET__S_DESTROYED);
}

/* Whether the fd is to be read now: the stream flows, or a record
 * layer needs its bytes anyway (a handshake). */
static bool wants_read(const cnet_socket *so) {
  int want = so->rec ? so->rec->ops->want_read(so->rec) : -1;
  if (want >= 0) return want && !(so->s.flags & (CNET__S_DESTROYED | CNET__R_ENDED));
  return cnet__stream_flowing(&so->s);
}

static void do_reads(cnet_socket *so) {
  cnet_loop *loop = so->s.h.loop;
  struct cnet__splice_job *job = so->x ? so->x->splice : NULL;
  if (job && job->ops->read(job)) return;
  char *buf = cnet__loop_rbuf(loop);
  if (!buf) return;
  for (int i = 0; i < CNET__READS_PER_WAKEUP; i++) {
    if (!sock_open(so) || !wants_read(so)) return;
    ssize_t n = read(so->io.fd, buf, loop->rbuf_size);
    if (n > 0) {
      if (!so->rec) so->bytes_read += (uint64_t)n;
      cnet__socket_refresh_timer(so);
      if (so->rec)
        so->rec->ops->read(so->rec, so, buf, (size_t)n);
      else
        cnet__stream_push(&so->s, buf, (size_t)n);
      /* Each read is its own callback in Node: ticks run after it. */
      cnet__run_ticks(loop);
      if ((size_t)n < loop->rbuf_size) return;
      continue;
    }
    if (n == 0) {
      so->sflags |= CNET__SK_RDHUP_SEEN;
      if (so->rec)
        so->rec->ops->eof(so->rec, so);
      else
        cnet__stream_push_eof(&so->s);
      return;
    }
    if (errno == EINTR) continue;
    if (errno == EAGAIN) return;
    cnet_error e;
    cnet_error_syscall(&e, cnet_errno(errno), "read", NULL, 0);
    cnet__stream_destroy(&so->s, &e);
    return;
  }
}

/* The peer ended while a record layer's stream does not flow: what it
 * sent before its FIN may be only the end of the records (TLS's
 * close_notify), which is 'end' at once, as for a plain socket with
 * nothing unread. The layer cannot tell without the bytes, so they are
 * all read now (the peer sends no more) and it keeps what is data. */
static void eof_to_record(cnet_socket *so) {
  char *buf = cnet__loop_rbuf(so->s.h.loop);
  while (buf && sock_open(so)) {
    ssize_t n = read(so->io.fd, buf, so->s.h.loop->rbuf_size);
    if (n > 0) {
      so->rec->ops->read(so->rec, so, buf, (size_t)n);
    } else if (n == 0) {
      so->rec->ops->eof(so->rec, so);
      break;
    } else if (errno != EINTR) {
      if (errno != EAGAIN) {
        cnet_error e;
        cnet_error_syscall(&e, cnet_errno(errno), "read", NULL, 0);
        cnet__stream_destroy(&so->s, &e);
      }
      break;
    }
  }
  if (sock_open(so)) cnet__socket_update_io(so);
}

/* The peer ended (or reset) while nobody reads. Node would have read
 * this: with nothing unread it emits 'end' even without a consumer, and a
 * reset destroys the socket. Data still unread stays in the kernel until
 * the stream flows, then EOF is read after it. */
static void eof_while_idle(cnet_socket *so) {
  so->sflags |= CNET__SK_RDHUP_SEEN;
  if (so->rec) {
    eof_to_record(so);
    return;
  }
  char c;
  ssize_t n;
  do n = recv(so->io.fd, &c, 1, MSG_PEEK | MSG_DONTWAIT);
  while (n < 0 && errno == EINTR);
  if (n < 0 && errno != EAGAIN && errno != ENOTSOCK) {
    cnet_error e;
    cnet_error_syscall(&e, cnet_errno(errno), "read", NULL, 0);
    cnet__stream_destroy(&so->s, &e);
    return;
  }
  cnet__socket_update_io(so);
  if (n == 0) cnet__stream_push_eof(&so->s);
}

void cnet__socket_io(cnet_loop *loop, cnet__io *io, uint32_t revents) {
  cnet_socket *so = CNET__CONTAINER_OF(io, cnet_socket, io);
  cnet__stream_ref(&so->s);
  /* Write completion, reads and shutdown are separate callbacks in libuv,
   * each followed by Node's ticks. */
  if (so->x && so->x->out && (revents & (POLLOUT | POLLERR | POLLHUP))) {
    flush_out(so);
    cnet__run_ticks(loop);
  }
  if (sock_open(so) && (revents & (POLLIN | POLLERR | POLLHUP)) && wants_read(so))
    do_reads(so);
  else if (sock_open(so) && (revents & (POLLRDHUP | POLLHUP | POLLERR)) &&
           !wants_read(so))
    eof_while_idle(so);
  if (sock_open(so) && (so->sflags & CNET__SK_SHUTTING) && !(so->x && so->x->out) &&
      (revents & (POLLOUT | POLLERR | POLLHUP)))
    do_shutdown(so);
  /* What the callbacks changed (EOF read, a pause, the queue drained)
   * changes what to watch: an event left watched with nobody to serve it
   * would wake a level-triggered loop again at once, for ever. */
  if (sock_open(so)) cnet__socket_update_io(so);
  cnet__stream_unref(&so->s);
}

void cnet__socket_update_io(cnet_socket *so) {
  uint32_t ev = 0;
  if (so->io.fd >= 0 && !(so->s.flags & CNET__S_DESTROYED)) {
    if (so->sflags & CNET__SK_CONNECTING) {
      ev = POLLOUT;
    } else {
      uint32_t f = so->s.flags;
      if (!(f & (CNET__R_NOT_READABLE | CNET__R_ENDED)) &&
          !(so->sflags & CNET__SK_SPLICING)) {
        if (wants_read(so))
          ev |= POLLIN;
        else if (!(so->sflags & CNET__SK_RDHUP_SEEN))
          ev |= POLLRDHUP;
      }
      if ((so->x && so->x->out) || (so->sflags & CNET__SK_SHUTTING)) ev |= POLLOUT;
    }
  }
  if (ev != so->io.events) {
    so->io.events = ev;
    if (so->io.fd >= 0) cnet__io_update(so->s.h.loop, &so->io);
  }
  if (ev || (so->sflags & (CNET__SK_LOOKUP | CNET__SK_DELAYED_ERROR)))
    cnet__handle_start(&so->s.h);
  else
    cnet__handle_stop(&so->s.h);
}

/* ---- a record layer's side (net_socket.h) ------------------------------ */

void cnet__socket_set_record(cnet_socket *so, cnet__record *r) { so->rec = r; }

cnet__record *cnet__socket_record(const cnet_socket *so) { return so->rec; }

void cnet__socket_record_update(cnet_socket *so) { cnet__socket_update_io(so); }

void cnet__socket_record_push(cnet_socket *so, const char *data, size_t len) {
  so->bytes_read += len;
  cnet__stream_push(&so->s, data, len);
}

/* Keeps the bytes the kernel did not take after what is kept already. */
static int keep_out(cnet_socket *so, const char *data, size_t len) {
  struct sock_x *x = cnet__socket_x(so);
  if (!x) return CNET_ENOMEM;
  size_t kept = x->out ? x->out_len - x->out_off : 0;
  if (x->out && x->out_off) memmove(x->out, x->out + x->out_off, kept);
  char *p = realloc(x->out, kept + len);
  if (!p) return CNET_ENOMEM;
  memcpy(p + kept, data, len);
  x->out = p;
  x->out_len = kept + len;
  x->out_off = 0;
  cnet__socket_update_io(so);
  return 0;
}

int cnet__socket_record_send(cnet_socket *so, const void *data, size_t len) {
  if (!sock_open(so)) return CNET_EPIPE;
  if (len == 0) return 0;
  if (so->x && so->x->out) return keep_out(so, data, len);
  struct iovec iov = {(void *)data, len};
  ssize_t w = send_iov(so, &iov, 1);
  if (w < 0) {
    if (errno != EAGAIN) return cnet_errno(errno);
    w = 0;
  }
  if ((size_t)w == len) return 0;
  return keep_out(so, (const char *)data + w, len - (size_t)w);
}

void cnet__socket_record_send_last(cnet_socket *so, const void *data, size_t len) {
  if (so->io.fd < 0 || (so->x && so->x->out)) return;
  struct iovec iov = {(void *)data, len};
  (void)send_iov(so, &iov, 1);
}

void cnet__socket_record_wrote(cnet_socket *so) {
  if (so->x && so->x->out)
    so->sflags |= CNET__SK_OUT_WRITE;
  else
    cnet__stream_onwrite(&so->s, NULL);
}

/* ---- a socket as a splice source (cnet__splice_src_ops) ------------------ */

static struct cnet__splice_job **splice_slot(cnet__stream *s, bool create) {
  if (((cnet_socket *)s)->rec) return NULL; /* the fd carries records */
  cnet_socket *so = as_sock(s);
  if (!so->x && !create) return NULL;
  struct sock_x *x = cnet__socket_x(so);
  return x ? &x->splice : NULL;
}

static int splice_fd(const cnet__stream *s) { return ((const cnet_socket *)s)->io.fd; }

static void splice_hold_reads(cnet__stream *s, bool hold) {
  cnet_socket *so = as_sock(s);
  if (hold)
    so->sflags |= CNET__SK_SPLICING;
  else
    so->sflags &= ~CNET__SK_SPLICING;
  cnet__socket_update_io(so);
}

/* What do_reads does after its read() calls, for bytes a job moved. */
static void spliced(cnet__stream *s, size_t n, bool eof, int err) {
  cnet_socket *so = as_sock(s);
  so->bytes_read += n;
  splice_hold_reads(s, false);
  if (!sock_open(so)) return;
  if (n) cnet__socket_refresh_timer(so);
  if (err) {
    cnet_error e;
    cnet_error_syscall(&e, cnet_errno(err), "read", NULL, 0);
    cnet__stream_destroy(s, &e);
  } else if (eof) {
    so->sflags |= CNET__SK_RDHUP_SEEN;
    cnet__stream_push_eof(s);
    if (sock_open(so)) cnet__socket_update_io(so); /* stop watching for reads */
  }
}

static const cnet__splice_src_ops splice_src = {
    .slot = splice_slot,
    .fd = splice_fd,
    .hold_reads = splice_hold_reads,
    .spliced = spliced,
};

/* ---- timeouts ------------------------------------------------------------- */

static void on_sock_timeout(cnet_timer *t, void *arg) {
  (void)t;
  cnet_socket *so = arg;
  cnet_event ev = {.type = CNET_EV_TIMEOUT};
  cnet_emit(so, &ev);
}

int cnet_socket_set_timeout(cnet_socket *so, unsigned ms, cnet_listener cb,
                            void *arg) {
  if (!so) return cnet__fail(CNET_EINVAL, NULL);
  if (so->s.flags & CNET__S_DESTROYED) return 0;
  struct sock_x *x = cnet__socket_x(so);
  if (!x) return cnet__fail(CNET_ENOMEM, NULL);
  if (!(x->timer.flags & CNET__F_INIT)) cnet_timer_init(so->s.h.loop, &x->timer);
  cnet_timer_stop(&x->timer);
  x->timeout_ms = ms;
  if (ms == 0) return cb ? cnet_off(so, CNET_EV_TIMEOUT, cb, arg) : 0;
  cnet_timer_unref(&x->timer); /* Node: setUnrefTimeout */
  int r = cnet_timer_start(&x->timer, on_sock_timeout, so, ms, 0);
  if (r == 0 && cb) r = cnet_once(so, CNET_EV_TIMEOUT, cb, arg);
  return r ? cnet__fail(r, NULL) : 0;
}

unsigned cnet_socket_timeout(const cnet_socket *so) {
  return so && so->x ? so->x->timeout_ms : 0;
}

/* ---- creating ------------------------------------------------------------- */

static cnet_socket *sock_alloc(cnet_loop *loop, size_t hwm, bool half_open) {
  cnet_socket *so = calloc(1, sizeof *so);
  if (!so) return NULL;
  if (cnet__stream_init(loop, &so->s, &sock_vt, hwm,
                        half_open ? CNET__S_ALLOW_HALF_OPEN : 0) != 0) {
    free(so);
    return NULL;
  }
  so->io.fd = -1;
  so->io.cb = cnet__socket_io;
  return so;
}

void cnet__socket_apply_opts(cnet_socket *so) {
  if (so->sflags & CNET__SK_PIPE) return;
  int one = 1;
  if (so->sflags & CNET__SK_NO_DELAY)
    setsockopt(so->io.fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  if (so->sflags & CNET__SK_KEEP_ALIVE) {
    setsockopt(so->io.fd, SOL_SOCKET, SO_KEEPALIVE, &one, sizeof one);
    int delay = so->x ? (int)so->x->keep_alive_delay : 0;
    if (delay > 0)
      setsockopt(so->io.fd, IPPROTO_TCP, TCP_KEEPIDLE, &delay, sizeof delay);
  }
}

/* What net.Socket({fd}) refuses: 0 or Node's error. */
static int check_fd(int fd) {
  int type = 0;
  socklen_t tl = sizeof type;
  struct stat st;
  if (fstat(fd, &st) != 0) return cnet__fail_syscall(cnet_errno(errno), "fstat");
  if (S_ISSOCK(st.st_mode) &&
      (getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &tl) != 0 || type != SOCK_STREAM))
    return cnet__fail(CNET_ERR_INVALID_FD_TYPE, "Unsupported fd type: UDP");
  if (S_ISREG(st.st_mode) || S_ISDIR(st.st_mode))
    return cnet__fail(CNET_ERR_INVALID_FD_TYPE, "Unsupported fd type: FILE");
  return 0;
}

int cnet_socket_new(cnet_loop *loop, const cnet_socket_options *opts,
                    cnet_socket **out) {
  if (!out) return cnet__fail(CNET_EINVAL, NULL);
  *out = NULL;
  cnet_socket_options o = {0};
  if (opts) o = *opts;
  if (!o.has_fd) o.fd = -1;
  if (!loop) return cnet__fail(CNET_EINVAL, NULL);
  if (o.fd >= 0) {
    int r = check_fd(o.fd);
    if (r) return r;
  }
  cnet_socket *so = sock_alloc(
      loop, CNET__HWM(o, CNET__HWM_DEFAULT),
      o.allow_half_open);
  if (!so) return cnet__fail(CNET_ENOMEM, NULL);
  if (o.fd >= 0) {
    int fl = fcntl(o.fd, F_GETFL);
    if (fl >= 0) fcntl(o.fd, F_SETFL, fl | O_NONBLOCK);
    so->io.fd = o.fd;
    so->sflags |= CNET__SK_HAS_HANDLE;
    struct stat st;
    if (fstat(o.fd, &st) == 0 && !S_ISSOCK(st.st_mode)) so->sflags |= CNET__SK_NOT_SOCKET;
    else {
      struct sockaddr_storage ss;
      socklen_t len = sizeof ss;
      if (getsockname(o.fd, (struct sockaddr *)&ss, &len) == 0 &&
          ss.ss_family == AF_UNIX)
        so->sflags |= CNET__SK_PIPE;
    }
    /* Node: readable/writable default to false when only fd is given...
     * but net.Socket({fd}) is readable and writable unless told not to. */
    if (o.no_readable) so->s.flags |= CNET__R_NOT_READABLE | CNET__R_ENDED | CNET__R_END_EMITTED;
    if (o.no_writable)
      so->s.flags |= CNET__W_NOT_WRITABLE | CNET__W_ENDING | CNET__W_ENDED | CNET__W_FINISHED;
    cnet__socket_update_io(so);
  }
  *out = so;
  return 0;
}

cnet_socket *cnet__socket_accepted(cnet_loop *loop, int fd,
                                   const cnet_server_options *opts,
                                   bool unix_path, cnet__socket_owner *owner) {
  cnet_socket *so = sock_alloc(
      loop, CNET__HWM(*opts, CNET__HWM_DEFAULT),
      opts->allow_half_open);
  if (!so) return NULL;
  if (opts->coalesce_writes && cnet__stream_set_coalesce(&so->s, true) != 0) {
    cnet__handle_discard(&so->s.h); /* it never ran: no x, no events */
    free(so);
    return NULL;
  }
  so->io.fd = fd;
  so->sflags |= CNET__SK_HAS_HANDLE | (unix_path ? CNET__SK_PIPE : 0);
  if (opts->no_delay) so->sflags |= CNET__SK_NO_DELAY;
  if (opts->keep_alive && cnet__socket_x(so)) {
    so->sflags |= CNET__SK_KEEP_ALIVE;
    so->x->keep_alive_delay = opts->keep_alive_initial_delay / 1000;
  }
  cnet__socket_apply_opts(so);
  if (opts->pause_on_connect) so->s.flags |= CNET__R_HAS_FLOWING;
  so->owner = owner;
  cnet__socket_update_io(so);
  return so;
}

/* ---- the socket's public API ------------------------------------------------ */

/* The common write, straight to the kernel: nothing is in flight or
 * buffered, no callback, no 'drain' owed, and it stays under the
 * high-water mark. If the kernel takes it whole, the stream ends up
 * exactly where Node's write-completed-at-once leaves it (no tick, no
 * event: pendingcb and writableLength back where they were); otherwise
 * what is left takes the stream's own way, as if written just now. */
static bool fast_write(cnet_socket *so, const char **data, size_t *len) {
  const uint32_t busy = CNET__W_WRITING | CNET__W_ENDING | CNET__W_NEED_DRAIN |
                        CNET__S_DESTROYED | CNET__S_ERRORED | CNET__W_COALESCE;
  if ((so->s.flags & busy) || so->s.corked || so->s.buf || so->io.fd < 0 || so->rec ||
      (so->sflags & CNET__SK_CONNECTING) || *len == 0 || *len >= so->s.hwm)
    return false;
  struct iovec iov = {(void *)*data, *len};
  ssize_t w = send_iov(so, &iov, 1);
  if (w < 0) return false; /* EAGAIN, or an error the stream's way reports */
  cnet__socket_refresh_timer(so);
  so->bytes_dispatched += (uint64_t)w;
  *data += w;
  *len -= (size_t)w;
  return *len == 0;
}

int cnet_socket_write(cnet_socket *so, const void *data, size_t len,
                      cnet_callback cb, void *arg) {
  if (!so || (!data && len)) return cnet__fail(CNET_EINVAL, NULL);
  if (!cb) {
    const char *p = data;
    if (fast_write(so, &p, &len)) return 1;
    data = p;
  }
  return cnet__stream_write(&so->s, data, len, cb, arg);
}

int cnet_socket_write_string(cnet_socket *so, const char *string,
                             const char *encoding, cnet_callback cb,
                             void *arg) {
  return cnet_stream_write_string(so, string, encoding, cb, arg);
}

int cnet_socket_printf(cnet_socket *so, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int r = cnet_stream_vprintf(so, fmt, ap);
  va_end(ap);
  return r;
}

int cnet_socket_end(cnet_socket *so, const void *data, size_t len,
                    cnet_callback cb, void *arg) {
  if (!so || (!data && len)) return cnet__fail(CNET_EINVAL, NULL);
  cnet__stream_end(&so->s, data, len, cb, arg);
  return 0;
}

int cnet_socket_end_string(cnet_socket *so, const char *string,
                           const char *encoding, cnet_callback cb, void *arg) {
  return cnet_stream_end_string(so, string, encoding, cb, arg);
}

int cnet_socket_destroy(cnet_socket *so, const cnet_error *err) {
  if (!so) return cnet__fail(CNET_EINVAL, NULL);
  cnet__stream_flush_coalesced(&so->s);
  cnet__stream_destroy(&so->s, err);
  return 0;
}

static void destroy_on_finish(const cnet_event *ev, void *arg) {
  (void)ev;
  cnet_socket_destroy(arg, NULL);
}

int cnet_socket_destroy_soon(cnet_socket *so) {
  if (!so) return cnet__fail(CNET_EINVAL, NULL);
  if (cnet__stream_writable(&so->s)) cnet_socket_end(so, NULL, 0, NULL, NULL);
  if (so->s.flags & CNET__W_FINISHED)
    return cnet_socket_destroy(so, NULL);
  int r = cnet_once(so, CNET_EV_FINISH, destroy_on_finish, so);
  return r ? cnet__fail(r, NULL) : 0;
}

static void reset_on_connect(const cnet_event *ev, void *arg) {
  (void)ev;
  cnet_socket *so = arg;
  so->sflags |= CNET__SK_RESET;
  cnet_socket_destroy(so, NULL);
}

int cnet_socket_reset_and_destroy(cnet_socket *so) {
  if (!so) return cnet__fail(CNET_EINVAL, NULL);
  if (!(so->sflags & CNET__SK_HAS_HANDLE)) {
    cnet_error e;
    cnet_error_set(&e, CNET_ERR_SOCKET_CLOSED, "Socket is closed");
    return cnet_socket_destroy(so, &e);
  }
  if (so->sflags & CNET__SK_CONNECTING) {
    int r = cnet_once(so, CNET_EV_CONNECT, reset_on_connect, so);
    return r ? cnet__fail(r, NULL) : 0;
  }
  so->sflags |= CNET__SK_RESET;
  return cnet_socket_destroy(so, NULL);
}

int cnet_socket_cork(cnet_socket *so) {
  if (!so) return cnet__fail(CNET_EINVAL, NULL);
  cnet__stream_cork(&so->s);
  return 0;
}
int cnet_socket_uncork(cnet_socket *so) {
  if (!so) return cnet__fail(CNET_EINVAL, NULL);
  cnet__stream_uncork(&so->s);
  return 0;
}
int cnet_socket_pause(cnet_socket *so) {
  if (!so) return cnet__fail(CNET_EINVAL, NULL);
  cnet__stream_pause(&so->s);
  return 0;
}
int cnet_socket_resume(cnet_socket *so) {
  if (!so) return cnet__fail(CNET_EINVAL, NULL);
  cnet__stream_resume(&so->s);
  return 0;
}
bool cnet_socket_is_paused(const cnet_socket *so) {
  return so && cnet__stream_is_paused(&so->s);
}
int cnet_socket_set_encoding(cnet_socket *so, const char *encoding) {
  if (!so) return cnet__fail(CNET_EINVAL, NULL);
  int r = cnet__stream_set_encoding(&so->s, encoding);
  return r ? cnet__fail(r, "Unknown encoding: %s", encoding ? encoding : "") : 0;
}

int cnet_socket_set_no_delay(cnet_socket *so, bool enable) {
  if (!so) return cnet__fail(CNET_EINVAL, NULL);
  bool was = so->sflags & CNET__SK_NO_DELAY;
  so->sflags = enable ? so->sflags | CNET__SK_NO_DELAY : so->sflags & ~CNET__SK_NO_DELAY;
  if (so->io.fd >= 0 && !(so->sflags & (CNET__SK_PIPE | CNET__SK_CONNECTING)) &&
      was != enable) {
    int v = enable;
    if (setsockopt(so->io.fd, IPPROTO_TCP, TCP_NODELAY, &v, sizeof v) != 0)
      return cnet__fail_syscall(cnet_errno(errno), "setNoDelay");
  }
  return 0;
}

int cnet_socket_set_coalesce_writes(cnet_socket *so, bool enable) {
  if (!so) return cnet__fail(CNET_EINVAL, NULL);
  int r = cnet__stream_set_coalesce(&so->s, enable);
  return r ? cnet__fail(r, NULL) : 0;
}

bool cnet_socket_coalesce_writes(const cnet_socket *so) {
  return so && (so->s.flags & CNET__W_COALESCE);
}

int cnet_socket_set_keep_alive(cnet_socket *so, bool enable,
                               unsigned initial_delay_ms) {
  if (!so) return cnet__fail(CNET_EINVAL, NULL);
  if (!cnet__socket_x(so)) return cnet__fail(CNET_ENOMEM, NULL);
  so->sflags = enable ? so->sflags | CNET__SK_KEEP_ALIVE
                      : so->sflags & ~CNET__SK_KEEP_ALIVE;
  so->x->keep_alive_delay = initial_delay_ms / 1000;
  if (so->io.fd >= 0 && !(so->sflags & (CNET__SK_PIPE | CNET__SK_CONNECTING))) {
    int v = enable;
    if (setsockopt(so->io.fd, SOL_SOCKET, SO_KEEPALIVE, &v, sizeof v) != 0)
      return cnet__fail_syscall(cnet_errno(errno), "setKeepAlive");
    int delay = (int)so->x->keep_alive_delay;
    if (enable && delay > 0)
      setsockopt(so->io.fd, IPPROTO_TCP, TCP_KEEPIDLE, &delay, sizeof delay);
  }
  return 0;
}

int cnet_socket_local_address(const cnet_socket *so, cnet_address *out) {
  if (!so || !out) return cnet__fail(CNET_EINVAL, NULL);
  if (so->io.fd < 0) return cnet__fail(CNET_EBADF, NULL);
  if (so->sflags & CNET__SK_PIPE) return cnet__fail(CNET_ENOTSUP, NULL); /* Node: {} for a pipe */
  return cnet__fd_address(so->io.fd, false, out);
}

int cnet_socket_remote_address(const cnet_socket *so, cnet_address *out) {
  if (!so || !out) return cnet__fail(CNET_EINVAL, NULL);
  if (so->x && so->x->peer_cached) {
    *out = so->x->peer;
    return 0;
  }
  if (so->io.fd < 0 || (so->sflags & CNET__SK_CONNECTING)) return cnet__fail(CNET_ENOTCONN, NULL);
  if (so->sflags & CNET__SK_PIPE) return cnet__fail(CNET_ENOTSUP, NULL);
  int r = cnet__fd_address(so->io.fd, true, out);
  struct sock_x *x = r == 0 ? cnet__socket_x((cnet_socket *)so) : NULL;
  if (x) {
    x->peer = *out;
    x->peer_cached = true;
  }
  return r;
}

bool cnet_socket_readable(const cnet_socket *so) {
  return so && !(so->s.flags & (CNET__R_NOT_READABLE | CNET__S_DESTROYED |
                                CNET__S_ERROR_EMITTED | CNET__R_END_EMITTED));
}

bool cnet_socket_writable(const cnet_socket *so) {
  return so && cnet__stream_writable(&so->s);
}

bool cnet_socket_allow_half_open(const cnet_socket *so) {
  return so && (so->s.flags & CNET__S_ALLOW_HALF_OPEN);
}

const char *cnet_socket_readable_encoding(const cnet_socket *so) {
  return so ? cnet__stream_encoding(&so->s) : NULL;
}

cnet_server *cnet_socket_server(const cnet_socket *so) {
  return so && so->owner ? so->owner->server : NULL;
}

const cnet_error *cnet_socket_errored(const cnet_socket *so) {
  return so ? cnet__stream_errored(&so->s) : NULL;
}

const char *cnet_socket_ready_state(const cnet_socket *so) {
  if (!so) return "closed";
  if (so->sflags & CNET__SK_CONNECTING) return "opening";
  bool r = cnet_socket_readable(so), w = cnet_socket_writable(so);
  return r && w ? "open" : r ? "readOnly" : w ? "writeOnly" : "closed";
}

bool cnet_socket_pending(const cnet_socket *so) {
  return !so || !(so->sflags & CNET__SK_HAS_HANDLE) || (so->sflags & CNET__SK_CONNECTING);
}
bool cnet_socket_connecting(const cnet_socket *so) {
  return so && (so->sflags & CNET__SK_CONNECTING);
}
bool cnet_socket_destroyed(const cnet_socket *so) {
  return !so || (so->s.flags & CNET__S_DESTROYED);
}
size_t cnet_socket_writable_length(const cnet_socket *so) {
  return so ? so->s.length : 0;
}
size_t cnet_socket_buffer_size(const cnet_socket *so) {
  return cnet_socket_writable_length(so);
}
uint64_t cnet_socket_bytes_read(const cnet_socket *so) {
  return so ? so->bytes_read : 0;
}
uint64_t cnet_socket_bytes_written(const cnet_socket *so) {
  if (!so) return 0;
  uint64_t n = so->bytes_dispatched + cnet__stream_buffered_bytes(&so->s);
  if (so->x && so->x->pending) n += so->x->pending_len;
  return n;
}

static void ref_on_connect(const cnet_event *ev, void *arg) {
  (void)ev;
  cnet_socket_ref(arg);
}
static void unref_on_connect(const cnet_event *ev, void *arg) {
  (void)ev;
  cnet_socket_unref(arg);
}

/* Before it connects, Node's ref()/unref() wait for 'connect' (a listener
 * to add: the one way they can fail). */
int cnet_socket_ref(cnet_socket *so) {
  if (!so) return cnet__fail(CNET_EINVAL, NULL);
  if (!(so->sflags & CNET__SK_HAS_HANDLE))
    return cnet_once(so, CNET_EV_CONNECT, ref_on_connect, so)
               ? cnet__fail(CNET_ENOMEM, NULL)
               : 0;
  so->sflags &= ~CNET__SK_UNREF;
  cnet__handle_ref(&so->s.h);
  return 0;
}

int cnet_socket_unref(cnet_socket *so) {
  if (!so) return cnet__fail(CNET_EINVAL, NULL);
  if (!(so->sflags & CNET__SK_HAS_HANDLE))
    return cnet_once(so, CNET_EV_CONNECT, unref_on_connect, so)
               ? cnet__fail(CNET_ENOMEM, NULL)
               : 0;
  so->sflags |= CNET__SK_UNREF;
  cnet__handle_unref(&so->s.h);
  return 0;
}

void cnet_socket_hold(cnet_socket *so) {
  if (so) so->s.flags |= CNET__S_HELD;
}

void cnet_socket_release(cnet_socket *so) {
  if (!so) return;
  so->s.flags &= ~CNET__S_HELD;
  cnet__stream_closed(&so->s);
}
