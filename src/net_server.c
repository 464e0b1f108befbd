/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* net.Server over TCP and Unix domain sockets: listen (on an address, a
 * path or an inherited fd), accept with its load shedding and back-off,
 * and the counting of connections (maxConnections, getConnections, 'close'
 * once the last is gone). The accepted connections are net_socket.c's
 * sockets, made and counted through net_socket.h. */
#include "net_server.h"
#include "net_socket.h"
#include "poller.h"
#include "stream.h"

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "cnet/addr.h"
#include "cnet/dns.h"

#define BACKLOG_DEFAULT 511
#define ACCEPTS_PER_WAKEUP 128
/* After an accept error that leaves the connection waiting (out of
 * memory, out of descriptors with no reserve to shed it) the poller would
 * report that connection again at once: the server stops watching its
 * socket for a delay that starts at ACCEPT_BACKOFF_MIN_MS and doubles up
 * to ACCEPT_BACKOFF_MAX_MS, as Go's net/http does after a temporary accept
 * error. An accepted connection resets it. */
#define ACCEPT_BACKOFF_MIN_MS 5
#define ACCEPT_BACKOFF_MAX_MS 1000

struct cnet_server {
  cnet__handle h;
  cnet__io io;
  cnet__socket_owner owner; /* what its accepted sockets call */
  cnet_server_options opts;
  int connections;
  int max_connections;
  int reserve_fd; /* closed to accept-and-drop on EMFILE */
  unsigned backoff_ms;  /* the current accept back-off; 0: none */
  cnet_timer backoff;   /* while it runs, the socket is not watched */
  uint16_t refs;
  bool pipe;        /* a Unix socket: so are its accepted sockets */
  bool unlink_path; /* cnet bound path: close removes it */
  bool freed_requested;
  bool looking_up;          /* listen(port, name): the name is resolving */
  cnet_listen_options pending; /* what to listen with once it has */
  cnet_lookup_req lookup;
  char path[CNET_ADDRESS_MAX];
  cnet__server_layer *layer; /* tls.Server's: net_server.h */
};

static void server_unhandled(void *object, const cnet_error *err) {
  /* An accept error is a moment's shortage (descriptors, memory), not the
   * end of the server: printed (by the emitter) but the server keeps
   * listening. Node 20 does not report these at all; a listen error still
   * closes the server. */
  if (err && err->syscall && strcmp(err->syscall, "accept") == 0) return;
  cnet_server_close(object, NULL, NULL);
}

static void server_handle_closed(cnet__handle *h);
static void server_connection_gone(cnet__socket_owner *owner);
static const struct cnet__emitter_ops server_ops = {
    .type_name = "server",
    .destroy = server_unhandled,
    .closed = server_handle_closed,
};

int cnet_create_server(cnet_loop *loop, const cnet_server_options *opts,
                       cnet_listener connection_listener, void *arg,
                       cnet_server **out) {
  if (!out) return cnet__fail(CNET_EINVAL, NULL);
  *out = NULL;
  if (!loop) return cnet__fail(CNET_EINVAL, NULL);
  cnet_server *srv = calloc(1, sizeof *srv);
  if (!srv) return cnet__fail(CNET_ENOMEM, NULL);
  if (cnet__handle_init(loop, &srv->h, &server_ops) != 0) {
    free(srv);
    return cnet__fail(CNET_ENOMEM, NULL);
  }
  if (opts) srv->opts = *opts;
  srv->io.fd = -1;
  srv->owner.connection_gone = server_connection_gone;
  srv->owner.server = srv;
  srv->reserve_fd = -1;
  cnet_timer_init(loop, &srv->backoff);
  /* The server's own state keeps the loop alive, never its back-off. */
  cnet_timer_unref(&srv->backoff);
  if (connection_listener &&
      cnet_on(srv, CNET_EV_CONNECTION, connection_listener, arg) != 0) {
    cnet__handle_discard(&srv->h);
    free(srv);
    return cnet__fail(CNET_ENOMEM, NULL);
  }
  *out = srv;
  return 0;
}

/* Callers built against 1.0, whose options end where coalesce_writes
 * begins (docs/abi.md, options that grow). */
int cnet__create_server_1_0(cnet_loop *loop, const cnet_server_options *opts,
                            cnet_listener connection_listener, void *arg,
                            cnet_server **out);
__asm__(".symver cnet__create_server_1_0, cnet_create_server@CNET_1.0");
int cnet__create_server_1_0(cnet_loop *loop, const cnet_server_options *opts,
                            cnet_listener connection_listener, void *arg,
                            cnet_server **out) {
  cnet_server_options o = {0};
  if (opts) memcpy(&o, opts, offsetof(cnet_server_options, coalesce_writes));
  return cnet_create_server(loop, opts ? &o : NULL, connection_listener, arg,
                            out);
}

struct server_tick {
  cnet__cb node;
  cnet_server *srv;
  int kind;
  cnet_error err;
  cnet_callback count_cb;
  void *arg;
};

enum { TICK_LISTENING, TICK_ERROR, TICK_CLOSE, TICK_COUNT };

static void server_maybe_free(cnet_server *srv);

static void run_server_tick(void *p) {
  struct server_tick *t = p;
  cnet_server *srv = t->srv;
  cnet_event ev = {0};
  switch (t->kind) {
    case TICK_LISTENING:
      if (srv->io.fd >= 0) {
        ev.type = CNET_EV_LISTENING;
        cnet_emit(srv, &ev);
      }
      break;
    case TICK_ERROR:
      ev.type = CNET_EV_ERROR;
      ev.error = &t->err;
      cnet_emit(srv, &ev);
      break;
    case TICK_CLOSE:
      ev.type = CNET_EV_CLOSE;
      cnet_emit(srv, &ev);
      break;
    case TICK_COUNT:
      t->count_cb(srv, NULL, t->arg);
      break;
  }
  free(t);
  srv->refs--;
  server_maybe_free(srv);
}

static int server_tick(cnet_server *srv, int kind, const cnet_error *err) {
  struct server_tick *t = calloc(1, sizeof *t);
  if (!t) return cnet__fail(CNET_ENOMEM, NULL);
  t->node.fn = run_server_tick;
  t->node.arg = t;
  t->srv = srv;
  t->kind = kind;
  if (err) t->err = *err;
  srv->refs++;
  cnet__tick(srv->h.loop, &t->node);
  return 0;
}

static void on_accept(cnet_loop *loop, cnet__io *io, uint32_t revents);

static int listen_error(cnet_server *srv, int fd, int code, const char *address,
                        int port) {
  if (fd >= 0) close(fd);
  cnet_error e;
  cnet_error_uv(&e, code, "listen", address, port);
  return server_tick(srv, TICK_ERROR, &e);
}

static int listen_fd_ready(cnet_server *srv, int fd, int backlog) {
  if (listen(fd, backlog > 0 ? backlog : BACKLOG_DEFAULT) != 0) return cnet_errno(errno);
  srv->io.fd = fd;
  srv->io.cb = on_accept;
  srv->io.events = POLLIN;
  int r = cnet__io_update(srv->h.loop, &srv->io);
  if (r) {
    srv->io.fd = -1;
    return r;
  }
  cnet__handle_reopen(&srv->h);
  cnet__handle_start(&srv->h);
  srv->backoff_ms = 0;
  if (srv->reserve_fd < 0) srv->reserve_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
  return server_tick(srv, TICK_LISTENING, NULL);
}

static int listen_tcp(cnet_server *srv, const cnet_listen_options *o,
                      bool resolved);

static void on_listen_lookup(cnet_lookup_req *req, const cnet_error *err,
                             const cnet_lookup_address *addrs, size_t count,
                             void *arg) {
  (void)req;
  cnet_server *srv = arg;
  srv->looking_up = false;
  srv->refs++;
  if (err || count == 0) {
    cnet_error e;
    if (err)
      e = *err;
    else
      cnet_error_syscall(&e, CNET_ENOTFOUND, "getaddrinfo", NULL, 0);
    cnet_event ev = {.type = CNET_EV_ERROR, .error = &e};
    cnet_emit(srv, &ev);
  } else {
    cnet_listen_options o = srv->pending;
    o.host = addrs[0].address[0] ? addrs[0].address : "0.0.0.0";
    listen_tcp(srv, &o, true);
  }
  srv->refs--;
  server_maybe_free(srv);
}

static int listen_tcp(cnet_server *srv, const cnet_listen_options *o,
                      bool resolved) {
  const char *host = o->host;
  int family;
  cnet_socket_address sa;
  bool any = host == NULL;
  if (any) host = "::";
  family = cnet_is_ip(host);
  if (!any && !resolved) {
    /* Node's lookupAndListen: a given host is looked up first (an IP
     * literal answers on the next tick), then the server listens on the
     * first address; a lookup error is the server's 'error'. Without a
     * host, Node listens at once. */
    srv->pending = *o;
    srv->pending.host = NULL;
    int r = cnet_lookup(srv->h.loop, &srv->lookup, host, NULL, on_listen_lookup, srv);
    if (r == 0) srv->looking_up = true;
    return r;
  }
  int fd = socket(family == 6 ? AF_INET6 : AF_INET,
                  SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0 && any && errno == EAFNOSUPPORT) {
    host = "0.0.0.0";
    family = 4;
    fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  }
  if (fd < 0) return listen_error(srv, -1, cnet_errno(errno), host, o->port);
  cnet_socket_address_options ao = {.address = host, .port = o->port, .family = family};
  if (cnet_socket_address_init(&sa, &ao) != 0)
    return listen_error(srv, fd, CNET_EINVAL, host, o->port);
  int one = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (o->reuse_port) setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof one);
  if (family == 6) {
    int v6only = o->ipv6_only ? 1 : 0;
    setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &v6only, sizeof v6only);
  }
  socklen_t len;
  const struct sockaddr *p = cnet_socket_address_sockaddr(&sa, &len);
  if (bind(fd, p, len) != 0) return listen_error(srv, fd, cnet_errno(errno), host, o->port);
  int r = listen_fd_ready(srv, fd, o->backlog);
  if (r) return listen_error(srv, fd, r, host, o->port);
  return 0;
}

static int listen_unix(cnet_server *srv, const cnet_listen_options *o) {
  struct sockaddr_un un = {.sun_family = AF_UNIX};
  size_t n = strlen(o->path);
  if (n >= sizeof un.sun_path) return listen_error(srv, -1, CNET_ENAMETOOLONG, o->path, -1);
  memcpy(un.sun_path, o->path, n);
  int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return listen_error(srv, -1, cnet_errno(errno), o->path, -1);
  socklen_t len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n + 1);
  if (bind(fd, (struct sockaddr *)&un, len) != 0)
    return listen_error(srv, fd, cnet_errno(errno), o->path, -1);
  if (o->readable_all || o->writable_all) {
    mode_t mode = (o->readable_all ? 0444 : 0) | (o->writable_all ? 0222 : 0);
    struct stat st;
    if (stat(o->path, &st) == 0) chmod(o->path, st.st_mode | mode);
  }
  snprintf(srv->path, sizeof srv->path, "%s", o->path);
  int r = listen_fd_ready(srv, fd, o->backlog);
  if (r) {
    unlink(o->path);
    return listen_error(srv, fd, r, o->path, -1);
  }
  srv->pipe = srv->unlink_path = true;
  return 0;
}

/* listen({fd}): an inherited Unix socket is a pipe, as Node's Pipe handle
 * makes it (its accepted sockets have no address), but cnet did not bind
 * its path and leaves it in place on close, as libuv does. */
static int listen_inherited(cnet_server *srv, const cnet_listen_options *o) {
  int type = 0;
  socklen_t tl = sizeof type;
  if (getsockopt(o->fd, SOL_SOCKET, SO_TYPE, &type, &tl) != 0 || type != SOCK_STREAM)
    return CNET_ERR_INVALID_FD_TYPE;
  struct sockaddr_storage ss;
  socklen_t sl = sizeof ss;
  if (getsockname(o->fd, (struct sockaddr *)&ss, &sl) == 0)
    srv->pipe = ss.ss_family == AF_UNIX;
  int fl = fcntl(o->fd, F_GETFL);
  if (fl >= 0) fcntl(o->fd, F_SETFL, fl | O_NONBLOCK);
  int r = listen_fd_ready(srv, o->fd, o->backlog);
  return r ? listen_error(srv, -1, r, NULL, -1) : 0;
}

static int listen_options(cnet_server *srv, const cnet_listen_options *o) {
  if (!srv || !o) return cnet__fail(CNET_EINVAL, NULL);
  if (srv->io.fd >= 0) return CNET_ERR_SERVER_ALREADY_LISTEN;
  if (srv->looking_up) {
    /* A newer listen wins, as Node's _listeningId makes it. */
    cnet_lookup_cancel(&srv->lookup);
    srv->looking_up = false;
  }
  /* What an earlier listen left: srv->path stays (Node's _pipeName does,
   * and address() reports it), but not its kind nor its ownership. */
  srv->pipe = srv->unlink_path = false;
  if (o->has_fd) return listen_inherited(srv, o);
  if (o->path && !*o->path) return CNET_ERR_INVALID_ARG_VALUE;
  if (o->path) return listen_unix(srv, o);
  if (o->port < 0 || o->port > 65535) return CNET_ERR_SOCKET_BAD_PORT;
  return listen_tcp(srv, o, false);
}

/* Node's thrown errors, with their messages, as cnet_last_error(). */
int cnet_server_listen_options(cnet_server *srv, const cnet_listen_options *o) {
  int r = listen_options(srv, o);
  if (r >= 0) return r;
  if (r == CNET_ERR_SOCKET_BAD_PORT)
    return cnet__fail(r, "options.port should be >= 0 and < 65536. Received "
                         "type number (%d).", o->port);
  if (r == CNET_ERR_INVALID_ARG_VALUE && o && o->path)
    return cnet__fail(r, "The argument 'options' is invalid. Received { path: "
                         "'%s' }", o->path);
  if (r == CNET_ERR_INVALID_FD_TYPE)
    return cnet__fail(r, "Unsupported fd type: UNKNOWN");
  return cnet__fail(r, NULL);
}

int cnet_server_listen(cnet_server *srv, int port, const char *host, int backlog) {
  cnet_listen_options o = {.port = port, .host = host, .backlog = backlog};
  return cnet_server_listen_options(srv, &o);
}

int cnet_server_listen_path(cnet_server *srv, const char *path) {
  if (!path || !*path)
    return cnet__fail(CNET_ERR_INVALID_ARG_VALUE, "The argument 'options' is "
                      "invalid. Received { path: '%s' }", path ? path : "");
  cnet_listen_options o = {.path = path};
  return cnet_server_listen_options(srv, &o);
}

int cnet_server_address(const cnet_server *srv, cnet_address *out) {
  if (!srv || !out) return cnet__fail(CNET_EINVAL, NULL);
  /* Node asks a TCP handle for its address; otherwise (a Unix socket, or
   * closed) it returns the last listen(path)'s _pipeName, or null. */
  if (srv->io.fd >= 0 && !srv->pipe) return cnet__fd_address(srv->io.fd, false, out);
  if (!srv->path[0]) return cnet__fail(CNET_EBADF, NULL);
  memset(out, 0, sizeof *out);
  snprintf(out->address, sizeof out->address, "%s", srv->path);
  return 0;
}

bool cnet_server_listening(const cnet_server *srv) {
  return srv && srv->io.fd >= 0;
}

static void emit_drop(cnet_server *srv, int fd) {
  if (srv->pipe) {
    /* A Unix socket has no address in Node's sense: Node emits 'drop'
     * with no argument, so no field is set. */
    cnet_event ev = {.type = CNET_EV_DROP};
    cnet_emit(srv, &ev);
    return;
  }
  cnet_address peer, local;
  if (cnet__fd_address(fd, true, &peer) != 0) memset(&peer, 0, sizeof peer);
  if (cnet__fd_address(fd, false, &local) != 0) memset(&local, 0, sizeof local);
  cnet_event ev = {.type = CNET_EV_DROP, .address = peer.address,
                   .port = peer.port,
                   .family = peer.family && peer.family[3] == '6' ? 6 : 4,
                   .local_address = local.address,
                   .local_port = local.port,
                   .local_family = local.family && local.family[3] == '6' ? 6 : 4};
  cnet_emit(srv, &ev);
}

static bool blocked(const cnet_server *srv, int fd) {
  if (!srv->opts.block_list) return false;
  struct sockaddr_storage ss;
  socklen_t len = sizeof ss;
  if (getpeername(fd, (struct sockaddr *)&ss, &len) != 0) return false;
  return cnet_block_list_check_sockaddr(srv->opts.block_list,
                                        (struct sockaddr *)&ss) == 1;
}

static void accepted(cnet_server *srv, int fd) {
  /* Node: `if (self.maxConnections && self._connections >= ...)`: 0 is no
   * limit, a negative value refuses everyone. */
  if ((srv->max_connections != 0 && srv->connections >= srv->max_connections) ||
      blocked(srv, fd)) {
    emit_drop(srv, fd);
    close(fd);
    return;
  }
  cnet_socket *so = cnet__socket_accepted(srv->h.loop, fd, &srv->opts,
                                          srv->pipe, &srv->owner);
  if (!so) {
    close(fd);
    return;
  }
  srv->connections++;
  cnet__stream *s = (cnet__stream *)so;
  cnet__stream_ref(s);
  if (!srv->layer || srv->layer->accepted(srv->layer, srv, so)) {
    cnet_event ev = {.type = CNET_EV_CONNECTION, .object = so};
    cnet_emit(srv, &ev);
  } else {
    cnet__stream_destroy(s, NULL);
  }
  cnet__stream_unref(s);
}

/* Out of descriptors: libuv's uv__emfile_trick. The reserve descriptor is
 * closed so that waiting connections can be accepted and closed at once
 * (their peers see the connection end instead of hanging in the backlog),
 * then reopened. Returns 0 once the backlog is empty or a turn's worth was
 * shed, or the errno that stopped it (EMFILE again when another thread took
 * the freed descriptor, or no reserve to begin with). */
static int shed_backlog(cnet_server *srv) {
  if (srv->reserve_fd < 0) return EMFILE;
  close(srv->reserve_fd);
  srv->reserve_fd = -1;
  int err = 0;
  for (int i = 0; i < ACCEPTS_PER_WAKEUP; i++) {
    int fd = accept4(srv->io.fd, NULL, NULL, SOCK_CLOEXEC);
    if (fd >= 0) {
      close(fd);
      continue;
    }
    if (errno == EINTR || errno == ECONNABORTED) continue;
    err = errno == EAGAIN ? 0 : errno;
    break;
  }
  srv->reserve_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
  return err;
}

/* Linux takes the new descriptor before it looks for a connection, so with
 * the last descriptor just used accept() fails with EMFILE even when no
 * connection waits: that is nothing to shed or report. */
static bool backlog_waiting(const cnet_server *srv) {
  struct pollfd p = {.fd = srv->io.fd, .events = POLLIN};
  int r;
  do r = poll(&p, 1, 0);
  while (r < 0 && errno == EINTR);
  return r != 0; /* an error: let accept() say what it is */
}

static void on_backoff_done(cnet_timer *t, void *arg) {
  cnet_server *srv = arg;
  (void)t;
  if (srv->io.fd < 0) return;
  /* The reserve may have been lost to a shortage: take it back first, so
   * that the next EMFILE can shed the backlog. */
  if (srv->reserve_fd < 0) srv->reserve_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
  srv->io.events = POLLIN;
  if (cnet__io_update(srv->h.loop, &srv->io) != 0)
    cnet_timer_start(&srv->backoff, on_backoff_done, srv, srv->backoff_ms, 0);
}

/* Stops watching the listening socket for the next back-off delay. */
static void accept_backoff(cnet_server *srv) {
  srv->backoff_ms = srv->backoff_ms ? srv->backoff_ms * 2 : ACCEPT_BACKOFF_MIN_MS;
  if (srv->backoff_ms > ACCEPT_BACKOFF_MAX_MS) srv->backoff_ms = ACCEPT_BACKOFF_MAX_MS;
  srv->io.events = 0;
  cnet__io_update(srv->h.loop, &srv->io);
  cnet_timer_start(&srv->backoff, on_backoff_done, srv, srv->backoff_ms, 0);
}

/* Linux passes network errors already pending on the new connection up
 * through accept() (accept(2)); the connection is gone and the next one
 * may be fine, so they are skipped as ECONNABORTED is. */
static bool accept_skippable(int err) {
  switch (err) {
    case EINTR: case ECONNABORTED: case ENETDOWN: case EPROTO:
    case ENOPROTOOPT: case EHOSTDOWN: case ENONET: case EHOSTUNREACH:
    case EOPNOTSUPP: case ENETUNREACH:
      return true;
    default:
      return false;
  }
}

static void on_accept(cnet_loop *loop, cnet__io *io, uint32_t revents) {
  (void)revents;
  cnet_server *srv = CNET__CONTAINER_OF(io, cnet_server, io);
  srv->refs++;
  for (int i = 0; i < ACCEPTS_PER_WAKEUP && srv->io.fd >= 0; i++) {
    int fd = accept4(srv->io.fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd >= 0) {
      srv->backoff_ms = 0;
      /* Node runs its ticks after each 'connection', so what they do
       * (close(), maxConnections) applies to the next connection. */
      accepted(srv, fd);
      cnet__run_ticks(loop);
      continue;
    }
    int err = errno;
    if (accept_skippable(err)) continue;
    if (err == EAGAIN) break;
    /* Reported in the words of Node's onconnection ("accept EMFILE"),
     * once per wake-up; the server keeps listening. If the connection
     * still waits, the socket would wake the loop again at once: back
     * off instead. */
    bool waiting = true;
    if (err == EMFILE || err == ENFILE) {
      if (!backlog_waiting(srv)) break;
      waiting = shed_backlog(srv) != 0;
    }
    cnet_error e;
    cnet_error_syscall(&e, cnet_errno(err), "accept", NULL, 0);
    cnet_event ev = {.type = CNET_EV_ERROR, .error = &e};
    cnet_emit(srv, &ev);
    if (waiting && srv->io.fd >= 0) accept_backoff(srv);
    break;
  }
  srv->refs--;
  server_maybe_free(srv);
}

static void server_emit_close_if_drained(cnet_server *srv) {
  if (srv->io.fd >= 0 || srv->connections) return;
  server_tick(srv, TICK_CLOSE, NULL);
}

static void server_connection_gone(cnet__socket_owner *owner) {
  cnet_server *srv = CNET__CONTAINER_OF(owner, cnet_server, owner);
  srv->connections--;
  server_emit_close_if_drained(srv);
  server_maybe_free(srv);
}

struct close_cb {
  cnet_callback cb;
  void *arg;
  bool not_running;
};

static void on_close_cb(const cnet_event *ev, void *arg) {
  struct close_cb *c = arg;
  cnet_error e;
  if (c->not_running)
    cnet_error_set(&e, CNET_ERR_SERVER_NOT_RUNNING, "Server is not running.");
  c->cb(ev->target, c->not_running ? &e : NULL, c->arg);
  free(c);
}

static void server_handle_closed(cnet__handle *h) {
  server_maybe_free((cnet_server *)h);
}

int cnet_server_close(cnet_server *srv, cnet_callback cb, void *arg) {
  if (!srv) return cnet__fail(CNET_EINVAL, NULL);
  if (cb) {
    struct close_cb *c = malloc(sizeof *c);
    if (!c) return cnet__fail(CNET_ENOMEM, NULL);
    c->cb = cb;
    c->arg = arg;
    c->not_running = srv->io.fd < 0;
    if (cnet_once(srv, CNET_EV_CLOSE, on_close_cb, c) != 0) {
      free(c);
      return cnet__fail(CNET_ENOMEM, NULL);
    }
  }
  if (srv->looking_up) {
    cnet_lookup_cancel(&srv->lookup);
    srv->looking_up = false;
  }
  if (srv->io.fd >= 0) {
    cnet_timer_stop(&srv->backoff);
    cnet__io_close(srv->h.loop, &srv->io);
    close(srv->io.fd);
    srv->io.fd = -1;
    if (srv->unlink_path) unlink(srv->path);
    cnet__handle_close(&srv->h);
  }
  server_emit_close_if_drained(srv);
  return 0;
}

int cnet_server_get_connections(cnet_server *srv, cnet_callback cb, void *arg) {
  if (!srv || !cb) return cnet__fail(CNET_EINVAL, NULL);
  struct server_tick *t = calloc(1, sizeof *t);
  if (!t) return cnet__fail(CNET_ENOMEM, NULL);
  t->node.fn = run_server_tick;
  t->node.arg = t;
  t->srv = srv;
  t->kind = TICK_COUNT;
  t->count_cb = cb;
  t->arg = arg;
  srv->refs++;
  cnet__tick(srv->h.loop, &t->node);
  return 0;
}

int cnet_server_connection_count(const cnet_server *srv) {
  return srv ? (int)srv->connections : 0;
}

void cnet_server_set_max_connections(cnet_server *srv, int max) {
  if (srv) srv->max_connections = max;
}

int cnet_server_max_connections(const cnet_server *srv) {
  return srv ? srv->max_connections : 0;
}

void cnet_server_ref(cnet_server *srv) {
  if (srv) cnet__handle_ref(&srv->h);
}

void cnet_server_unref(cnet_server *srv) {
  if (srv) cnet__handle_unref(&srv->h);
}

static void server_maybe_free(cnet_server *srv) {
  /* Open connections still point at the server (their close counts
   * down its connections): the memory waits for the last of them. */
  if (!srv->freed_requested || srv->refs || srv->io.fd >= 0 ||
      srv->connections || srv->looking_up || (CNET__H_FLAGS(&srv->h) & CNET__F_CLOSING))
    return;
  if (srv->reserve_fd >= 0) close(srv->reserve_fd);
  if (srv->layer) srv->layer->free(srv->layer);
  cnet__handle_discard(&srv->h);
  free(srv);
}

void cnet__server_set_layer(cnet_server *srv, cnet__server_layer *l) { srv->layer = l; }

cnet__server_layer *cnet__server_get_layer(const cnet_server *srv) {
  return srv ? srv->layer : NULL;
}

void cnet_server_free(cnet_server *srv) {
  if (!srv || srv->freed_requested) return;
  srv->freed_requested = true;
  if (srv->looking_up) {
    cnet_lookup_cancel(&srv->lookup);
    srv->looking_up = false;
  }
  if (srv->io.fd >= 0) cnet_server_close(srv, NULL, NULL);
  server_maybe_free(srv);
}
