/* net.Socket and net.Server over TCP and Unix domain sockets: Node's
 * lib/net.js on cnet's loop and stream core. The socket is the stream
 * implementation (write/final/read/destroy) plus connect, lookup, timeouts
 * and addresses; the server listens, accepts and counts connections.
 *
 * I/O: level-triggered epoll. A flowing socket watches POLLIN and reads
 * into the loop's buffer; one that is paused or has no consumer yet
 * watches only POLLRDHUP, so it stays alive (as Node's does) while its data
 * waits in the kernel. Writes go straight to the kernel; only what the
 * kernel refuses is copied and POLLOUT watched until it drains. */
#include "stream.h"
#include "splice.h"

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
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

#define BACKLOG_DEFAULT 511
#define READS_PER_WAKEUP 32
#define ACCEPTS_PER_WAKEUP 128
/* An accept error that leaves the connection waiting (out of memory, out
 * of descriptors with no reserve to shed it) would wake the level-triggered
 * loop again at once: the server stops watching its socket for a delay
 * that starts at ACCEPT_BACKOFF_MIN_MS and doubles up to
 * ACCEPT_BACKOFF_MAX_MS, as Go's net/http does after a temporary accept
 * error. An accepted connection resets it. */
#define ACCEPT_BACKOFF_MIN_MS 5
#define ACCEPT_BACKOFF_MAX_MS 1000

enum {
  SO_CONNECTING = 1u << 0,
  SO_HAS_HANDLE = 1u << 1,  /* Node's this._handle: connect() or accept made one */
  SO_PIPE = 1u << 2,        /* a Unix domain socket */
  SO_NOT_SOCKET = 1u << 3,  /* wraps an fd that is no socket (writev, not send) */
  SO_NO_DELAY = 1u << 4,
  SO_KEEP_ALIVE = 1u << 5,
  SO_RDHUP_SEEN = 1u << 6,  /* peer FIN seen while not reading */
  SO_SHUTTING = 1u << 7,    /* _final: shutdown waits for the write queue */
  SO_RESET = 1u << 8,       /* resetAndDestroy: close with RST */
  SO_LOOKUP = 1u << 9,      /* a name lookup is in flight */
  SO_CLOSE_TICK = 1u << 10, /* 'close' comes from a tick, not the handle */
  SO_DELAYED_ERROR = 1u << 11,
  SO_UNREF = 1u << 12,
  SO_CANCEL_WRITE = 1u << 13, /* destroyed mid-write: complete it at close */
  SO_SPLICING = 1u << 14     /* a splice job reads the socket (src/splice.c) */
};

/* Rarely used parts of a socket, allocated on first need. */
struct sock_x {
  cnet_timer timer; /* setTimeout */
  unsigned timeout_ms;
  unsigned keep_alive_delay; /* seconds, as Node passes it on */
  char *out;                 /* bytes the kernel refused, waiting for POLLOUT */
  size_t out_len, out_off;
  char *pending;             /* a write made while connecting */
  size_t pending_len;
  cnet_lookup_req lookup;
  cnet__cb shutdown_cb;      /* libuv feeds a shutdown with nothing queued */
  cnet__cb delayed;          /* a connect error reported on the next turn */
  int delayed_error;
  int port;                  /* connecting: the peer */
  char address[CNET_ADDRESS_MAX];
  char local_address[CNET_ADDRESS_MAX];
  int local_port;
  char host[256];            /* for 'lookup' */
  int family_hint;
  /* Node 20's autoSelectFamily: the addresses to try in turn, each given
   * 250 ms before the next is tried. */
  struct {
    char address[46];
    int family;
  } addrs[8];
  uint8_t n_addrs, cur_addr, n_errors;
  bool multi;
  cnet_timer attempt;
  cnet_error first_error;
  /* Node caches the peer's address once asked (_peername), so it can
   * still be read after the socket closed. */
  bool peer_cached;
  cnet_address peer;
  struct cnet__splice *splice; /* pipe() into a file stream: src/splice.c */
};

#define ATTEMPT_TIMEOUT_MS 250

struct cnet_socket {
  cnet__stream s;
  cnet__io io;
  cnet_server *server;
  uint64_t bytes_read;
  uint64_t bytes_dispatched;
  uint32_t sflags;
  bool had_error; /* for 'close' */
  struct sock_x *x;
};

struct cnet_server {
  cnet__handle h;
  cnet__io io;
  cnet_server_options opts;
  int connections;
  int max_connections;
  int reserve_fd; /* closed to accept-and-drop on EMFILE */
  unsigned backoff_ms;  /* the current accept back-off; 0: none */
  cnet_timer backoff;   /* while it runs, the socket is not watched */
  uint16_t refs;
  bool unix_path;
  bool freed_requested;
  bool looking_up;          /* listen(port, name): the name is resolving */
  cnet_listen_options pending; /* what to listen with once it has */
  cnet_lookup_req lookup;
  char path[CNET_ADDRESS_MAX];
};

static void sock_update_io(cnet_socket *so);
static void sock_refresh_timer(cnet_socket *so);

static struct sock_x *sx(cnet_socket *so) {
  if (!so->x) {
    so->x = calloc(1, sizeof *so->x);
    if (so->x) so->x->delayed_error = 0;
  }
  return so->x;
}

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

static int fd_address(int fd, bool peer, cnet_address *out) {
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
    if (so->sflags & SO_NOT_SOCKET) {
      w = writev(so->io.fd, iov, n);
    } else if (n == 1) {
      /* send() skips sendmsg's message-header copy: the common case. */
      w = send(so->io.fd, iov[0].iov_base, iov[0].iov_len,
               MSG_NOSIGNAL | MSG_DONTWAIT);
      if (w < 0 && errno == ENOTSOCK) {
        so->sflags |= SO_NOT_SOCKET;
        continue;
      }
    } else {
      struct msghdr msg = {.msg_iov = iov, .msg_iovlen = (size_t)n};
      w = sendmsg(so->io.fd, &msg, MSG_NOSIGNAL | MSG_DONTWAIT);
      if (w < 0 && errno == ENOTSOCK) {
        so->sflags |= SO_NOT_SOCKET;
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
  if (so->sflags & SO_CONNECTING) {
    /* Node's _writeGeneric while connecting: the write waits for
     * 'connect' (a listener added now), or fails on 'close'. */
    struct sock_x *x = sx(so);
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
  sock_refresh_timer(so);
  so->bytes_dispatched += total;
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
  struct sock_x *x = sx(so);
  char *rest = x ? cnet__chunks_rest(chunks, n, total, done) : NULL;
  if (!rest) {
    write_error(so, CNET_ENOMEM);
    return;
  }
  x->out = rest;
  x->out_len = total - done;
  x->out_off = 0;
  sock_update_io(so);
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
  while (x->out_off < x->out_len) {
    struct iovec iov = {x->out + x->out_off, x->out_len - x->out_off};
    ssize_t w = send_iov(so, &iov, 1);
    if (w < 0) {
      if (errno == EAGAIN) return;
      int err = cnet_errno(errno);
      free(x->out);
      x->out = NULL;
      sock_update_io(so);
      write_error(so, err);
      return;
    }
    x->out_off += (size_t)w;
  }
  free(x->out);
  x->out = NULL;
  sock_update_io(so);
  sock_refresh_timer(so);
  cnet__stream_onwrite(&so->s, NULL); /* asynchronous completion */
}

static void final_on_connect(const cnet_event *ev, void *arg);
static void do_shutdown(cnet_socket *so);
static bool sock_open(const cnet_socket *so);

static void run_fed_shutdown(void *arg) {
  cnet_socket *so = arg;
  if (sock_open(so) && (so->sflags & SO_SHUTTING) && !(so->x && so->x->out))
    do_shutdown(so);
  cnet__stream_unref(&so->s);
}

static void do_shutdown(cnet_socket *so) {
  so->sflags &= ~SO_SHUTTING;
  sock_update_io(so);
  if (shutdown(so->io.fd, SHUT_WR) != 0 && errno != ENOTCONN) {
    cnet_error e;
    cnet_error_syscall(&e, cnet_errno(errno), "shutdown", NULL, 0);
    cnet__stream_onfinal(&so->s, &e);
    return;
  }
  cnet__stream_onfinal(&so->s, NULL);
}

static void sock_final(cnet__stream *s) {
  cnet_socket *so = as_sock(s);
  if (!(so->sflags & SO_HAS_HANDLE) || (so->sflags & SO_CONNECTING)) {
    if (so->sflags & SO_CONNECTING) {
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
  /* libuv 1.46: with writes still queued the shutdown waits for them (a
   * later POLLOUT); with none it is fed to the pending queue, which runs
   * right after the current poll phase. */
  so->sflags |= SO_SHUTTING;
  if (!(so->x && so->x->out) && sx(so)) {
    so->x->shutdown_cb.fn = run_fed_shutdown;
    so->x->shutdown_cb.arg = so;
    so->x->shutdown_cb.pooled = false;
    cnet__stream_ref(s);
    cnet__defer(s->h.loop, &so->x->shutdown_cb);
    return;
  }
  sock_update_io(so);
}

static void final_on_connect(const cnet_event *ev, void *arg) {
  (void)ev;
  sock_final(&((cnet_socket *)arg)->s);
}

static void sock_read_start(cnet__stream *s) { sock_update_io(as_sock(s)); }
static void sock_read_stop(cnet__stream *s) { sock_update_io(as_sock(s)); }

static void server_connection_gone(cnet_server *srv);

static void sock_handle_closed(cnet__handle *h) {
  cnet_socket *so = (cnet_socket *)h;
  if (so->sflags & SO_CANCEL_WRITE) {
    /* libuv completes a write cut short by close before the close
     * callback; Node reports it without error (the stream is destroyed),
     * then the buffered writes get ERR_STREAM_DESTROYED. */
    so->sflags &= ~SO_CANCEL_WRITE;
    cnet__stream_onwrite(&so->s, NULL);
    cnet__run_ticks(h->loop);
  }
  if (!(so->sflags & SO_CLOSE_TICK)) {
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
  so->sflags &= ~(SO_CONNECTING | SO_SHUTTING);
  if (so->sflags & SO_LOOKUP) {
    cnet_lookup_cancel(&so->x->lookup);
    so->sflags &= ~SO_LOOKUP;
  }
  if (so->x) {
    cnet_timer_stop(&so->x->timer);
    cnet_timer_stop(&so->x->attempt);
    so->x->multi = false;
  }
  if (so->io.fd >= 0 || (so->sflags & SO_HAS_HANDLE)) {
    /* A socket with a handle (connected, or connect() called even if no
     * fd exists yet) emits 'close' when the handle closes, in the close
     * phase, as Node's handle.close callback does. */
    so->had_error = err != NULL;
    if (so->io.fd >= 0 && (so->sflags & SO_RESET)) {
      struct linger l = {1, 0};
      setsockopt(so->io.fd, SOL_SOCKET, SO_LINGER, &l, sizeof l);
    }
    if (so->io.fd >= 0) {
      cnet__io_close(s->h.loop, &so->io);
      close(so->io.fd);
      so->io.fd = -1;
    }
    if (so->x && so->x->out) {
      free(so->x->out);
      so->x->out = NULL;
      so->sflags |= SO_CANCEL_WRITE;
    }
    so->sflags &= ~(SO_HAS_HANDLE | SO_CLOSE_TICK);
    cnet__handle_close(&s->h);
    cnet__stream_ondestroy(s, err);
  } else {
    so->sflags |= SO_CLOSE_TICK;
    so->sflags &= ~SO_HAS_HANDLE;
    cnet__stream_ondestroy(s, err);
    cnet__stream_tick(s, close_tick);
  }
  if (so->server) {
    cnet_server *srv = so->server;
    so->server = NULL;
    server_connection_gone(srv);
  }
}

static void sock_free(cnet__stream *s) {
  cnet_socket *so = as_sock(s);
  if (so->x) {
    free(so->x->out);
    free(so->x->pending);
    free(so->x);
  }
  free(so);
}

static void sock_unhandled(void *object, const cnet_error *err) {
  cnet__stream_destroy(object, err);
}

static void sock_listener_added(void *object, int type) {
  cnet__stream *s = object;
  if (type != CNET_EV_DATA) return;
  /* Readable.prototype.on('data'): start flowing unless paused. */
  s->flags |= CNET__R_DATA_LISTENING;
  if ((s->flags & (CNET__R_HAS_FLOWING | CNET__R_FLOWING)) != CNET__R_HAS_FLOWING)
    cnet__stream_resume(s);
}

static const cnet__stream_vt sock_vt = {
    .ops = {"socket", sock_unhandled, sock_listener_added, sock_handle_closed,
            true},
    .write = sock_write,
    .final = sock_final,
    .read_start = sock_read_start,
    .read_stop = sock_read_stop,
    .destroy = sock_destroy,
    .free = sock_free,
};

/* ---- reading -------------------------------------------------------------- */

static bool sock_open(const cnet_socket *so) {
  return so->io.fd >= 0 && !(so->s.flags & CNET__S_DESTROYED);
}

static void do_reads(cnet_socket *so) {
  cnet_loop *loop = so->s.h.loop;
  if (so->x && so->x->splice && cnet__splice_read(so->x->splice)) return;
  char *buf = cnet__loop_rbuf(loop);
  if (!buf) return;
  for (int i = 0; i < READS_PER_WAKEUP; i++) {
    if (!sock_open(so) || !cnet__stream_flowing(&so->s)) return;
    ssize_t n = read(so->io.fd, buf, loop->rbuf_size);
    if (n > 0) {
      so->bytes_read += (uint64_t)n;
      sock_refresh_timer(so);
      cnet__stream_push(&so->s, buf, (size_t)n);
      /* Each read is its own callback in Node: ticks run after it. */
      cnet__run_ticks(loop);
      if ((size_t)n < loop->rbuf_size) return;
      continue;
    }
    if (n == 0) {
      so->sflags |= SO_RDHUP_SEEN;
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

/* The peer ended (or reset) while nobody reads. Node would have read
 * this: with nothing unread it emits 'end' even without a consumer, and a
 * reset destroys the socket. Data still unread stays in the kernel until
 * the stream flows, then EOF is read after it. */
static void eof_while_idle(cnet_socket *so) {
  so->sflags |= SO_RDHUP_SEEN;
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
  sock_update_io(so);
  if (n == 0) cnet__stream_push_eof(&so->s);
}

static void after_connect(cnet_socket *so, int status);

static void on_sock_io(cnet_loop *loop, cnet__io *io, uint32_t revents) {
  cnet_socket *so = CNET__CONTAINER_OF(io, cnet_socket, io);
  cnet__stream_ref(&so->s);
  if (so->sflags & SO_CONNECTING) {
    int err = 0;
    socklen_t len = sizeof err;
    getsockopt(io->fd, SOL_SOCKET, SO_ERROR, &err, &len);
    if (err == 0 && !(revents & (POLLOUT | POLLERR | POLLHUP))) goto out;
    after_connect(so, err ? cnet_errno(err) : 0);
    goto out;
  }
  /* Write completion, reads and shutdown are separate callbacks in libuv,
   * each followed by Node's ticks. */
  if (so->x && so->x->out && (revents & (POLLOUT | POLLERR | POLLHUP))) {
    flush_out(so);
    cnet__run_ticks(loop);
  }
  if (sock_open(so) && (revents & (POLLIN | POLLERR | POLLHUP)) &&
      cnet__stream_flowing(&so->s))
    do_reads(so);
  else if (sock_open(so) && (revents & (POLLRDHUP | POLLHUP | POLLERR)) &&
           !cnet__stream_flowing(&so->s))
    eof_while_idle(so);
  if (sock_open(so) && (so->sflags & SO_SHUTTING) && !(so->x && so->x->out) &&
      (revents & (POLLOUT | POLLERR | POLLHUP)))
    do_shutdown(so);
  /* What the callbacks changed (EOF read, a pause, the queue drained)
   * changes what to watch: an event left watched with nobody to serve it
   * would wake a level-triggered loop again at once, for ever. */
  if (sock_open(so)) sock_update_io(so);
out:
  cnet__stream_unref(&so->s);
}

static void sock_update_io(cnet_socket *so) {
  uint32_t ev = 0;
  if (so->io.fd >= 0 && !(so->s.flags & CNET__S_DESTROYED)) {
    if (so->sflags & SO_CONNECTING) {
      ev = POLLOUT;
    } else {
      uint32_t f = so->s.flags;
      if (!(f & (CNET__R_NOT_READABLE | CNET__R_ENDED)) && !(so->sflags & SO_SPLICING)) {
        if (f & CNET__R_FLOWING)
          ev |= POLLIN;
        else if (!(so->sflags & SO_RDHUP_SEEN))
          ev |= POLLRDHUP;
      }
      if ((so->x && so->x->out) || (so->sflags & SO_SHUTTING)) ev |= POLLOUT;
    }
  }
  if (ev != so->io.events) {
    so->io.events = ev;
    if (so->io.fd >= 0) cnet__io_update(so->s.h.loop, &so->io);
  }
  if (ev || (so->sflags & (SO_LOOKUP | SO_DELAYED_ERROR)))
    cnet__handle_start(&so->s.h);
  else
    cnet__handle_stop(&so->s.h);
}

/* ---- the splice fast path's view of a socket (src/splice.h) --------------- */

struct cnet__splice **cnet__socket_splice_slot(cnet__stream *s, bool create) {
  if (CNET__VT(s) != &sock_vt) return NULL;
  cnet_socket *so = as_sock(s);
  if (!so->x && !create) return NULL;
  struct sock_x *x = sx(so);
  return x ? &x->splice : NULL;
}

int cnet__socket_fd(const cnet__stream *s) { return ((const cnet_socket *)s)->io.fd; }

void cnet__socket_hold_reads(cnet__stream *s, bool hold) {
  cnet_socket *so = as_sock(s);
  if (hold)
    so->sflags |= SO_SPLICING;
  else
    so->sflags &= ~SO_SPLICING;
  sock_update_io(so);
}

/* What do_reads does after its read() calls, for bytes a job moved. */
void cnet__socket_spliced(cnet__stream *s, size_t n, bool eof, int err) {
  cnet_socket *so = as_sock(s);
  so->bytes_read += n;
  cnet__socket_hold_reads(s, false);
  if (!sock_open(so)) return;
  if (n) sock_refresh_timer(so);
  if (err) {
    cnet_error e;
    cnet_error_syscall(&e, cnet_errno(err), "read", NULL, 0);
    cnet__stream_destroy(s, &e);
  } else if (eof) {
    so->sflags |= SO_RDHUP_SEEN;
    cnet__stream_push_eof(s);
    if (sock_open(so)) sock_update_io(so); /* stop watching for reads */
  }
}

/* ---- timeouts ------------------------------------------------------------- */

static void sock_refresh_timer(cnet_socket *so) {
  if (so->x && so->x->timeout_ms) cnet_timer_refresh(&so->x->timer);
}

static void on_sock_timeout(cnet_timer *t, void *arg) {
  (void)t;
  cnet_socket *so = arg;
  cnet_event ev = {.type = CNET_EV_TIMEOUT};
  cnet_emit(so, &ev);
}

void cnet_socket_set_timeout(cnet_socket *so, unsigned ms, cnet_listener cb,
                             void *arg) {
  if (!so || (so->s.flags & CNET__S_DESTROYED)) return;
  struct sock_x *x = sx(so);
  if (!x) return;
  if (!(x->timer.flags & CNET__F_INIT)) cnet_timer_init(so->s.h.loop, &x->timer);
  cnet_timer_stop(&x->timer);
  x->timeout_ms = ms;
  if (ms == 0) {
    if (cb) cnet_off(so, CNET_EV_TIMEOUT, cb, arg);
    return;
  }
  cnet_timer_unref(&x->timer); /* Node: setUnrefTimeout */
  cnet_timer_start(&x->timer, on_sock_timeout, so, ms, 0);
  if (cb) cnet_once(so, CNET_EV_TIMEOUT, cb, arg);
}

unsigned cnet_socket_timeout(const cnet_socket *so) {
  return so && so->x ? so->x->timeout_ms : 0;
}

/* ---- creating ------------------------------------------------------------- */

static cnet_socket *sock_alloc(cnet_loop *loop, size_t hwm, bool half_open) {
  cnet_socket *so = calloc(1, sizeof *so);
  if (!so) return NULL;
  cnet__stream_init(loop, &so->s, &sock_vt, hwm,
                    half_open ? CNET__S_ALLOW_HALF_OPEN : 0);
  so->io.fd = -1;
  so->io.cb = on_sock_io;
  return so;
}

static void apply_sockopts(cnet_socket *so) {
  if (so->sflags & SO_PIPE) return;
  int one = 1;
  if (so->sflags & SO_NO_DELAY)
    setsockopt(so->io.fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  if (so->sflags & SO_KEEP_ALIVE) {
    setsockopt(so->io.fd, SOL_SOCKET, SO_KEEPALIVE, &one, sizeof one);
    int delay = so->x ? (int)so->x->keep_alive_delay : 0;
    if (delay > 0)
      setsockopt(so->io.fd, IPPROTO_TCP, TCP_KEEPIDLE, &delay, sizeof delay);
  }
}

cnet_socket *cnet_socket_new(cnet_loop *loop, const cnet_socket_options *opts,
                             int *err) {
  cnet_socket_options o = {0};
  if (opts) o = *opts;
  if (!o.has_fd) o.fd = -1;
  if (err) *err = 0;
  if (!loop) {
    if (err) *err = CNET_EINVAL;
    return NULL;
  }
  if (o.fd >= 0) {
    int type = 0;
    socklen_t tl = sizeof type;
    struct stat st;
    if (fstat(o.fd, &st) != 0) {
      if (err) *err = cnet_errno(errno);
      return NULL;
    }
    if (S_ISSOCK(st.st_mode) &&
        (getsockopt(o.fd, SOL_SOCKET, SO_TYPE, &type, &tl) != 0 ||
         type != SOCK_STREAM)) {
      if (err) *err = CNET_ERR_INVALID_FD_TYPE;
      return NULL;
    }
    if (S_ISREG(st.st_mode) || S_ISDIR(st.st_mode)) {
      if (err) *err = CNET_ERR_INVALID_FD_TYPE;
      return NULL;
    }
  }
  cnet_socket *so = sock_alloc(loop, o.high_water_mark, o.allow_half_open);
  if (!so) {
    if (err) *err = CNET_ENOMEM;
    return NULL;
  }
  if (o.fd >= 0) {
    int fl = fcntl(o.fd, F_GETFL);
    if (fl >= 0) fcntl(o.fd, F_SETFL, fl | O_NONBLOCK);
    so->io.fd = o.fd;
    so->sflags |= SO_HAS_HANDLE;
    struct stat st;
    if (fstat(o.fd, &st) == 0 && !S_ISSOCK(st.st_mode)) so->sflags |= SO_NOT_SOCKET;
    else {
      struct sockaddr_storage ss;
      socklen_t len = sizeof ss;
      if (getsockname(o.fd, (struct sockaddr *)&ss, &len) == 0 &&
          ss.ss_family == AF_UNIX)
        so->sflags |= SO_PIPE;
    }
    /* Node: readable/writable default to false when only fd is given...
     * but net.Socket({fd}) is readable and writable unless told not to. */
    if (o.no_readable) so->s.flags |= CNET__R_NOT_READABLE | CNET__R_ENDED | CNET__R_END_EMITTED;
    if (o.no_writable)
      so->s.flags |= CNET__W_NOT_WRITABLE | CNET__W_ENDING | CNET__W_ENDED | CNET__W_FINISHED;
    sock_update_io(so);
  }
  return so;
}

/* ---- connecting --------------------------------------------------------- */

static void connect_multiple(cnet_socket *so);

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
  so->sflags &= ~SO_DELAYED_ERROR;
  if (status != 0) {
    struct sock_x *x = so->x;
    cnet_error e;
    cnet_error_syscall(&e, status, "connect", x->address,
                       (so->sflags & SO_PIPE) ? 0 : x->port);
    if (x->local_address[0] && x->local_port) {
      size_t n = strlen(e.message);
      snprintf(e.message + n, sizeof e.message - n, " - Local (%s:%d)",
               x->local_address, x->local_port);
    }
    if (x->multi) {
      attempt_failed(so, &e);
      return;
    }
    so->sflags &= ~SO_CONNECTING;
    cnet__stream_destroy(&so->s, &e);
    return;
  }
  so->sflags &= ~SO_CONNECTING;
  if (so->x->multi) {
    cnet_timer_stop(&so->x->attempt);
    so->x->multi = false;
  }
  sock_refresh_timer(so);
  apply_sockopts(so);
  sock_update_io(so);
  cnet_event ev = {.type = CNET_EV_CONNECT};
  cnet_emit(so, &ev);
  ev = (cnet_event){.type = CNET_EV_READY};
  cnet_emit(so, &ev);
  sock_update_io(so);
}

static void run_delayed_error(void *arg) {
  cnet_socket *so = arg;
  int err = so->x->delayed_error;
  so->x->delayed_error = 0;
  if (so->sflags & SO_CONNECTING) after_connect(so, err);
  else so->sflags &= ~SO_DELAYED_ERROR;
  sock_update_io(so);
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
  if (so->sflags & SO_PIPE) {
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
  int r;
  do r = connect(fd, (struct sockaddr *)&ss, len);
  while (r != 0 && errno == EINTR);
  if (r == 0 || errno == EINPROGRESS) {
    sock_update_io(so); /* POLLOUT tells when it is done */
    return;
  }
  x->delayed_error = cnet_errno(errno);
  so->sflags |= SO_DELAYED_ERROR;
  x->delayed.fn = run_delayed_error;
  x->delayed.arg = so;
  x->delayed.pooled = false;
  cnet__stream_ref(&so->s);
  cnet__defer(so->s.h.loop, &x->delayed);
  sock_update_io(so);
}

static void connect_ip_tick(cnet__stream *s) {
  cnet_socket *so = as_sock(s);
  if (!(so->sflags & SO_CONNECTING) || (s->flags & CNET__S_DESTROYED)) return;
  internal_connect(so, so->x->host, so->x->port, so->x->family_hint);
}

static void on_attempt_timeout(cnet_timer *t, void *arg) {
  (void)t;
  cnet_socket *so = arg;
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
  if (!(so->sflags & SO_CONNECTING) || (so->s.flags & CNET__S_DESTROYED)) return;
  if (x->cur_addr == x->n_addrs) {
    x->multi = false;
    so->sflags &= ~SO_CONNECTING;
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
    sock_update_io(so);
    cnet__stream_destroy(&so->s, &e);
    return;
  }
  int i = x->cur_addr++;
  char address[46];
  snprintf(address, sizeof address, "%s", x->addrs[i].address);
  if (x->cur_addr < x->n_addrs) {
    if (!(x->attempt.flags & CNET__F_INIT)) cnet_timer_init(so->s.h.loop, &x->attempt);
    cnet_set_timeout(&x->attempt, on_attempt_timeout, so, ATTEMPT_TIMEOUT_MS);
  }
  internal_connect(so, address, x->port, x->addrs[i].family);
}

static void on_lookup(cnet_lookup_req *req, const cnet_error *err,
                      const cnet_lookup_address *addrs, size_t count,
                      void *arg) {
  (void)req;
  cnet_socket *so = arg;
  so->sflags &= ~SO_LOOKUP;
  struct sock_x *x = so->x;
  cnet__stream_ref(&so->s);
  if (err) {
    cnet_event ev = {.type = CNET_EV_LOOKUP, .error = err, .host = x->host};
    cnet_emit(so, &ev);
    if (so->sflags & SO_CONNECTING) {
      cnet_error copy = *err;
      sock_update_io(so);
      cnet__stream_destroy(&so->s, &copy);
    }
    cnet__stream_unref(&so->s);
    return;
  }
  /* Node 20 (autoSelectFamily): one 'lookup' per address, then the
   * addresses tried in turn, families alternating, the first address's
   * family first. */
  size_t by_family[2][8], nf[2] = {0, 0};
  int first_family = count ? addrs[0].family : 4;
  for (size_t i = 0; i < count && (so->sflags & SO_CONNECTING); i++) {
    cnet_event ev = {.type = CNET_EV_LOOKUP, .address = addrs[i].address,
                     .family = addrs[i].family, .host = x->host};
    cnet_emit(so, &ev);
    int slot = addrs[i].family == first_family ? 0 : 1;
    bool dup = false;
    for (size_t k = 0; k < nf[slot]; k++)
      dup |= strcmp(addrs[by_family[slot][k]].address, addrs[i].address) == 0;
    if (!dup && nf[slot] < 8) by_family[slot][nf[slot]++] = i;
  }
  if ((so->sflags & SO_CONNECTING) && count > 0) {
    x->n_addrs = x->cur_addr = x->n_errors = 0;
    for (size_t i = 0; i < 8 && x->n_addrs < 8; i++)
      for (int f = 0; f < 2; f++)
        if (i < nf[f] && x->n_addrs < 8) {
          const cnet_lookup_address *a = &addrs[by_family[f][i]];
          snprintf(x->addrs[x->n_addrs].address, sizeof x->addrs[0].address,
                   "%s", a->address);
          x->addrs[x->n_addrs++].family = a->family;
        }
    sock_refresh_timer(so);
    if (x->n_addrs > 1) {
      x->multi = true;
      connect_multiple(so);
    } else {
      char address[CNET_ADDRESS_MAX];
      snprintf(address, sizeof address, "%s", addrs[0].address);
      internal_connect(so, address, x->port, addrs[0].family);
    }
  }
  sock_update_io(so);
  cnet__stream_unref(&so->s);
}

int cnet_socket_connect(cnet_socket *so, const cnet_connect_options *opts,
                        cnet_listener connect_listener, void *arg) {
  if (!so) return CNET_EINVAL;
  if (connect_listener) cnet_once(so, CNET_EV_CONNECT, connect_listener, arg);
  if (!opts) return CNET_ERR_MISSING_ARGS;
  bool pipe = opts->path != NULL;
  if (pipe && !*opts->path) return CNET_ERR_INVALID_ARG_VALUE;
  if (so->sflags & SO_CONNECTING) return 0; /* Node ignores a second connect */
  int bad = 0;
  if (!pipe && (opts->port < 0 || opts->port > 65535))
    bad = CNET_ERR_SOCKET_BAD_PORT;
  else if (!pipe && opts->local_address && !cnet_is_ip(opts->local_address))
    bad = CNET_ERR_INVALID_IP_ADDRESS;
  struct sock_x *x = sx(so);
  if (!x) return CNET_ENOMEM;
  if (so->s.flags & CNET__S_DESTROYED) {
    if (!(CNET__H_FLAGS(&so->s.h) & CNET__F_CLOSED) && !(so->sflags & SO_CLOSE_TICK))
      return CNET_EBUSY; /* still closing: connect again from 'close' */
    cnet__stream_reset(&so->s);
    so->sflags &= ~(SO_RDHUP_SEEN | SO_RESET | SO_CLOSE_TICK);
    so->had_error = false;
  }
  so->s.flags &= ~CNET__R_WRITE_AFTER_FIN;
  if (opts->no_delay) so->sflags |= SO_NO_DELAY;
  if (opts->keep_alive) {
    so->sflags |= SO_KEEP_ALIVE;
    x->keep_alive_delay = opts->keep_alive_initial_delay / 1000;
  }
  if (!(so->sflags & SO_HAS_HANDLE)) {
    /* A new handle: Node's bytesRead/bytesWritten start again from 0. */
    so->bytes_read = 0;
    so->bytes_dispatched = 0;
  }
  so->sflags |= SO_HAS_HANDLE | SO_CONNECTING;
  so->sflags = pipe ? (so->sflags | SO_PIPE) : (so->sflags & ~SO_PIPE);
  if (bad) {
    /* Node throws from lookupAndConnect, after the socket got its handle
     * and started connecting: it stays "opening" until destroyed. */
    sock_update_io(so);
    return bad;
  }
  sock_refresh_timer(so);
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
    sock_update_io(so);
    return 0;
  }
  const char *host = opts->host && *opts->host ? opts->host : "localhost";
  snprintf(x->host, sizeof x->host, "%s", host);
  x->port = opts->port;
  int type = cnet_is_ip(host);
  if (type) {
    x->family_hint = type;
    so->sflags |= SO_LOOKUP; /* keeps the loop alive until the tick */
    sock_update_io(so);
    so->sflags &= ~SO_LOOKUP;
    cnet__handle_start(&so->s.h);
    cnet__stream_tick(&so->s, connect_ip_tick);
    return 0;
  }
  cnet_lookup_options lo = {.family = opts->family};
  if (opts->family != 4 && opts->family != 6) lo.hints = CNET_DNS_ADDRCONFIG;
  lo.all = opts->family != 4 && opts->family != 6 && !opts->local_address;
  int r = cnet_lookup(so->s.h.loop, &x->lookup, x->host, &lo, on_lookup, so);
  if (r) {
    so->sflags &= ~SO_CONNECTING;
    return r;
  }
  so->sflags |= SO_LOOKUP;
  sock_update_io(so);
  return 0;
}

int cnet_connect(cnet_loop *loop, const cnet_connect_options *opts,
                 cnet_listener connect_listener, void *arg, cnet_socket **out) {
  if (!out) return CNET_EINVAL;
  *out = NULL;
  if (!opts) return CNET_ERR_MISSING_ARGS;
  int err;
  cnet_socket_options so_opts = {.allow_half_open = opts->allow_half_open};
  cnet_socket *so = cnet_socket_new(loop, &so_opts, &err);
  if (!so) return err;
  int r = cnet_socket_connect(so, opts, connect_listener, arg);
  if (r) {
    /* Nothing was started: the socket goes without events. */
    so->s.flags |= CNET__S_DESTROYED | CNET__S_CLOSED | CNET__S_CLOSE_EMITTED;
    cnet__handle_close(&so->s.h);
    so->sflags |= SO_CLOSE_TICK;
    return r;
  }
  *out = so;
  return 0;
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
                        CNET__S_DESTROYED | CNET__S_ERRORED;
  if ((so->s.flags & busy) || so->s.corked || so->s.buf || so->io.fd < 0 ||
      (so->sflags & SO_CONNECTING) || *len == 0 || *len >= so->s.hwm)
    return false;
  struct iovec iov = {(void *)*data, *len};
  ssize_t w = send_iov(so, &iov, 1);
  if (w < 0) return false; /* EAGAIN, or an error the stream's way reports */
  sock_refresh_timer(so);
  so->bytes_dispatched += (uint64_t)w;
  *data += w;
  *len -= (size_t)w;
  return *len == 0;
}

bool cnet_socket_write(cnet_socket *so, const void *data, size_t len,
                       cnet_callback cb, void *arg) {
  if (!so || (!data && len)) return false;
  if (!cb) {
    const char *p = data;
    if (fast_write(so, &p, &len)) return true;
    data = p;
  }
  return cnet__stream_write(&so->s, data, len, cb, arg);
}

bool cnet_socket_write_string(cnet_socket *so, const char *string,
                              const char *encoding, cnet_callback cb, void *arg,
                              int *err) {
  return cnet_stream_write_string(so, string, encoding, cb, arg, err);
}

void cnet_socket_end(cnet_socket *so, const void *data, size_t len,
                     cnet_callback cb, void *arg) {
  if (!so) return;
  cnet__stream_end(&so->s, data, len, cb, arg);
}

void cnet_socket_destroy(cnet_socket *so, const cnet_error *err) {
  if (so) cnet__stream_destroy(&so->s, err);
}

static void destroy_on_finish(const cnet_event *ev, void *arg) {
  (void)ev;
  cnet_socket_destroy(arg, NULL);
}

void cnet_socket_destroy_soon(cnet_socket *so) {
  if (!so) return;
  if (cnet__stream_writable(&so->s)) cnet_socket_end(so, NULL, 0, NULL, NULL);
  if (so->s.flags & CNET__W_FINISHED)
    cnet_socket_destroy(so, NULL);
  else
    cnet_once(so, CNET_EV_FINISH, destroy_on_finish, so);
}

static void reset_on_connect(const cnet_event *ev, void *arg) {
  (void)ev;
  cnet_socket *so = arg;
  so->sflags |= SO_RESET;
  cnet_socket_destroy(so, NULL);
}

void cnet_socket_reset_and_destroy(cnet_socket *so) {
  if (!so) return;
  if (so->sflags & SO_HAS_HANDLE) {
    if (so->sflags & SO_CONNECTING) {
      cnet_once(so, CNET_EV_CONNECT, reset_on_connect, so);
    } else {
      so->sflags |= SO_RESET;
      cnet_socket_destroy(so, NULL);
    }
  } else {
    cnet_error e;
    cnet_error_set(&e, CNET_ERR_SOCKET_CLOSED, "Socket is closed");
    cnet_socket_destroy(so, &e);
  }
}

void cnet_socket_cork(cnet_socket *so) {
  if (so) cnet__stream_cork(&so->s);
}
void cnet_socket_uncork(cnet_socket *so) {
  if (so) cnet__stream_uncork(&so->s);
}
void cnet_socket_pause(cnet_socket *so) {
  if (so) cnet__stream_pause(&so->s);
}
void cnet_socket_resume(cnet_socket *so) {
  if (so) cnet__stream_resume(&so->s);
}
bool cnet_socket_is_paused(const cnet_socket *so) {
  return so && cnet__stream_is_paused(&so->s);
}
int cnet_socket_set_encoding(cnet_socket *so, const char *encoding) {
  return so ? cnet__stream_set_encoding(&so->s, encoding) : CNET_EINVAL;
}

void cnet_socket_set_no_delay(cnet_socket *so, bool enable) {
  if (!so) return;
  bool was = so->sflags & SO_NO_DELAY;
  so->sflags = enable ? so->sflags | SO_NO_DELAY : so->sflags & ~SO_NO_DELAY;
  if (so->io.fd >= 0 && !(so->sflags & (SO_PIPE | SO_CONNECTING)) && was != enable) {
    int v = enable;
    setsockopt(so->io.fd, IPPROTO_TCP, TCP_NODELAY, &v, sizeof v);
  }
}

void cnet_socket_set_keep_alive(cnet_socket *so, bool enable,
                                unsigned initial_delay_ms) {
  if (!so || !sx(so)) return;
  so->sflags = enable ? so->sflags | SO_KEEP_ALIVE : so->sflags & ~SO_KEEP_ALIVE;
  so->x->keep_alive_delay = initial_delay_ms / 1000;
  if (so->io.fd >= 0 && !(so->sflags & (SO_PIPE | SO_CONNECTING))) {
    int v = enable;
    setsockopt(so->io.fd, SOL_SOCKET, SO_KEEPALIVE, &v, sizeof v);
    int delay = (int)so->x->keep_alive_delay;
    if (enable && delay > 0)
      setsockopt(so->io.fd, IPPROTO_TCP, TCP_KEEPIDLE, &delay, sizeof delay);
  }
}

int cnet_socket_local_address(const cnet_socket *so, cnet_address *out) {
  if (!so || !out) return CNET_EINVAL;
  if (so->io.fd < 0) return CNET_EBADF;
  if (so->sflags & SO_PIPE) return CNET_ENOTSUP; /* Node: {} for a pipe */
  return fd_address(so->io.fd, false, out);
}

int cnet_socket_remote_address(const cnet_socket *so, cnet_address *out) {
  if (!so || !out) return CNET_EINVAL;
  if (so->x && so->x->peer_cached) {
    *out = so->x->peer;
    return 0;
  }
  if (so->io.fd < 0 || (so->sflags & SO_CONNECTING)) return CNET_ENOTCONN;
  if (so->sflags & SO_PIPE) return CNET_ENOTSUP;
  int r = fd_address(so->io.fd, true, out);
  struct sock_x *x = r == 0 ? sx((cnet_socket *)so) : NULL;
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

const char *cnet_socket_ready_state(const cnet_socket *so) {
  if (!so) return "closed";
  if (so->sflags & SO_CONNECTING) return "opening";
  bool r = cnet_socket_readable(so), w = cnet_socket_writable(so);
  return r && w ? "open" : r ? "readOnly" : w ? "writeOnly" : "closed";
}

bool cnet_socket_pending(const cnet_socket *so) {
  return !so || !(so->sflags & SO_HAS_HANDLE) || (so->sflags & SO_CONNECTING);
}
bool cnet_socket_connecting(const cnet_socket *so) {
  return so && (so->sflags & SO_CONNECTING);
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

void cnet_socket_ref(cnet_socket *so) {
  if (!so) return;
  if (!(so->sflags & SO_HAS_HANDLE)) {
    cnet_once(so, CNET_EV_CONNECT, ref_on_connect, so);
    return;
  }
  so->sflags &= ~SO_UNREF;
  cnet__handle_ref(&so->s.h);
}

void cnet_socket_unref(cnet_socket *so) {
  if (!so) return;
  if (!(so->sflags & SO_HAS_HANDLE)) {
    cnet_once(so, CNET_EV_CONNECT, unref_on_connect, so);
    return;
  }
  so->sflags |= SO_UNREF;
  cnet__handle_unref(&so->s.h);
}

void cnet_socket_hold(cnet_socket *so) {
  if (so) so->s.flags |= CNET__S_HELD;
}

void cnet_socket_release(cnet_socket *so) {
  if (!so) return;
  so->s.flags &= ~CNET__S_HELD;
  cnet__stream_closed(&so->s);
}

/* ---- net.Server ---------------------------------------------------------- */

static void server_unhandled(void *object, const cnet_error *err) {
  /* An accept error is a moment's shortage (descriptors, memory), not the
   * end of the server: printed (by the emitter) but the server keeps
   * listening. Node 20 does not report these at all; a listen error still
   * closes the server. */
  if (err && err->syscall && strcmp(err->syscall, "accept") == 0) return;
  cnet_server_close(object, NULL, NULL);
}

static void server_handle_closed(cnet__handle *h);
static const struct cnet__emitter_ops server_ops = {
    .type_name = "server",
    .destroy = server_unhandled,
    .closed = server_handle_closed,
};

cnet_server *cnet_create_server(cnet_loop *loop, const cnet_server_options *opts,
                                cnet_listener connection_listener, void *arg) {
  if (!loop) return NULL;
  cnet_server *srv = calloc(1, sizeof *srv);
  if (!srv) return NULL;
  cnet__handle_init(loop, &srv->h, &server_ops);
  if (opts) srv->opts = *opts;
  srv->io.fd = -1;
  srv->reserve_fd = -1;
  cnet_timer_init(loop, &srv->backoff);
  /* The server's own state keeps the loop alive, never its back-off. */
  cnet_timer_unref(&srv->backoff);
  if (connection_listener &&
      cnet_on(srv, CNET_EV_CONNECTION, connection_listener, arg) != 0) {
    cnet_emitter_dispose(&srv->h.em);
    srv->h.prev->next = srv->h.next;
    srv->h.next->prev = srv->h.prev;
    free(srv);
    return NULL;
  }
  return srv;
}

struct server_tick {
  cnet__cb node;
  cnet_server *srv;
  int kind;
  cnet_error err;
  cnet_count_cb count_cb;
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
      t->count_cb(srv, NULL, srv->connections, t->arg);
      break;
  }
  free(t);
  srv->refs--;
  server_maybe_free(srv);
}

static int server_tick(cnet_server *srv, int kind, const cnet_error *err) {
  struct server_tick *t = calloc(1, sizeof *t);
  if (!t) return CNET_ENOMEM;
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
  srv->unix_path = false;
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
  srv->unix_path = true;
  int r = listen_fd_ready(srv, fd, o->backlog);
  if (r) {
    unlink(o->path);
    srv->unix_path = false;
    return listen_error(srv, fd, r, o->path, -1);
  }
  return 0;
}

int cnet_server_listen_options(cnet_server *srv, const cnet_listen_options *o) {
  if (!srv || !o) return CNET_EINVAL;
  if (srv->io.fd >= 0) return CNET_ERR_SERVER_ALREADY_LISTEN;
  if (srv->looking_up) {
    /* A newer listen wins, as Node's _listeningId makes it. */
    cnet_lookup_cancel(&srv->lookup);
    srv->looking_up = false;
  }
  if (o->has_fd) {
    int type = 0;
    socklen_t tl = sizeof type;
    if (getsockopt(o->fd, SOL_SOCKET, SO_TYPE, &type, &tl) != 0 || type != SOCK_STREAM)
      return CNET_ERR_INVALID_FD_TYPE;
    int fl = fcntl(o->fd, F_GETFL);
    if (fl >= 0) fcntl(o->fd, F_SETFL, fl | O_NONBLOCK);
    int r = listen_fd_ready(srv, o->fd, o->backlog);
    return r ? listen_error(srv, -1, r, NULL, -1) : 0;
  }
  if (o->path) return listen_unix(srv, o);
  if (o->port < 0 || o->port > 65535) return CNET_ERR_SOCKET_BAD_PORT;
  return listen_tcp(srv, o, false);
}

int cnet_server_listen(cnet_server *srv, int port, const char *host, int backlog) {
  cnet_listen_options o = {.port = port, .host = host, .backlog = backlog};
  return cnet_server_listen_options(srv, &o);
}

int cnet_server_listen_path(cnet_server *srv, const char *path) {
  if (!path || !*path) return CNET_ERR_INVALID_ARG_VALUE;
  cnet_listen_options o = {.path = path};
  return cnet_server_listen_options(srv, &o);
}

int cnet_server_address(const cnet_server *srv, cnet_address *out) {
  if (!srv || !out) return CNET_EINVAL;
  /* Node returns a Unix server's path (its _pipeName) even after close. */
  if (srv->io.fd < 0 && !srv->path[0]) return CNET_EBADF;
  if (srv->path[0]) {
    memset(out, 0, sizeof *out);
    snprintf(out->address, sizeof out->address, "%s", srv->path);
    return 0;
  }
  return fd_address(srv->io.fd, false, out);
}

bool cnet_server_listening(const cnet_server *srv) {
  return srv && srv->io.fd >= 0;
}

static void emit_drop(cnet_server *srv, int fd) {
  cnet_address peer, local;
  if (fd_address(fd, true, &peer) != 0) memset(&peer, 0, sizeof peer);
  if (fd_address(fd, false, &local) != 0) memset(&local, 0, sizeof local);
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
  cnet_socket *so = sock_alloc(srv->h.loop, srv->opts.high_water_mark,
                               srv->opts.allow_half_open);
  if (!so) {
    close(fd);
    return;
  }
  so->io.fd = fd;
  so->sflags |= SO_HAS_HANDLE | (srv->unix_path ? SO_PIPE : 0);
  if (srv->opts.no_delay) so->sflags |= SO_NO_DELAY;
  if (srv->opts.keep_alive && sx(so)) {
    so->sflags |= SO_KEEP_ALIVE;
    so->x->keep_alive_delay = srv->opts.keep_alive_initial_delay / 1000;
  }
  apply_sockopts(so);
  if (srv->opts.pause_on_connect) so->s.flags |= CNET__R_HAS_FLOWING;
  so->server = srv;
  srv->connections++;
  sock_update_io(so);
  cnet__stream_ref(&so->s);
  cnet_event ev = {.type = CNET_EV_CONNECTION, .object = so};
  cnet_emit(srv, &ev);
  cnet__stream_unref(&so->s);
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

static void server_connection_gone(cnet_server *srv) {
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
  if (!srv) return CNET_EINVAL;
  if (cb) {
    struct close_cb *c = malloc(sizeof *c);
    if (!c) return CNET_ENOMEM;
    c->cb = cb;
    c->arg = arg;
    c->not_running = srv->io.fd < 0;
    cnet_once(srv, CNET_EV_CLOSE, on_close_cb, c);
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
    if (srv->unix_path) unlink(srv->path);
    cnet__handle_close(&srv->h);
  }
  server_emit_close_if_drained(srv);
  return 0;
}

struct count_req {
  cnet_count_cb cb;
  void *arg;
};

int cnet_server_get_connections(cnet_server *srv, cnet_count_cb cb, void *arg) {
  if (!srv || !cb) return CNET_EINVAL;
  struct server_tick *t = calloc(1, sizeof *t);
  if (!t) return CNET_ENOMEM;
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
  if (!(CNET__H_FLAGS(&srv->h) & CNET__F_CLOSED)) {
    srv->h.prev->next = srv->h.next;
    srv->h.next->prev = srv->h.prev;
  }
  if (srv->reserve_fd >= 0) close(srv->reserve_fd);
  cnet_emitter_dispose(&srv->h.em);
  free(srv);
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
