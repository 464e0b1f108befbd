/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* dgram.Socket's methods as Node's lib/dgram.js checks them: the
 * arguments and the socket's state first, with Node's error for each,
 * then the socket's own work (dgram_socket.c). */
#include "dgram_impl.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#define MAX_IOV 1024 /* the kernel's UIO_MAXIOV */

/* ---- sending --------------------------------------------------------------- */

/* validatePort(port, 'Port', false). */
static int bad_port(cnet_dgram *s, int port) {
  return fail(s, CNET_ERR_SOCKET_BAD_PORT,
              "Port should be > 0 and < 65536. Received type number (%d).",
              port);
}

/* The checks of Node's send() that come before its healthCheck. */
static int send_args(cnet_dgram *s, int port, const char *address) {
  if (s->connect_state == CONNECTED) {
    if (port || address) return fail(s, CNET_ERR_SOCKET_DGRAM_IS_CONNECTED, NULL);
  } else if (port == 0 && !address) {
    /* Node's send(msg) with neither: the port is undefined. */
    return fail(s, CNET_ERR_SOCKET_BAD_PORT,
                "Port should be > 0 and < 65536. Received undefined.");
  } else if (port < 1 || port > 65535) {
    return bad_port(s, port);
  }
  return 0;
}

int cnet_dgram_send_list(cnet_dgram *s, const cnet_dgram_buf *list,
                         size_t count, int port, const char *address,
                         cnet_callback cb, void *arg) {
  if (!s) return cnet__fail(CNET_EINVAL, NULL);
  if (!list && count)
    return fail(s, CNET_ERR_INVALID_ARG_TYPE,
                "The \"buffer list arguments\" argument must be of type "
                "string or an instance of Buffer, TypedArray, or DataView. "
                "Received null");
  int e = send_args(s, port, address);
  if (e) return e;
  if (count > MAX_IOV) count = MAX_IOV + 1; /* the kernel says EMSGSIZE */
  struct iovec stack[16];
  struct iovec *iov = count <= 16 ? stack : malloc(count * sizeof *iov);
  if (!iov) return fail(s, CNET_ENOMEM, NULL);
  for (size_t i = 0; i < count; i++) {
    iov[i].iov_base = (void *)list[i].base;
    iov[i].iov_len = list[i].base ? list[i].len : 0;
  }
  /* An empty list is one empty datagram, as Node pushes Buffer.alloc(0). */
  e = cnet__dgram_send_checked(s, iov, count, port, address, cb, arg);
  if (iov != stack) free(iov);
  return e;
}

int cnet_dgram_send(cnet_dgram *s, const void *msg, size_t len, int port,
                    const char *address, cnet_callback cb, void *arg) {
  if (!s) return cnet__fail(CNET_EINVAL, NULL);
  if (!msg && len)
    return fail(s, CNET_ERR_INVALID_ARG_TYPE,
                "The \"buffer\" argument must be of type string or an "
                "instance of Buffer, TypedArray, or DataView. Received null");
  int e = send_args(s, port, address);
  if (e) return e;
  struct iovec iov = {(void *)msg, len};
  return cnet__dgram_send_checked(s, &iov, 1, port, address, cb, arg);
}

int cnet_dgram_send_range(cnet_dgram *s, const void *buf, size_t buf_len,
                          size_t offset, size_t length, int port,
                          const char *address, cnet_callback cb,
                          void *arg) {
  if (!s) return cnet__fail(CNET_EINVAL, NULL);
  /* Node's sliceBuffer comes first. */
  if (offset > buf_len)
    return fail(s, CNET_ERR_BUFFER_OUT_OF_BOUNDS,
                "\"offset\" is outside of buffer bounds");
  if (length > buf_len - offset)
    return fail(s, CNET_ERR_BUFFER_OUT_OF_BOUNDS,
                "\"length\" is outside of buffer bounds");
  return cnet_dgram_send(s, buf ? (const char *)buf + offset : NULL, length,
                         port, address, cb, arg);
}

/* ---- bind ---------------------------------------------------------------- */

/* Node's bind(cb) wrappers: the callback is a 'listening' listener that
 * leaves with an 'error' listener placed before it, whichever comes first.
 * Each bind has its own pair (Node's closures), so that a bind made again
 * from the 'error' of a failed one keeps its own. */
typedef struct bind_wrap {
  cnet_dgram *s;
  cnet_callback cb;
  void *arg;
} bind_wrap;

static void bind_cb_on_error(const cnet_event *ev, void *arg);
static void bind_wrap_done(bind_wrap *w);
static void bind_cb_on_listening(const cnet_event *ev, void *arg) {
  bind_wrap *w = arg;
  cnet_callback cb = w->cb;
  void *cb_arg = w->arg;
  bind_wrap_done(w);
  cb(ev->target, NULL, cb_arg);
}
static void bind_cb_on_error(const cnet_event *ev, void *arg) {
  (void)ev;
  bind_wrap_done(arg);
}
static void bind_wrap_done(bind_wrap *w) {
  cnet_dgram *s = w->s;
  cnet_off(s, CNET_EV_ERROR, bind_cb_on_error, w);
  cnet_off(s, CNET_EV_LISTENING, bind_cb_on_listening, w);
  if (s->bind_wrap == w) s->bind_wrap = NULL;
  free(w);
}

static const char *fd_type(int fd) {
  struct stat st;
  if (fstat(fd, &st) != 0) return "UNKNOWN";
  if (S_ISREG(st.st_mode)) return "FILE";
  if (S_ISCHR(st.st_mode)) return isatty(fd) ? "TTY" : "UNKNOWN";
  if (S_ISFIFO(st.st_mode)) return "PIPE";
  if (!S_ISSOCK(st.st_mode)) return "UNKNOWN";
  int type = 0, domain = 0;
  socklen_t len = sizeof type;
  getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &len);
  len = sizeof domain;
  getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &domain, &len);
  if (domain == AF_UNIX) return "PIPE";
  if (type == SOCK_DGRAM && (domain == AF_INET || domain == AF_INET6)) return "UDP";
  if (type == SOCK_STREAM) return "TCP";
  return "UNKNOWN";
}

/* A bind that fails inside the call leaves nothing behind. */
static int bind_abort(cnet_dgram *s, int code) {
  s->bind_state = UNBOUND;
  if (s->bind_wrap) bind_wrap_done(s->bind_wrap);
  return code;
}

int cnet_dgram_bind_options(cnet_dgram *s, const cnet_bind_options *o,
                            cnet_callback cb, void *arg) {
  static const cnet_bind_options none;
  if (!s) return cnet__fail(CNET_EINVAL, NULL);
  if (!o) o = &none;
  if (s->closed) return not_running(s);
  if (s->bind_state != UNBOUND) return fail(s, CNET_ERR_SOCKET_ALREADY_BOUND, NULL);
  s->bind_state = BINDING;
  if (cb) {
    bind_wrap *w = malloc(sizeof *w);
    if (!w) return bind_abort(s, fail(s, CNET_ENOMEM, NULL));
    *w = (bind_wrap){s, cb, arg};
    s->bind_wrap = w;
    if (cnet_on(s, CNET_EV_ERROR, bind_cb_on_error, w) != 0 ||
        cnet_on(s, CNET_EV_LISTENING, bind_cb_on_listening, w) != 0)
      return bind_abort(s, fail(s, CNET_ENOMEM, NULL));
  }
  if (o->fd > 0 || (o->has_fd && o->fd >= 0)) {
    /* Node opens the fd and listens from inside the call. */
    const char *type = fd_type(o->fd);
    if (strcmp(type, "UDP") != 0)
      return bind_abort(s, fail(s, CNET_ERR_INVALID_FD_TYPE,
                                "Unsupported fd type: %s", type));
    if (s->io.fd >= 0) return bind_abort(s, fail_sys(s, CNET_EBUSY, "open"));
    int fl = fcntl(o->fd, F_GETFL);
    if (fl < 0 || fcntl(o->fd, F_SETFL, fl | O_NONBLOCK) != 0)
      return bind_abort(s, fail_sys(s, cnet_errno(errno), "open"));
    s->io.fd = o->fd;
    struct sockaddr_storage ss;
    socklen_t len = sizeof ss;
    if (getsockname(o->fd, (struct sockaddr *)&ss, &len) == 0 &&
        ss.ss_family == AF_INET6)
      s->fd_v6 = true;
    cnet__dgram_start_listening(s);
    return 0;
  }
  int e = cnet__dgram_start_bind(s, o->port, o->address);
  return e ? bind_abort(s, fail(s, e, NULL)) : 0;
}

int cnet_dgram_bind(cnet_dgram *s, int port, const char *address,
                    cnet_callback cb, void *arg) {
  cnet_bind_options o = {.port = port, .address = address};
  return cnet_dgram_bind_options(s, &o, cb, arg);
}

/* ---- connect --------------------------------------------------------------- */

int cnet_dgram_connect(cnet_dgram *s, int port, const char *address,
                       cnet_callback cb, void *arg) {
  if (!s) return cnet__fail(CNET_EINVAL, NULL);
  if (port < 1 || port > 65535) return bad_port(s, port);
  if (s->connect_state != DISCONNECTED)
    return fail(s, CNET_ERR_SOCKET_DGRAM_IS_CONNECTED, NULL);
  if (s->closed) return not_running(s);
  s->connect_state = CONNECTING;
  if (s->bind_state == UNBOUND) {
    int e = cnet__dgram_start_bind(s, 0, NULL);
    if (e) {
      s->connect_state = DISCONNECTED;
      return fail(s, e, NULL);
    }
  }
  if (s->bind_state != BOUND) {
    qitem *q = calloc(1, sizeof *q);
    if (!q || (address && !(q->address = strdup(address)))) {
      free(q);
      s->connect_state = DISCONNECTED;
      return fail(s, CNET_ENOMEM, NULL);
    }
    q->kind = Q_CONNECT;
    q->port = port;
    q->cb = cb;
    q->arg = arg;
    cnet__dgram_enqueue(s, q);
    return 0;
  }
  int e = cnet__dgram_start_connect(s, port, address, cb, arg);
  return e ? fail(s, e, NULL) : 0;
}

int cnet_dgram_disconnect(cnet_dgram *s) {
  if (!s) return cnet__fail(CNET_EINVAL, NULL);
  if (s->connect_state != CONNECTED)
    return fail(s, CNET_ERR_SOCKET_DGRAM_NOT_CONNECTED, NULL);
  if (s->closed) return not_running(s);
  cnet__dgram_flush_out(s); /* held sends go to the peer they were made for */
  struct sockaddr sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_family = AF_UNSPEC;
  int r;
  do r = connect(s->io.fd, &sa, sizeof sa);
  while (r != 0 && errno == EINTR);
  if (r != 0 && errno != EAFNOSUPPORT) return fail_sys(s, cnet_errno(errno), "connect");
  s->connect_state = DISCONNECTED;
  return 0;
}

int cnet_dgram_remote_address(cnet_dgram *s, cnet_address *out) {
  if (!s || !out) return cnet__fail(CNET_EINVAL, NULL);
  if (s->closed) return not_running(s);
  if (s->connect_state != CONNECTED)
    return fail(s, CNET_ERR_SOCKET_DGRAM_NOT_CONNECTED, NULL);
  int e = cnet__dgram_fill_address(s->io.fd, true, out);
  return e ? fail_sys(s, e, "getpeername") : 0;
}

int cnet_dgram_address(cnet_dgram *s, cnet_address *out) {
  if (!s || !out) return cnet__fail(CNET_EINVAL, NULL);
  if (s->closed) return not_running(s);
  if (s->io.fd < 0) return fail_sys(s, CNET_EBADF, "getsockname");
  int e = cnet__dgram_fill_address(s->io.fd, false, out);
  return e ? fail_sys(s, e, "getsockname") : 0;
}

/* ---- close, and what is left: ref, queue sizes, type, last error -------- */

int cnet_dgram_close(cnet_dgram *s, cnet_callback cb, void *arg) {
  if (!s) return cnet__fail(CNET_EINVAL, NULL);
  if (cb && cnet__once_callback(s, CNET_EV_CLOSE, cb, arg) != 0)
    return fail(s, CNET_ENOMEM, NULL);
  if (s->has_queue) {
    /* Binding: the close waits its turn after the queued sends. */
    qitem *q = calloc(1, sizeof *q);
    if (!q) return fail(s, CNET_ENOMEM, NULL);
    q->kind = Q_CLOSE;
    cnet__dgram_enqueue(s, q);
    return 0;
  }
  if (s->closed) return not_running(s);
  cnet__dgram_do_close(s);
  return 0;
}

size_t cnet_dgram_get_send_queue_size(const cnet_dgram *s) {
  return s && !s->closed ? s->sq_size : 0;
}
size_t cnet_dgram_get_send_queue_count(const cnet_dgram *s) {
  return s && !s->closed ? s->sq_count : 0;
}

void cnet_dgram_ref(cnet_dgram *s) {
  if (s && !s->closed) cnet__handle_ref(&s->h);
}
void cnet_dgram_unref(cnet_dgram *s) {
  if (s && !s->closed) cnet__handle_unref(&s->h);
}

const char *cnet_dgram_type(const cnet_dgram *s) {
  return s && s->family == 6 ? "udp6" : "udp4";
}

