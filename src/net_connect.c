/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* net.Socket's connect(): Node's lookupAndConnect, internalConnect and
 * (Node 20's autoSelectFamily) internalConnectMultiple, on the socket of
 * net_socket.c. While a connect is in flight the socket's fd reports to
 * this file; once connected, to net_socket.c. */
#include "net_socket_impl.h"

#include <errno.h>
#include <poll.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

/* Node's net.setDefaultAutoSelectFamily and its attempt timeout: one
 * value for the whole process, read by connects on every loop's thread. */
static atomic_bool auto_select_family = true;
static atomic_int attempt_timeout = 250;
#define ATTEMPT_TIMEOUT_MIN 10 /* Node raises shorter timeouts to this */

void cnet_set_default_auto_select_family(bool value) {
  atomic_store(&auto_select_family, value);
}

bool cnet_get_default_auto_select_family(void) {
  return atomic_load(&auto_select_family);
}

int cnet_set_default_auto_select_family_attempt_timeout(int64_t ms) {
  if (ms < 1 || ms > INT32_MAX) return cnet__fail(CNET_ERR_OUT_OF_RANGE, NULL);
  atomic_store(&attempt_timeout, ms < ATTEMPT_TIMEOUT_MIN ? ATTEMPT_TIMEOUT_MIN : (int)ms);
  return 0;
}

int cnet_get_default_auto_select_family_attempt_timeout(void) {
  return atomic_load(&attempt_timeout);
}

static void connect_multiple(cnet_socket *so);

/* 'connectionAttempt', 'connectionAttemptFailed' (e set) and
 * 'connectionAttemptTimeout', about the attempt under way. */
static void emit_attempt(cnet_socket *so, cnet_event_type type,
                         const cnet_error *e) {
  struct sock_x *x = so->x;
  cnet_event ev = {.type = type, .address = x->address, .port = x->port,
                   .family = x->family, .error = e};
  cnet_emit(so, &ev);
}

/* An attempt of several failed: remember the first error, try the next. */
static void attempt_failed(cnet_socket *so, const cnet_error *e) {
  struct sock_x *x = so->x;
  if (x->n_errors++ == 0) x->first_error = *e;
  connect_multiple(so);
}

static void connect_error(cnet_socket *so, int code, const char *syscall,
                          const char *address, int port) {
  cnet_error e;
  cnet_error_syscall(&e, code, syscall, address, port);
  if (so->x->multi) {
    attempt_failed(so, &e);
    return;
  }
  cnet__stream_destroy(&so->s, &e);
}

static void after_connect(cnet_socket *so, int status) {
  if (so->s.flags & CNET__S_DESTROYED) return;
  so->sflags &= ~CNET__SK_DELAYED_ERROR;
  if (status != 0) {
    struct sock_x *x = so->x;
    cnet_error e;
    cnet_error_syscall(&e, status, "connect", x->address,
                       (so->sflags & CNET__SK_PIPE) ? 0 : x->port);
    if (x->local_address[0] && x->local_port) {
      size_t n = strlen(e.message);
      snprintf(e.message + n, sizeof e.message - n, " - Local (%s:%d)",
               x->local_address, x->local_port);
    }
    if (x->multi) {
      emit_attempt(so, CNET_EV_CONNECTION_ATTEMPT_FAILED, &e);
      attempt_failed(so, &e);
      return;
    }
    so->sflags &= ~CNET__SK_CONNECTING;
    if (!x->thrown_error) emit_attempt(so, CNET_EV_CONNECTION_ATTEMPT_FAILED, &e);
    cnet__stream_destroy(&so->s, &e);
    return;
  }
  so->sflags &= ~CNET__SK_CONNECTING;
  so->io.cb = cnet__socket_io;
  if (so->x->multi) {
    cnet_timer_stop(&so->x->attempt);
    so->x->multi = false;
  }
  cnet__socket_refresh_timer(so);
  cnet__socket_apply_opts(so);
  cnet__socket_update_io(so);
  cnet_event ev = {.type = CNET_EV_CONNECT};
  cnet_emit(so, &ev);
  ev = (cnet_event){.type = CNET_EV_READY};
  cnet_emit(so, &ev);
  cnet__socket_update_io(so);
}

/* The kernel tells a connect's outcome by making the fd writable (SO_ERROR
 * says which outcome). A socket that stopped connecting without getting
 * there (connect() failed to start) is the socket's own again. */
static void on_connect_io(cnet_loop *loop, cnet__io *io, uint32_t revents) {
  cnet_socket *so = CNET__CONTAINER_OF(io, cnet_socket, io);
  if (!(so->sflags & CNET__SK_CONNECTING)) {
    cnet__socket_io(loop, io, revents);
    return;
  }
  cnet__stream_ref(&so->s);
  int err = 0;
  socklen_t len = sizeof err;
  getsockopt(io->fd, SOL_SOCKET, SO_ERROR, &err, &len);
  if (err != 0 || (revents & (POLLOUT | POLLERR | POLLHUP)))
    after_connect(so, err ? cnet_errno(err) : 0);
  cnet__stream_unref(&so->s);
}

static void run_delayed_error(void *arg) {
  cnet_socket *so = arg;
  int err = so->x->delayed_error;
  so->x->delayed_error = 0;
  if (so->sflags & CNET__SK_CONNECTING) after_connect(so, err);
  else so->sflags &= ~CNET__SK_DELAYED_ERROR;
  cnet__socket_update_io(so);
  cnet__stream_unref(&so->s);
}

/* Node's internalConnect: bind if asked, then a non-blocking connect.
 * Errors the kernel reports at once are delivered on the next turn, as
 * libuv delays them, so that the order of events matches Node's. */
static void internal_connect(cnet_socket *so, const char *address, int port,
                             int family) {
  struct sock_x *x = so->x;
  struct sockaddr_storage ss;
  socklen_t len;
  int domain;
  if (so->sflags & CNET__SK_PIPE) {
    struct sockaddr_un *un = (struct sockaddr_un *)&ss;
    memset(un, 0, sizeof *un);
    un->sun_family = AF_UNIX;
    size_t n = strlen(address);
    if (n >= sizeof un->sun_path) {
      connect_error(so, CNET_ENAMETOOLONG, "connect", address, 0);
      return;
    }
    memcpy(un->sun_path, address, n);
    len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n + 1);
    domain = AF_UNIX;
  } else {
    cnet_socket_address sa;
    cnet_socket_address_options ao = {.address = address, .port = port, .family = family};
    int r = cnet_socket_address_init(&sa, &ao);
    if (r) {
      connect_error(so, CNET_EINVAL, "connect", address, port);
      return;
    }
    const struct sockaddr *p = cnet_socket_address_sockaddr(&sa, &len);
    memcpy(&ss, p, len);
    domain = family == 6 ? AF_INET6 : AF_INET;
  }
  snprintf(x->address, sizeof x->address, "%s", address);
  x->port = port;
  x->family = domain == AF_UNIX ? 0 : family;
  int fd = socket(domain, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    connect_error(so, cnet_errno(errno), "connect", address, port);
    return;
  }
  so->io.fd = fd;
  if (x->local_address[0] || x->local_port) {
    const char *la = x->local_address[0] ? x->local_address
                                         : (family == 6 ? "::" : "0.0.0.0");
    cnet_socket_address lsa;
    cnet_socket_address_options lo = {.address = la, .port = x->local_port, .family = family};
    socklen_t llen;
    int r = cnet_socket_address_init(&lsa, &lo);
    if (r == 0) {
      const struct sockaddr *lp = cnet_socket_address_sockaddr(&lsa, &llen);
      if (bind(fd, lp, llen) != 0) r = cnet_errno(errno);
    } else {
      r = CNET_EINVAL;
    }
    if (r) {
      connect_error(so, r, "bind", la, x->local_port);
      return;
    }
    if (la != x->local_address)
      snprintf(x->local_address, sizeof x->local_address, "%s", la);
  }
  emit_attempt(so, CNET_EV_CONNECTION_ATTEMPT, NULL);
  if (!(so->sflags & CNET__SK_CONNECTING) || (so->s.flags & CNET__S_DESTROYED)) return;
  int r;
  do r = connect(fd, (struct sockaddr *)&ss, len);
  while (r != 0 && errno == EINTR);
  if (r == 0 || errno == EINPROGRESS) {
    x->thrown_error = false;
    cnet__socket_update_io(so); /* POLLOUT tells when it is done */
    return;
  }
  x->thrown_error = !x->multi && domain != AF_UNIX && errno != ECONNREFUSED;
  x->delayed_error = cnet_errno(errno);
  so->sflags |= CNET__SK_DELAYED_ERROR;
  x->delayed.fn = run_delayed_error;
  x->delayed.arg = so;
  x->delayed.pooled = false;
  cnet__stream_ref(&so->s);
  cnet__defer(so->s.h.loop, &x->delayed);
  cnet__socket_update_io(so);
}

static void connect_ip_tick(cnet__stream *s) {
  cnet_socket *so = (cnet_socket *)s;
  if (!(so->sflags & CNET__SK_CONNECTING) || (s->flags & CNET__S_DESTROYED)) return;
  internal_connect(so, so->x->host, so->x->port, so->x->family_hint);
}

static void on_attempt_timeout(cnet_timer *t, void *arg) {
  (void)t;
  cnet_socket *so = arg;
  emit_attempt(so, CNET_EV_CONNECTION_ATTEMPT_TIMEOUT, NULL);
  cnet_error e;
  cnet_error_syscall(&e, CNET_ETIMEDOUT, "connect", so->x->address, so->x->port);
  attempt_failed(so, &e);
}

/* Node's internalConnectMultiple: the next address, on a fresh fd. */
static void connect_multiple(cnet_socket *so) {
  struct sock_x *x = so->x;
  cnet_timer_stop(&x->attempt);
  if (so->io.fd >= 0) {
    cnet__io_close(so->s.h.loop, &so->io);
    close(so->io.fd);
    so->io.fd = -1;
  }
  if (!(so->sflags & CNET__SK_CONNECTING) || (so->s.flags & CNET__S_DESTROYED)) return;
  if (x->cur_addr == x->n_addrs) {
    x->multi = false;
    so->sflags &= ~CNET__SK_CONNECTING;
    cnet_error e;
    if (x->n_errors == 0) {
      cnet_error_set(&e, CNET_ERR_SOCKET_CONNECTION_TIMEOUT,
                     "Socket connection timeout");
    } else {
      /* Node's AggregateError has the first error's code and no message;
       * cnet keeps the first error and says how many more there were. */
      e = x->first_error;
      size_t n = strlen(e.message);
      if (x->n_errors > 1)
        snprintf(e.message + n, sizeof e.message - n, " (and %d more)",
                 x->n_errors - 1);
    }
    cnet__socket_update_io(so);
    cnet__stream_destroy(&so->s, &e);
    return;
  }
  int i = x->cur_addr++;
  char address[CNET_ADDRESS_STRLEN];
  snprintf(address, sizeof address, "%s", x->addrs[i].address);
  if (x->cur_addr < x->n_addrs) {
    if (!(x->attempt.flags & CNET__F_INIT)) cnet_timer_init(so->s.h.loop, &x->attempt);
    cnet_set_timeout(&x->attempt, on_attempt_timeout, so, x->attempt_timeout);
  }
  internal_connect(so, address, x->port, x->addrs[i].family);
}

static void on_lookup(cnet_lookup_req *req, const cnet_error *err,
                      const cnet_lookup_address *addrs, size_t count,
                      void *arg) {
  (void)req;
  cnet_socket *so = arg;
  so->sflags &= ~CNET__SK_LOOKUP;
  struct sock_x *x = so->x;
  cnet__stream_ref(&so->s);
  if (err) {
    cnet_event ev = {.type = CNET_EV_LOOKUP, .error = err, .host = x->host};
    cnet_emit(so, &ev);
    if (so->sflags & CNET__SK_CONNECTING) {
      cnet_error copy = *err;
      cnet__socket_update_io(so);
      cnet__stream_destroy(&so->s, &copy);
    }
    cnet__stream_unref(&so->s);
    return;
  }
  /* Node 20 (autoSelectFamily): one 'lookup' per address, then the
   * addresses tried in turn, families alternating, the first address's
   * family first. */
  size_t by_family[2][CNET__CONNECT_ADDRESSES], nf[2] = {0, 0};
  int first_family = count ? addrs[0].family : 4;
  for (size_t i = 0; i < count && (so->sflags & CNET__SK_CONNECTING); i++) {
    cnet_event ev = {.type = CNET_EV_LOOKUP, .address = addrs[i].address,
                     .family = addrs[i].family, .host = x->host};
    cnet_emit(so, &ev);
    int slot = addrs[i].family == first_family ? 0 : 1;
    bool dup = false;
    for (size_t k = 0; k < nf[slot]; k++)
      dup |= strcmp(addrs[by_family[slot][k]].address, addrs[i].address) == 0;
    if (!dup && nf[slot] < CNET__CONNECT_ADDRESSES)
      by_family[slot][nf[slot]++] = i;
  }
  if ((so->sflags & CNET__SK_CONNECTING) && count > 0) {
    x->n_addrs = x->cur_addr = x->n_errors = 0;
    for (size_t i = 0; i < CNET__CONNECT_ADDRESSES &&
                       x->n_addrs < CNET__CONNECT_ADDRESSES; i++)
      for (int f = 0; f < 2; f++)
        if (i < nf[f] && x->n_addrs < CNET__CONNECT_ADDRESSES) {
          const cnet_lookup_address *a = &addrs[by_family[f][i]];
          snprintf(x->addrs[x->n_addrs].address, sizeof x->addrs[0].address,
                   "%s", a->address);
          x->addrs[x->n_addrs++].family = a->family;
        }
    cnet__socket_refresh_timer(so);
    if (x->n_addrs > 1) {
      x->multi = true;
      connect_multiple(so);
    } else {
      char address[CNET_ADDRESS_MAX];
      snprintf(address, sizeof address, "%s", addrs[0].address);
      internal_connect(so, address, x->port, addrs[0].family);
    }
  }
  cnet__socket_update_io(so);
  cnet__stream_unref(&so->s);
}

/* Node's lookupAndConnect: an IP address is connected to on the next tick,
 * any other name is looked up first. */
static int lookup_and_connect(cnet_socket *so, const cnet_connect_options *opts) {
  struct sock_x *x = so->x;
  const char *host = opts->host && *opts->host ? opts->host : "localhost";
  snprintf(x->host, sizeof x->host, "%s", host);
  x->port = opts->port;
  int type = cnet_is_ip(host);
  if (type) {
    x->family_hint = type;
    so->sflags |= CNET__SK_LOOKUP; /* keeps the loop alive until the tick */
    cnet__socket_update_io(so);
    so->sflags &= ~CNET__SK_LOOKUP;
    cnet__handle_start(&so->s.h);
    cnet__stream_tick(&so->s, connect_ip_tick);
    return 0;
  }
  cnet_lookup_options lo = {.family = opts->family};
  if (opts->family != 4 && opts->family != 6) lo.hints = CNET_DNS_ADDRCONFIG;
  bool auto_select = opts->has_auto_select_family
                         ? opts->auto_select_family
                         : cnet_get_default_auto_select_family();
  lo.all = opts->family != 4 && opts->family != 6 && !opts->local_address &&
           auto_select;
  unsigned timeout = opts->auto_select_family_attempt_timeout;
  if (timeout && timeout < ATTEMPT_TIMEOUT_MIN) timeout = ATTEMPT_TIMEOUT_MIN;
  x->attempt_timeout =
      timeout ? timeout
              : (unsigned)cnet_get_default_auto_select_family_attempt_timeout();
  int r = cnet_lookup(so->s.h.loop, &x->lookup, x->host, &lo, on_lookup, so);
  if (r) {
    so->sflags &= ~CNET__SK_CONNECTING;
    return r;
  }
  so->sflags |= CNET__SK_LOOKUP;
  cnet__socket_update_io(so);
  return 0;
}

static int socket_connect(cnet_socket *so, const cnet_connect_options *opts,
                          cnet_callback connect_listener, void *arg) {
  if (!so) return CNET_EINVAL;
  if (!opts || (!opts->path && !opts->port && !opts->has_port))
    return CNET_ERR_MISSING_ARGS;
  bool pipe = opts->path != NULL;
  if (pipe && !*opts->path) return CNET_ERR_INVALID_ARG_VALUE;
  if ((so->s.flags & CNET__S_DESTROYED) &&
      !(CNET__H_FLAGS(&so->s.h) & CNET__F_CLOSED) &&
      !(so->sflags & CNET__SK_CLOSE_TICK))
    return CNET_EBUSY; /* still closing: connect again from 'close' */
  /* Node adds the listener before it finds a bad port and throws: it
   * stays, and runs if a later connect succeeds. */
  if (connect_listener &&
      cnet__once_callback(so, CNET_EV_CONNECT, connect_listener, arg) != 0)
    return CNET_ENOMEM;
  if (so->sflags & CNET__SK_CONNECTING) return 0; /* Node ignores a second connect */
  int bad = 0;
  if (!pipe && (opts->port < 0 || opts->port > 65535))
    bad = CNET_ERR_SOCKET_BAD_PORT;
  else if (!pipe && opts->local_address && !cnet_is_ip(opts->local_address))
    bad = CNET_ERR_INVALID_IP_ADDRESS;
  struct sock_x *x = cnet__socket_x(so);
  if (!x) return CNET_ENOMEM;
  if (so->s.flags & CNET__S_DESTROYED) {
    cnet__stream_reset(&so->s);
    so->sflags &= ~(CNET__SK_RDHUP_SEEN | CNET__SK_RESET | CNET__SK_CLOSE_TICK);
    so->had_error = false;
  }
  so->s.flags &= ~CNET__R_WRITE_AFTER_FIN;
  if (opts->no_delay) so->sflags |= CNET__SK_NO_DELAY;
  if (opts->keep_alive) {
    so->sflags |= CNET__SK_KEEP_ALIVE;
    x->keep_alive_delay = opts->keep_alive_initial_delay / 1000;
  }
  if (!(so->sflags & CNET__SK_HAS_HANDLE)) {
    /* A new handle: Node's bytesRead/bytesWritten start again from 0. */
    so->bytes_read = 0;
    so->bytes_dispatched = 0;
  }
  so->sflags |= CNET__SK_HAS_HANDLE | CNET__SK_CONNECTING;
  so->io.cb = on_connect_io;
  so->sflags = pipe ? (so->sflags | CNET__SK_PIPE) : (so->sflags & ~CNET__SK_PIPE);
  if (bad) {
    /* Node throws from lookupAndConnect, after the socket got its handle
     * and started connecting: it stays "opening" until destroyed. */
    cnet__socket_update_io(so);
    return bad;
  }
  cnet__socket_refresh_timer(so);
  if (opts->timeout) cnet_socket_set_timeout(so, opts->timeout, NULL, NULL);
  x->local_address[0] = '\0';
  x->local_port = opts->local_port;
  x->multi = false;
  x->peer_cached = false;
  if (opts->local_address)
    snprintf(x->local_address, sizeof x->local_address, "%s", opts->local_address);
  if (pipe) {
    x->port = 0;
    internal_connect(so, opts->path, 0, 0);
    cnet__socket_update_io(so);
    return 0;
  }
  return lookup_and_connect(so, opts);
}

/* Node's thrown errors, with their messages, as cnet_last_error(). */
static int connect_failed(int r, const cnet_connect_options *opts) {
  switch (r) {
    case CNET_ERR_MISSING_ARGS:
      return cnet__fail(r, "The \"options\" or \"port\" or \"path\" argument "
                           "must be specified");
    case CNET_ERR_SOCKET_BAD_PORT:
      return cnet__fail(r, "Port should be >= 0 and < 65536. Received type "
                           "number (%d).", opts->port);
    case CNET_ERR_INVALID_IP_ADDRESS:
      return cnet__fail(r, "Invalid IP address: %s", opts->local_address);
    case CNET_EBUSY:
      return cnet__fail(r, "the socket is still closing: connect again from "
                           "its 'close' listener");
    default:
      return cnet__fail(r, NULL);
  }
}

int cnet_socket_connect(cnet_socket *so, const cnet_connect_options *opts,
                        cnet_callback connect_listener, void *arg) {
  int r = socket_connect(so, opts, connect_listener, arg);
  return r ? connect_failed(r, opts) : 0;
}

int cnet_socket_connect_port(cnet_socket *so, int port, const char *host,
                             cnet_callback connect_listener, void *arg) {
  cnet_connect_options o = {.port = port, .has_port = true, .host = host};
  return cnet_socket_connect(so, &o, connect_listener, arg);
}

int cnet_socket_connect_path(cnet_socket *so, const char *path,
                             cnet_callback connect_listener, void *arg) {
  cnet_connect_options o = {.path = path};
  return cnet_socket_connect(so, &o, connect_listener, arg);
}

int cnet_connect(cnet_loop *loop, const cnet_connect_options *opts,
                 cnet_callback connect_listener, void *arg, cnet_socket **out) {
  if (!out) return cnet__fail(CNET_EINVAL, NULL);
  *out = NULL;
  if (!opts || (!opts->path && !opts->port && !opts->has_port))
    return connect_failed(CNET_ERR_MISSING_ARGS, opts);
  cnet_socket_options so_opts = {.allow_half_open = opts->allow_half_open,
                                 .high_water_mark = opts->high_water_mark,
                                 .has_high_water_mark = opts->has_high_water_mark};
  cnet_socket *so;
  int r = cnet_socket_new(loop, &so_opts, &so);
  if (r) return r;
  r = cnet_socket_connect(so, opts, connect_listener, arg);
  if (r) {
    /* Nothing was started: the socket goes without events. */
    so->s.flags |= CNET__S_DESTROYED | CNET__S_CLOSED | CNET__S_CLOSE_EMITTED;
    cnet__handle_close(&so->s.h);
    so->sflags |= CNET__SK_CLOSE_TICK;
    return r;
  }
  *out = so;
  return 0;
}

/* Callers built against 1.0, whose options end where high_water_mark
 * begins (docs/abi.md, options that grow). */
int cnet__connect_1_0(cnet_loop *loop, const cnet_connect_options *opts,
                      cnet_callback connect_listener, void *arg, cnet_socket **out);
__asm__(".symver cnet__connect_1_0, cnet_connect@CNET_1.0");
int cnet__connect_1_0(cnet_loop *loop, const cnet_connect_options *opts,
                      cnet_callback connect_listener, void *arg, cnet_socket **out) {
  cnet_connect_options o = {0};
  if (opts) memcpy(&o, opts, offsetof(cnet_connect_options, high_water_mark));
  return cnet_connect(loop, opts ? &o : NULL, connect_listener, arg, out);
}

int cnet_connect_port(cnet_loop *loop, int port, const char *host,
                      cnet_callback connect_listener, void *arg,
                      cnet_socket **out) {
  cnet_connect_options o = {.port = port, .has_port = true, .host = host};
  return cnet_connect(loop, &o, connect_listener, arg, out);
}

int cnet_connect_path(cnet_loop *loop, const char *path,
                      cnet_callback connect_listener, void *arg,
                      cnet_socket **out) {
  cnet_connect_options o = {.path = path};
  return cnet_connect(loop, &o, connect_listener, arg, out);
}
