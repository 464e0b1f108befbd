/* dgram.Socket: Node's lib/dgram.js (and the libuv UDP calls under it) on
 * cnet's loop. Owns the UDP socket's state machines (bind: unbound,
 * binding, bound; connect: disconnected, connecting, connected), Node's
 * queue of calls made while the implicit bind runs, the sends, the
 * receive loop and the socket options.
 *
 * Timing follows Node's ticks, because programs see it: bind and connect
 * look their address up first (an IP address answers on the next tick),
 * a send's callback comes two ticks after the call (lookup, then Node's
 * nextTick), one tick on a connected socket. Only the sendmsg itself is
 * earlier than Node's when it can be: from inside the call, so the data
 * need not be copied.
 *
 * I/O: level-triggered epoll; POLLIN while receiving, POLLOUT only while
 * datagrams wait for room in the kernel. Datagrams are read into the
 * loop's buffer and emitted from there. */
#include "internal.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stddef.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#define RECVS_PER_WAKEUP 32 /* libuv's count in uv__udp_recvmsg */
#define MAX_IOV 1024        /* the kernel's UIO_MAXIOV */

enum { UNBOUND, BINDING, BOUND };
enum { DISCONNECTED, CONNECTING, CONNECTED };

/* One send: with a callback to call later, or data that could not go out
 * at once (a copy). Pooled per socket. */
typedef struct send_req send_req;
struct send_req {
  cnet__cb node;         /* the ticks to the callback */
  cnet_dgram *s;
  send_req *next;        /* free list, or the kernel-full queue */
  cnet_dgram_send_cb cb;
  void *arg;
  int status;            /* 0 or the error's code */
  const char *syscall;   /* "send", or "getaddrinfo" for a lookup error */
  size_t bytes;
  int port;
  bool has_address;      /* Node's address argument was given */
  char *host;            /* the address argument, for a lookup (heap) */
  char address[CNET_ERROR_ADDRESS_MAX]; /* for the error's text */
  char *data;            /* the copy, when it is sent later */
  size_t len;
  struct sockaddr_storage to;
  socklen_t to_len;      /* 0: the connected peer */
  cnet_lookup_req lookup;
};

/* Node's state.queue: calls made while the implicit bind runs. */
enum { Q_SEND, Q_CONNECT, Q_CLOSE };
typedef struct qitem qitem;
struct qitem {
  qitem *next;
  int kind;
  send_req *req;         /* Q_SEND */
  int port;              /* Q_CONNECT */
  char *address;
  cnet_listener cb;
  void *arg;
};

/* One address in both forms, remembered per socket so that a server
 * answering the same peers again and again neither parses nor formats an
 * address per datagram: the text a send was given and the sockaddr it
 * parsed to (port 0), or a sender's sockaddr and its text for rinfo. Both
 * conversions are pure functions of their input, so a hit gives exactly
 * what the conversion would. len 0: empty. */
typedef struct addr_memo {
  struct sockaddr_storage sa;
  socklen_t len;
  char text[CNET_ADDRESS_MAX];
} addr_memo;

/* connect's outcome, reported on the next tick. */
typedef struct connect_tick {
  cnet__cb node;
  cnet_dgram *s;
  bool failed;
  cnet_listener cb;
  void *arg;
  cnet_error err;
} connect_tick;

struct cnet_dgram {
  cnet__handle h;
  cnet__io io;             /* fd -1 until bound, as libuv's */
  int family;              /* 4 (udp4) or 6 (udp6) */
  uint8_t bind_state;
  uint8_t connect_state;
  bool closed;             /* Node: state.handle === null */
  bool receiving;
  bool fd_v6;              /* libuv's UV_HANDLE_IPV6: fd is AF_INET6 */
  bool close_emitted;
  bool handle_closed;
  bool has_queue;          /* Node: state.queue !== undefined */
  bool bind_looking_up;
  bool connect_looking_up;
  cnet_dgram_options opts;
  qitem *q_head, *q_tail;
  /* bind in progress */
  cnet_lookup_req bind_lookup;
  int bind_port;
  struct bind_wrap *bind_wrap; /* the callback of the bind in progress */
  /* connect in progress */
  cnet_lookup_req connect_lookup;
  int connect_port;
  char *connect_address;   /* the argument ("" when omitted) */
  cnet_listener connect_cb;
  void *connect_cb_arg;
  /* datagrams waiting for room in the kernel */
  send_req *sq_head, *sq_tail;
  size_t sq_size, sq_count;
  send_req *free_reqs;
  unsigned refs;           /* ticks, lookups and sends that point at us */
  addr_memo send_memo;     /* the last IP address text sent to */
  addr_memo recv_memo;     /* the last sender's address */
  char *batch;             /* recvmmsg's slots, once busy (see recv_batch) */
  struct out_batch *out;   /* sends made by its listeners (see defer_send) */
  bool in_batch;           /* recv_batch is emitting */
  cnet__cb close_node;
  cnet_error last_error;
};

static void update_io(cnet_dgram *s);
static void maybe_free(cnet_dgram *s);
static void do_close(cnet_dgram *s);

/* ---- errors ---------------------------------------------------------------- */

static int fail(cnet_dgram *s, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int fail(cnet_dgram *s, int code, const char *fmt, ...) {
  cnet_error *e = &s->last_error;
  cnet_error_set(e, code, NULL);
  if (fmt) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->message, sizeof e->message, fmt, ap);
    va_end(ap);
  }
  return code;
}

/* Node's ErrnoException(err, syscall): "setTTL EINVAL". */
static int fail_sys(cnet_dgram *s, int code, const char *syscall) {
  cnet_error_syscall(&s->last_error, code, syscall, NULL, 0);
  return code;
}

static int not_running(cnet_dgram *s) {
  return fail(s, CNET_ERR_SOCKET_DGRAM_NOT_RUNNING, NULL);
}

/* validatePort(port, 'Port', false). */
static int bad_port(cnet_dgram *s, int port) {
  return fail(s, CNET_ERR_SOCKET_BAD_PORT,
              "Port should be > 0 and < 65536. Received type number (%d).",
              port);
}

/* Node's ExceptionWithHostPort: " address:port" when there is a port,
 * where an omitted address prints as JavaScript prints undefined
 * (send(msg, port)); with neither (a connected socket's send) nothing
 * follows the code: "send EMSGSIZE". */
static void host_port_error(cnet_error *e, int code, const char *syscall,
                            const char *address, bool has_address, int port) {
  const char *shown = has_address ? address : port > 0 ? "undefined" : NULL;
  cnet_error_syscall(e, code, syscall, shown, port);
  if (!has_address) e->address[0] = '\0';
}

/* ---- addresses ------------------------------------------------------------- */

/* An address of the socket's family, as libuv's uv_ip4_addr / uv_ip6_addr
 * parse them (Node's send/send6, connect/connect6); EINVAL otherwise. */
static int to_sockaddr(int family, const char *ip, int port,
                       struct sockaddr_storage *ss, socklen_t *len) {
  cnet_socket_address sa;
  cnet_socket_address_options o = {.address = ip, .port = port & 0xffff,
                                   .family = family};
  if (!ip || cnet_socket_address_init(&sa, &o) != 0) return CNET_EINVAL;
  const struct sockaddr *p = cnet_socket_address_sockaddr(&sa, len);
  memcpy(ss, p, *len);
  return 0;
}

/* inet_ntop for IPv4 without glibc's sprintf, which costs more than
 * the rest of a datagram's trip through cnet. size >= INET_ADDRSTRLEN. */
static void format_ipv4(const struct in_addr *in, char *text) {
  const unsigned char *b = (const unsigned char *)&in->s_addr;
  char *p = text;
  for (int i = 0; i < 4; i++) {
    unsigned v = b[i];
    if (v >= 100) *p++ = (char)('0' + v / 100);
    if (v >= 10) *p++ = (char)('0' + v / 10 % 10);
    *p++ = (char)('0' + v % 10);
    *p++ = i < 3 ? '.' : '\0';
  }
}

/* Node's AddressToJS: the text, "IPv4"/"IPv6", the port; a link-local
 * IPv6 address gets its interface ("fe80::1%eth0"). */
static void from_sockaddr(const struct sockaddr_storage *ss, char *text,
                          size_t size, const char **family, int *port) {
  if (ss->ss_family == AF_INET6) {
    const struct sockaddr_in6 *a6 = (const struct sockaddr_in6 *)ss;
    if (!inet_ntop(AF_INET6, &a6->sin6_addr, text, (socklen_t)size)) text[0] = '\0';
    if (IN6_IS_ADDR_LINKLOCAL(&a6->sin6_addr) && a6->sin6_scope_id > 0) {
      size_t n = strlen(text);
      char name[IF_NAMESIZE];
      if (if_indextoname(a6->sin6_scope_id, name))
        snprintf(text + n, size - n, "%%%s", name);
      else
        snprintf(text + n, size - n, "%%%u", (unsigned)a6->sin6_scope_id);
    }
    *family = "IPv6";
    *port = ntohs(a6->sin6_port);
  } else {
    const struct sockaddr_in *a4 = (const struct sockaddr_in *)ss;
    if (size >= INET_ADDRSTRLEN)
      format_ipv4(&a4->sin_addr, text);
    else if (!inet_ntop(AF_INET, &a4->sin_addr, text, (socklen_t)size))
      text[0] = '\0';
    *family = "IPv4";
    *port = ntohs(a4->sin_port);
  }
}

/* rinfo's address and family for a sender, through the socket's memo: a
 * server hears from the same few peers again and again. A link-local IPv6
 * sender is not remembered: its text names an interface, which may be
 * renamed. text is the caller's buffer for that case. */
static void sender_address(cnet_dgram *s, const struct sockaddr_storage *peer,
                           char *text, cnet_rinfo *ri) {
  addr_memo *m = &s->recv_memo;
  if (peer->ss_family == AF_INET) {
    const struct sockaddr_in *a = (const struct sockaddr_in *)peer;
    const struct sockaddr_in *ma = (const struct sockaddr_in *)&m->sa;
    ri->port = ntohs(a->sin_port);
    ri->family = "IPv4";
    if (m->len != sizeof *a || ma->sin_addr.s_addr != a->sin_addr.s_addr) {
      format_ipv4(&a->sin_addr, m->text);
      memcpy(&m->sa, a, sizeof *a);
      m->len = sizeof *a;
    }
    ri->address = m->text;
    return;
  }
  const struct sockaddr_in6 *a6 = (const struct sockaddr_in6 *)peer;
  const struct sockaddr_in6 *m6 = (const struct sockaddr_in6 *)&m->sa;
  if (a6->sin6_scope_id != 0) {
    from_sockaddr(peer, text, CNET_ADDRESS_MAX, &ri->family, &ri->port);
    ri->address = text;
    return;
  }
  if (m->len != sizeof *a6 ||
      memcmp(&m6->sin6_addr, &a6->sin6_addr, sizeof a6->sin6_addr) != 0) {
    from_sockaddr(peer, m->text, sizeof m->text, &ri->family, &ri->port);
    memcpy(&m->sa, a6, sizeof *a6);
    m->len = sizeof *a6;
  }
  ri->port = ntohs(a6->sin6_port);
  ri->family = "IPv6";
  ri->address = m->text;
}

/* sin_port and sin6_port are one field for send_target. */
_Static_assert(offsetof(struct sockaddr_in, sin_port) ==
                   offsetof(struct sockaddr_in6, sin6_port),
               "the port of both families at one offset");

/* Where a send to host (not connected) goes: 1 with the address in *to
 * when host is an IP address (Node's send skips the lookup then), 0 when
 * it is a name to look up, or EINVAL for an IP address of the other
 * family. The last text that parsed is remembered with its sockaddr. */
static int send_target(cnet_dgram *s, const char *host, int port,
                       struct sockaddr_storage *to, socklen_t *to_len) {
  addr_memo *m = &s->send_memo;
  if (m->len && strcmp(host, m->text) == 0) {
    /* Whole sockaddr_in6 (the larger): a copy of fixed size is inlined. */
    memcpy(to, &m->sa, sizeof(struct sockaddr_in6));
    *to_len = m->len;
  } else {
    if (!cnet_is_ip(host)) return 0;
    int e = to_sockaddr(s->family, host, 0, to, to_len);
    if (e) return e;
    size_t n = strlen(host);
    if (n < sizeof m->text) {
      memcpy(m->text, host, n + 1);
      memcpy(&m->sa, to, *to_len);
      m->len = *to_len;
    }
  }
  ((struct sockaddr_in *)to)->sin_port = htons((uint16_t)(port & 0xffff));
  return 1;
}

static int fill_address(int fd, bool peer, cnet_address *out) {
  struct sockaddr_storage ss;
  socklen_t len = sizeof ss;
  memset(&ss, 0, sizeof ss);
  int r = peer ? getpeername(fd, (struct sockaddr *)&ss, &len)
               : getsockname(fd, (struct sockaddr *)&ss, &len);
  if (r != 0) return cnet_errno(errno);
  memset(out, 0, sizeof *out);
  from_sockaddr(&ss, out->address, sizeof out->address, &out->family, &out->port);
  return 0;
}

static const char *default_host(const cnet_dgram *s) {
  return s->family == 6 ? "::1" : "127.0.0.1"; /* lookup4 / lookup6 */
}

/* ---- sending --------------------------------------------------------------- */

static send_req *req_get(cnet_dgram *s) {
  send_req *r = s->free_reqs;
  if (r)
    s->free_reqs = r->next;
  else if (!(r = malloc(sizeof *r)))
    return NULL;
  memset(r, 0, sizeof *r);
  r->s = s;
  r->syscall = "send";
  r->to_len = 0;
  s->refs++;
  return r;
}

static void req_release(send_req *r) {
  cnet_dgram *s = r->s;
  free(r->data);
  free(r->host);
  r->data = r->host = NULL;
  r->next = s->free_reqs;
  s->free_reqs = r;
  s->refs--;
  maybe_free(s);
}

static void req_set_target(send_req *r, int port, const char *address) {
  r->port = port;
  r->has_address = address != NULL;
  snprintf(r->address, sizeof r->address, "%s", address ? address : "");
}

static int req_copy(send_req *r, const struct iovec *iov, size_t n, size_t total) {
  r->data = malloc(total ? total : 1);
  if (!r->data) return CNET_ENOMEM;
  size_t off = 0;
  for (size_t i = 0; i < n; i++) {
    if (iov[i].iov_len) memcpy(r->data + off, iov[i].iov_base, iov[i].iov_len);
    off += iov[i].iov_len;
  }
  r->len = total;
  return 0;
}

static ssize_t send_iov(cnet_dgram *s, const struct iovec *iov, size_t n,
                        const struct sockaddr_storage *to, socklen_t to_len) {
  struct msghdr m = {.msg_name = to_len ? (void *)to : NULL,
                     .msg_namelen = to_len,
                     .msg_iov = (struct iovec *)iov,
                     .msg_iovlen = n};
  ssize_t w;
  do w = sendmsg(s->io.fd, &m, MSG_DONTWAIT | MSG_NOSIGNAL);
  while (w < 0 && errno == EINTR);
  return w < 0 ? cnet_errno(errno) : w;
}

/* Node's --test-udp-no-try-send, for cnet's own tests: every datagram
 * takes the queued path, as if the kernel had no room. */
int cnet__udp_test_no_try_send;

/* libuv's try_send gives up on these and queues the datagram. */
static bool would_block(ssize_t r) {
  return r == CNET_EAGAIN || r == CNET_ENOBUFS;
}

static void call_send_cb(send_req *r) {
  cnet_error e;
  if (r->status) {
    if (strcmp(r->syscall, "getaddrinfo") == 0) {
      cnet_error_syscall(&e, r->status, "getaddrinfo", r->host, 0);
      snprintf(e.message, sizeof e.message, "getaddrinfo %s %s",
               cnet_err_name(r->status), r->host ? r->host : "");
    } else {
      host_port_error(&e, r->status, r->syscall, r->address, r->has_address,
                      r->port);
    }
  }
  r->cb(r->s, r->status ? &e : NULL, r->status ? 0 : r->bytes, r->arg);
}

/* Node's process.nextTick(callback, err, bytes). */
static void tick_callback(void *arg) {
  send_req *r = arg;
  call_send_cb(r);
  req_release(r);
}

/* Node's doSend, run from the lookup's tick: a send whose socket was closed
 * meanwhile is dropped (its callback never runs). */
static void tick_after_lookup(void *arg) {
  send_req *r = arg;
  if (r->s->closed) {
    req_release(r);
    return;
  }
  r->node.fn = tick_callback;
  cnet__tick(r->s->h.loop, &r->node);
}

static void queue_tick(send_req *r, void (*fn)(void *)) {
  r->node.fn = fn;
  r->node.arg = r;
  r->node.pooled = false;
  cnet__tick(r->s->h.loop, &r->node);
}

/* The kernel has no room: the datagram waits (copied) for POLLOUT, and the
 * callback runs once it is sent, as libuv's uv_udp_send. */
static void sq_push(cnet_dgram *s, send_req *r) {
  r->next = NULL;
  if (s->sq_tail)
    s->sq_tail->next = r;
  else
    s->sq_head = r;
  s->sq_tail = r;
  s->sq_size += r->len;
  s->sq_count++;
  update_io(s);
}

static send_req *sq_pop(cnet_dgram *s) {
  send_req *r = s->sq_head;
  s->sq_head = r->next;
  if (!s->sq_head) s->sq_tail = NULL;
  s->sq_size -= r->len;
  s->sq_count--;
  return r;
}

static void flush_sq(cnet_dgram *s) {
  while (s->sq_head && !s->closed) {
    send_req *r = s->sq_head;
    struct iovec iov = {r->data, r->len};
    ssize_t w = send_iov(s, &iov, 1, &r->to, r->to_len);
    if (would_block(w)) break;
    sq_pop(s);
    r->status = w < 0 ? (int)w : 0;
    r->bytes = w < 0 ? 0 : (size_t)w;
    if (r->cb) call_send_cb(r);
    req_release(r);
  }
  if (!s->closed) update_io(s);
}

/* The datagram in r (a copy) goes out now, or joins the queue; the
 * callback follows on the next tick. Node's doSend after its lookup. */
static void send_copy(cnet_dgram *s, send_req *r) {
  ssize_t w;
  if (s->sq_head || cnet__udp_test_no_try_send) {
    sq_push(s, r);
    return;
  }
  struct iovec iov = {r->data, r->len};
  w = send_iov(s, &iov, 1, &r->to, r->to_len);
  if (would_block(w)) {
    sq_push(s, r);
    return;
  }
  r->status = w < 0 ? (int)w : 0;
  r->bytes = w < 0 ? 0 : (size_t)w;
  if (r->cb)
    queue_tick(r, tick_callback);
  else
    req_release(r);
}

static void emit_error_tick(void *arg) {
  send_req *r = arg;
  cnet_error e;
  cnet_error_syscall(&e, r->status, "getaddrinfo", r->host, 0);
  snprintf(e.message, sizeof e.message, "getaddrinfo %s %s",
           cnet_err_name(r->status), r->host ? r->host : "");
  cnet_dgram *s = r->s;
  s->refs++; /* r's reference goes; the emit must not free s under us */
  req_release(r);
  cnet_event ev = {.type = CNET_EV_ERROR, .error = &e};
  cnet_emit(s, &ev);
  s->refs--;
  maybe_free(s);
}

static void on_send_lookup(cnet_lookup_req *lreq, const cnet_error *err,
                           const cnet_lookup_address *addrs, size_t count,
                           void *arg) {
  (void)lreq;
  send_req *r = arg;
  cnet_dgram *s = r->s;
  if (err || count == 0) {
    /* Node reports a failed lookup even on a closed socket. */
    r->status = err ? err->code : CNET_ENOTFOUND;
    r->syscall = "getaddrinfo";
    queue_tick(r, r->cb ? tick_callback : emit_error_tick);
    return;
  }
  if (s->closed) {
    req_release(r);
    return;
  }
  int e = to_sockaddr(s->family, addrs[0].address, r->port, &r->to, &r->to_len);
  if (e) {
    r->status = e;
    if (r->cb)
      queue_tick(r, tick_callback);
    else
      req_release(r);
    return;
  }
  send_copy(s, r);
}

/* Node's send() once bound, for a datagram already copied into r: a
 * connected socket sends at once, another looks the address up first. */
static int send_later(cnet_dgram *s, send_req *r) {
  if (s->connect_state == CONNECTED) {
    r->to_len = 0;
    send_copy(s, r);
    return 0;
  }
  const char *host = r->host && *r->host ? r->host : default_host(s);
  cnet_lookup_options lo = {.family = s->family};
  int e = cnet_lookup(s->h.loop, &r->lookup, host, &lo, on_send_lookup, r);
  if (e) {
    req_release(r);
    return e;
  }
  return 0;
}

/* ---- sends from a batch's listeners: one sendmmsg ---------------------------- */

#define BATCH_SLOT (64 * 1024)
#define BATCH_BYTES ((size_t)RECVS_PER_WAKEUP * BATCH_SLOT)
#define OUT_ARENA 8192 /* copies of small datagrams from the caller's memory */

/* While recv_batch emits, a send without a callback that would go to the
 * kernel at once is held and all go out in one sendmmsg when the batch
 * ends: an echo or a reply costs a system call per batch, not per
 * datagram. The caller's data is referred to when it lies in the batch's
 * slots (valid until the batch ends), else copied. Order is kept: any
 * other send on the socket, a close or a disconnect sends the held ones
 * first. Nothing else can tell: Node itself sends only on a later tick,
 * and an error of a send without a callback is dropped, as Node drops it. */
typedef struct out_batch {
  unsigned n;
  size_t used; /* of arena */
  struct mmsghdr mm[RECVS_PER_WAKEUP];
  struct iovec iov[RECVS_PER_WAKEUP];
  struct sockaddr_storage to[RECVS_PER_WAKEUP];
  char arena[OUT_ARENA];
} out_batch;

static void flush_out(cnet_dgram *s) {
  out_batch *b = s->out;
  if (!b || b->n == 0) return;
  unsigned i = 0;
  while (i < b->n) {
    int w;
    do w = sendmmsg(s->io.fd, b->mm + i, b->n - i, MSG_DONTWAIT | MSG_NOSIGNAL);
    while (w < 0 && errno == EINTR);
    if (w > 0) {
      i += (unsigned)w;
    } else if (would_block(cnet_errno(errno))) {
      break;
    } else {
      i++; /* this datagram's error: no callback asked for it */
    }
  }
  /* The kernel is full: the rest wait, copied, as a send would. */
  for (; i < b->n; i++) {
    send_req *r = req_get(s);
    if (!r) break; /* out of memory: lost, as UDP may lose them */
    if (req_copy(r, &b->iov[i], 1, b->iov[i].iov_len) != 0) {
      req_release(r);
      break;
    }
    r->to_len = b->mm[i].msg_hdr.msg_namelen;
    if (r->to_len) memcpy(&r->to, &b->to[i], r->to_len);
    sq_push(s, r);
  }
  b->n = 0;
  b->used = 0;
}

/* Holds one datagram for flush_out; false when it must go now. */
static bool defer_send(cnet_dgram *s, const struct iovec *iov,
                       const struct sockaddr_storage *to, socklen_t to_len) {
  out_batch *b = s->out;
  if (!b) {
    if (!(b = s->out = malloc(sizeof *b))) return false;
    b->n = 0;
    b->used = 0;
  }
  const char *p = iov->iov_base;
  size_t len = iov->iov_len;
  uintptr_t at = (uintptr_t)p, slots = (uintptr_t)s->batch;
  bool in_slots = s->batch && at >= slots && at - slots <= BATCH_BYTES &&
                  len <= BATCH_BYTES - (at - slots);
  if (!in_slots && len > OUT_ARENA) return false;
  if (b->n == RECVS_PER_WAKEUP || (!in_slots && len > OUT_ARENA - b->used))
    flush_out(s);
  if (s->sq_head) return false; /* the flush met a full kernel */
  char *data = (char *)p;
  if (!in_slots) {
    data = b->arena + b->used;
    if (len) memcpy(data, p, len);
    b->used += len;
  }
  unsigned i = b->n++;
  b->iov[i] = (struct iovec){data, len};
  if (to_len) memcpy(&b->to[i], to, to_len);
  b->mm[i].msg_hdr = (struct msghdr){.msg_name = to_len ? &b->to[i] : NULL,
                                     .msg_namelen = to_len,
                                     .msg_iov = &b->iov[i],
                                     .msg_iovlen = 1};
  return true;
}

static int start_bind(cnet_dgram *s, int port, const char *address);
static void enqueue(cnet_dgram *s, qitem *q);

/* Node's Socket.prototype.send after its argument checks. */
static int send_checked(cnet_dgram *s, const struct iovec *iov, size_t n,
                        int port, const char *address, cnet_dgram_send_cb cb,
                        void *arg) {
  if (s->closed) return not_running(s);
  size_t total = 0;
  for (size_t i = 0; i < n; i++) total += iov[i].iov_len;
  if (s->bind_state == UNBOUND) {
    int e = start_bind(s, 0, NULL);
    if (e) return fail(s, e, NULL);
  }
  bool connected = s->connect_state == CONNECTED;
  const char *host = address && *address ? address : default_host(s);
  struct sockaddr_storage to;
  socklen_t to_len = 0;
  int target = s->bind_state == BOUND && s->connect_state == DISCONNECTED
                   ? send_target(s, host, port, &to, &to_len)
                   : 0;
  /* The common case: bound, an IP address or a peer, nothing waiting.
   * Straight to the kernel from the caller's buffers. */
  if (s->bind_state == BOUND && (connected || target != 0)) {
    int bad = target < 0 ? target : 0;
    if (s->in_batch && !cb && !bad && n == 1 && !s->sq_head &&
        !cnet__udp_test_no_try_send && defer_send(s, iov, &to, to_len))
      return 0;
    flush_out(s); /* a datagram never overtakes one held */
    /* A datagram never overtakes one waiting for room in the kernel. */
    ssize_t w = bad                                        ? bad
                : s->sq_head || cnet__udp_test_no_try_send ? CNET_EAGAIN
                                                           : send_iov(s, iov, n, &to, to_len);
    if (would_block(w)) {
      send_req *r = req_get(s);
      if (!r || req_copy(r, iov, n, total) != 0) {
        if (r) req_release(r);
        return fail(s, CNET_ENOMEM, NULL);
      }
      r->cb = cb;
      r->arg = arg;
      req_set_target(r, connected ? 0 : port, address);
      if (to_len) memcpy(&r->to, &to, to_len);
      r->to_len = to_len;
      sq_push(s, r);
      return 0;
    }
    if (!cb) return 0; /* Node drops a send error nobody asked for */
    send_req *r = req_get(s);
    if (!r) return fail(s, CNET_ENOMEM, NULL);
    r->cb = cb;
    r->arg = arg;
    req_set_target(r, connected ? 0 : port, connected ? NULL : address);
    r->status = w < 0 ? (int)w : 0;
    r->bytes = w < 0 ? 0 : (size_t)w;
    queue_tick(r, connected ? tick_callback : tick_after_lookup);
    return 0;
  }
  /* Later: after the bind, after a lookup, or after connect's lookup. */
  send_req *r = req_get(s);
  if (!r || req_copy(r, iov, n, total) != 0 ||
      (address && !(r->host = strdup(address)))) {
    if (r) req_release(r);
    return fail(s, CNET_ENOMEM, NULL);
  }
  r->cb = cb;
  r->arg = arg;
  req_set_target(r, connected ? 0 : port, address);
  if (s->bind_state != BOUND) {
    qitem *q = calloc(1, sizeof *q);
    if (!q) {
      req_release(r);
      return fail(s, CNET_ENOMEM, NULL);
    }
    q->kind = Q_SEND;
    q->req = r;
    enqueue(s, q);
    return 0;
  }
  int e = send_later(s, r);
  return e ? fail(s, e, NULL) : 0;
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
                         cnet_dgram_send_cb cb, void *arg) {
  if (!s) return CNET_EINVAL;
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
  e = send_checked(s, iov, count, port, address, cb, arg);
  if (iov != stack) free(iov);
  return e;
}

int cnet_dgram_send(cnet_dgram *s, const void *msg, size_t len, int port,
                    const char *address, cnet_dgram_send_cb cb, void *arg) {
  if (!s) return CNET_EINVAL;
  if (!msg && len)
    return fail(s, CNET_ERR_INVALID_ARG_TYPE,
                "The \"buffer\" argument must be of type string or an "
                "instance of Buffer, TypedArray, or DataView. Received null");
  int e = send_args(s, port, address);
  if (e) return e;
  struct iovec iov = {(void *)msg, len};
  return send_checked(s, &iov, 1, port, address, cb, arg);
}

int cnet_dgram_send_range(cnet_dgram *s, const void *buf, size_t buf_len,
                          size_t offset, size_t length, int port,
                          const char *address, cnet_dgram_send_cb cb,
                          void *arg) {
  if (!s) return CNET_EINVAL;
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

/* ---- receiving ------------------------------------------------------------- */

/* recvmsg/recvmmsg failed with err: an ICMP error for a connected socket
 * is Node's 'error', and the socket goes on. */
static void recv_failed(cnet_dgram *s, int err) {
  if (err == EAGAIN || err == EWOULDBLOCK) return;
  cnet_error e;
  cnet_error_syscall(&e, cnet_errno(err), "recvmsg", NULL, 0);
  cnet_event ev = {.type = CNET_EV_ERROR, .error = &e};
  cnet_emit(s, &ev);
}

static void emit_message(cnet_dgram *s, const char *data, size_t len,
                         const struct sockaddr_storage *peer) {
  char address[CNET_ADDRESS_MAX];
  cnet_rinfo rinfo = {.size = len};
  sender_address(s, peer, address, &rinfo);
  cnet_event ev = {.type = CNET_EV_MESSAGE, .data = data, .len = len,
                   .rinfo = &rinfo};
  cnet_emit(s, &ev);
}

/* A busy socket reads its datagrams RECVS_PER_WAKEUP at a time with one
 * recvmmsg, each into a slot of its own that holds the largest datagram,
 * so none is ever truncated. The slots are mapped, not touched: small
 * datagrams make one page of a slot resident. Sockets that never get a
 * burst (most clients) never map them. */
#define BATCH_AFTER 4 /* datagrams in one wake-up that make a socket busy */

static void recv_batch(cnet_dgram *s) {
  struct mmsghdr mm[RECVS_PER_WAKEUP];
  struct iovec iov[RECVS_PER_WAKEUP];
  struct sockaddr_storage peers[RECVS_PER_WAKEUP];
  for (int i = 0; i < RECVS_PER_WAKEUP; i++) {
    iov[i] = (struct iovec){s->batch + (size_t)i * BATCH_SLOT, BATCH_SLOT};
    mm[i].msg_hdr = (struct msghdr){.msg_name = &peers[i],
                                    .msg_namelen = sizeof peers[i],
                                    .msg_iov = &iov[i], .msg_iovlen = 1};
  }
  int n;
  do n = recvmmsg(s->io.fd, mm, RECVS_PER_WAKEUP, MSG_DONTWAIT, NULL);
  while (n < 0 && errno == EINTR);
  if (n < 0) {
    recv_failed(s, errno);
    return;
  }
  s->in_batch = true;
  for (int i = 0; i < n; i++) {
    /* Closed by a listener: the rest of the batch goes with the socket. */
    if (!s->receiving || s->io.fd < 0) break;
    if (mm[i].msg_hdr.msg_namelen == 0) continue; /* no sender, as below */
    emit_message(s, iov[i].iov_base, mm[i].msg_len, &peers[i]);
  }
  s->in_batch = false;
  if (s->io.fd >= 0) flush_out(s);
}

static void do_recv(cnet_dgram *s) {
  if (s->batch) {
    recv_batch(s);
    return;
  }
  cnet_loop *loop = s->h.loop;
  char *buf = cnet__loop_rbuf(loop);
  if (!buf) return;
  int i;
  for (i = 0; i < RECVS_PER_WAKEUP; i++) {
    if (!s->receiving || s->io.fd < 0) return;
    struct sockaddr_storage peer;
    struct iovec iov = {buf, loop->rbuf_size};
    struct msghdr m = {.msg_name = &peer, .msg_namelen = sizeof peer,
                       .msg_iov = &iov, .msg_iovlen = 1};
    ssize_t n;
    do n = recvmsg(s->io.fd, &m, MSG_DONTWAIT);
    while (n < 0 && errno == EINTR);
    if (n < 0) {
      recv_failed(s, errno);
      break;
    }
    if (m.msg_namelen == 0) continue; /* no sender: libuv does not report it */
    emit_message(s, buf, (size_t)n, &peer);
  }
  if (i >= BATCH_AFTER && s->receiving) {
    void *p = mmap(NULL, BATCH_BYTES, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p != MAP_FAILED) s->batch = p; /* else: one datagram at a time */
  }
}

static void on_io(cnet_loop *loop, cnet__io *io, uint32_t revents) {
  (void)loop;
  cnet_dgram *s = CNET__CONTAINER_OF(io, cnet_dgram, io);
  s->refs++;
  if (s->sq_head && (revents & (POLLOUT | POLLERR))) flush_sq(s);
  if (s->receiving && (revents & (POLLIN | POLLERR | POLLHUP))) do_recv(s);
  s->refs--;
  maybe_free(s);
}

static void update_io(cnet_dgram *s) {
  uint32_t ev = 0;
  if (!s->closed && s->io.fd >= 0) {
    if (s->receiving) ev |= POLLIN;
    if (s->sq_head) ev |= POLLOUT;
  }
  if (ev != s->io.events) {
    s->io.events = ev;
    cnet__io_update(s->h.loop, &s->io);
  }
  if (s->closed) return;
  if (ev)
    cnet__handle_start(&s->h);
  else
    cnet__handle_stop(&s->h);
}

/* ---- the file descriptor ----------------------------------------------------- */

static int new_fd(cnet_dgram *s, int af) {
  int fd = socket(af, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return cnet_errno(errno);
  s->io.fd = fd;
  return 0;
}

/* libuv's uv__udp_bind. An fd that exists already (a failed bind, an
 * early addMembership) is bound again, which the kernel refuses. */
static int do_bind(cnet_dgram *s, const char *ip, int port) {
  struct sockaddr_storage ss;
  socklen_t len;
  if (to_sockaddr(s->family, ip, port, &ss, &len) != 0) return CNET_EINVAL;
  int af = ss.ss_family;
  if (s->opts.ipv6_only && af != AF_INET6) return CNET_EINVAL;
  if (s->io.fd < 0) {
    int e = new_fd(s, af);
    if (e) return e;
  }
  int fd = s->io.fd, one = 1;
  if (s->opts.reuse_addr &&
      setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0)
    return cnet_errno(errno);
  if (s->opts.reuse_port &&
      setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof one) != 0)
    return cnet_errno(errno);
  if (s->opts.ipv6_only &&
      setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one) != 0)
    return cnet_errno(errno);
  if (bind(fd, (struct sockaddr *)&ss, len) != 0)
    return errno == EAFNOSUPPORT ? CNET_EINVAL : cnet_errno(errno);
  if (af == AF_INET6) s->fd_v6 = true;
  return 0;
}

/* libuv's uv__udp_maybe_deferred_bind: membership calls on a socket with
 * no fd yet bind one to the wildcard address, port 0. */
static int deferred_bind(cnet_dgram *s, int af) {
  if (s->io.fd >= 0) return 0;
  int e = new_fd(s, af);
  if (e) return e;
  int one = 1;
  if (setsockopt(s->io.fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0)
    return cnet_errno(errno);
  struct sockaddr_storage ss;
  memset(&ss, 0, sizeof ss);
  socklen_t len;
  if (af == AF_INET6) {
    struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)&ss;
    a6->sin6_family = AF_INET6;
    a6->sin6_addr = in6addr_any;
    len = sizeof *a6;
  } else {
    struct sockaddr_in *a4 = (struct sockaddr_in *)&ss;
    a4->sin_family = AF_INET;
    a4->sin_addr.s_addr = htonl(INADDR_ANY);
    len = sizeof *a4;
  }
  if (bind(s->io.fd, (struct sockaddr *)&ss, len) != 0) return cnet_errno(errno);
  if (af == AF_INET6) s->fd_v6 = true;
  return 0;
}

/* ---- buffer sizes ------------------------------------------------------------ */

/* Node's bufferSize(): size 0 reads, anything else sets. */
static int buffer_size(cnet_dgram *s, int64_t size, bool recv) {
  if (size < 0 || size > (int64_t)UINT32_MAX)
    return fail(s, CNET_ERR_SOCKET_BAD_BUFFER_SIZE, NULL);
  if (s->closed) return not_running(s);
  int value = (int)(uint32_t)size;
  int opt = recv ? SO_RCVBUF : SO_SNDBUF;
  int e = 0;
  if (s->io.fd < 0 || value < 0) {
    e = s->io.fd < 0 ? CNET_EBADF : CNET_EINVAL;
  } else if (value == 0) {
    socklen_t len = sizeof value;
    if (getsockopt(s->io.fd, SOL_SOCKET, opt, &value, &len) != 0) e = cnet_errno(errno);
  } else if (setsockopt(s->io.fd, SOL_SOCKET, opt, &value, sizeof value) != 0) {
    e = cnet_errno(errno);
  }
  if (e) {
    const char *fn = recv ? "uv_recv_buffer_size" : "uv_send_buffer_size";
    fail(s, CNET_ERR_SOCKET_BUFFER_SIZE,
         "Could not get or set buffer size: %s returned %s (%s)", fn,
         cnet_err_name(e), cnet_strerror(e));
    s->last_error.syscall = fn;
    return CNET_ERR_SOCKET_BUFFER_SIZE;
  }
  return value;
}

int cnet_dgram_get_recv_buffer_size(cnet_dgram *s) {
  return s ? buffer_size(s, 0, true) : CNET_EINVAL;
}
int cnet_dgram_get_send_buffer_size(cnet_dgram *s) {
  return s ? buffer_size(s, 0, false) : CNET_EINVAL;
}
int cnet_dgram_set_recv_buffer_size(cnet_dgram *s, int64_t size) {
  if (!s) return CNET_EINVAL;
  int r = buffer_size(s, size, true);
  return r < 0 ? r : 0;
}
int cnet_dgram_set_send_buffer_size(cnet_dgram *s, int64_t size) {
  if (!s) return CNET_EINVAL;
  int r = buffer_size(s, size, false);
  return r < 0 ? r : 0;
}

/* ---- bind ---------------------------------------------------------------- */

static void queue_on_listening(const cnet_event *ev, void *arg);

/* Node's onListenError: a failed bind forgets the queued calls. */
static void drop_queue(cnet_dgram *s) {
  if (!s->has_queue) return;
  s->has_queue = false;
  cnet_off(s, CNET_EV_LISTENING, queue_on_listening, s);
  qitem *q = s->q_head;
  s->q_head = s->q_tail = NULL;
  while (q) {
    qitem *next = q->next;
    if (q->req) req_release(q->req);
    free(q->address);
    free(q);
    q = next;
  }
}

static void bind_failed(cnet_dgram *s, const cnet_error *e) {
  s->bind_state = UNBOUND;
  drop_queue(s);
  cnet_event ev = {.type = CNET_EV_ERROR, .error = e};
  cnet_emit(s, &ev);
}

/* Node's startListening. */
static void start_listening(cnet_dgram *s) {
  s->receiving = true;
  s->bind_state = BOUND;
  update_io(s);
  uint32_t sizes[2] = {s->opts.recv_buffer_size, s->opts.send_buffer_size};
  for (int i = 0; i < 2; i++) {
    if (!sizes[i] || buffer_size(s, sizes[i], i == 0) >= 0) continue;
    /* Node throws from its lookup callback here; cnet reports it. */
    cnet_error e = s->last_error;
    cnet_event ev = {.type = CNET_EV_ERROR, .error = &e};
    cnet_emit(s, &ev);
    if (s->closed) return;
  }
  cnet_event ev = {.type = CNET_EV_LISTENING};
  cnet_emit(s, &ev);
}

static void on_bind_lookup(cnet_lookup_req *req, const cnet_error *err,
                           const cnet_lookup_address *addrs, size_t count,
                           void *arg) {
  (void)req;
  cnet_dgram *s = arg;
  s->bind_looking_up = false;
  s->refs++;
  if (err || count == 0) {
    cnet_error e;
    if (err)
      e = *err;
    else
      cnet_error_syscall(&e, CNET_ENOTFOUND, "getaddrinfo", NULL, 0);
    bind_failed(s, &e);
  } else {
    char ip[CNET_ADDRESS_MAX];
    snprintf(ip, sizeof ip, "%s", addrs[0].address);
    int r = do_bind(s, ip, s->bind_port);
    if (r) {
      cnet_error e;
      cnet_error_syscall(&e, r, "bind", ip, s->bind_port);
      bind_failed(s, &e);
    } else {
      start_listening(s);
    }
  }
  s->refs -= 2; /* this call's, and the lookup's */
  maybe_free(s);
}

/* Node's bind() from the address on: the lookup, then bind and listen. */
static int start_bind(cnet_dgram *s, int port, const char *address) {
  if (!address || !*address) address = s->family == 6 ? "::" : "0.0.0.0";
  s->bind_state = BINDING;
  s->bind_port = port;
  cnet_lookup_options lo = {.family = s->family};
  int e = cnet_lookup(s->h.loop, &s->bind_lookup, address, &lo, on_bind_lookup, s);
  if (e) {
    s->bind_state = UNBOUND;
    return e;
  }
  s->bind_looking_up = true;
  s->refs++;
  return 0;
}

/* Node's bind(cb) wrappers: the callback is a 'listening' listener that
 * leaves with an 'error' listener placed before it, whichever comes first.
 * Each bind has its own pair (Node's closures), so that a bind made again
 * from the 'error' of a failed one keeps its own. */
typedef struct bind_wrap {
  cnet_dgram *s;
  cnet_listener cb;
  void *arg;
} bind_wrap;

static void bind_cb_on_error(const cnet_event *ev, void *arg);
static void bind_wrap_done(bind_wrap *w);
static void bind_cb_on_listening(const cnet_event *ev, void *arg) {
  bind_wrap *w = arg;
  cnet_listener cb = w->cb;
  void *cb_arg = w->arg;
  bind_wrap_done(w);
  cb(ev, cb_arg);
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
                            cnet_listener cb, void *arg) {
  static const cnet_bind_options none;
  if (!s) return CNET_EINVAL;
  if (!o) o = &none;
  if (s->closed) return not_running(s);
  if (s->bind_state != UNBOUND) return fail(s, CNET_ERR_SOCKET_ALREADY_BOUND, NULL);
  s->bind_state = BINDING;
  if (cb) {
    bind_wrap *w = malloc(sizeof *w);
    if (!w) return bind_abort(s, fail(s, CNET_ENOMEM, NULL));
    *w = (bind_wrap){s, cb, arg};
    s->bind_wrap = w;
    cnet_on(s, CNET_EV_ERROR, bind_cb_on_error, w);
    cnet_on(s, CNET_EV_LISTENING, bind_cb_on_listening, w);
  }
  if (o->fd > 0) {
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
    start_listening(s);
    return 0;
  }
  int e = start_bind(s, o->port, o->address);
  return e ? bind_abort(s, fail(s, e, NULL)) : 0;
}

int cnet_dgram_bind(cnet_dgram *s, int port, const char *address,
                    cnet_listener cb, void *arg) {
  cnet_bind_options o = {.port = port, .address = address};
  return cnet_dgram_bind_options(s, &o, cb, arg);
}

/* ---- the queue of calls made while binding -------------------------------- */

static void enqueue(cnet_dgram *s, qitem *q) {
  if (!s->has_queue) {
    s->has_queue = true;
    cnet_once(s, CNET_EV_LISTENING, queue_on_listening, s);
  }
  q->next = NULL;
  if (s->q_tail)
    s->q_tail->next = q;
  else
    s->q_head = q;
  s->q_tail = q;
}

static int start_connect(cnet_dgram *s, int port, const char *address,
                         cnet_listener cb, void *arg);

/* Node's clearQueue: the calls again, in order, now that the socket is
 * bound. What Node would throw here (a call on a socket closed by an
 * earlier entry) cnet drops. */
static void queue_on_listening(const cnet_event *ev, void *arg) {
  (void)ev;
  cnet_dgram *s = arg;
  qitem *q = s->q_head;
  s->q_head = s->q_tail = NULL;
  s->has_queue = false;
  s->refs++;
  while (q) {
    qitem *next = q->next;
    switch (q->kind) {
      case Q_SEND:
        if (s->closed ||
            (s->connect_state == CONNECTED && (q->req->port || q->req->has_address)))
          req_release(q->req);
        else
          send_later(s, q->req);
        break;
      case Q_CONNECT:
        if (!s->closed) start_connect(s, q->port, q->address, q->cb, q->arg);
        break;
      case Q_CLOSE:
        if (!s->closed) do_close(s);
        break;
    }
    free(q->address);
    free(q);
    q = next;
  }
  s->refs--;
  maybe_free(s);
}

/* ---- connect --------------------------------------------------------------- */

static void run_connect_tick(void *arg) {
  connect_tick *t = arg;
  cnet_dgram *s = t->s;
  if (!t->failed) {
    cnet_event ev = {.type = CNET_EV_CONNECT};
    cnet_emit(s, &ev);
  } else if (t->cb) {
    /* Node: self.removeListener('connect', callback); callback(ex). */
    cnet_off(s, CNET_EV_CONNECT, t->cb, t->arg);
    cnet_event ev = {.type = CNET_EV_ERROR, .target = s, .error = &t->err};
    t->cb(&ev, t->arg);
  } else {
    cnet_event ev = {.type = CNET_EV_ERROR, .error = &t->err};
    cnet_emit(s, &ev);
  }
  free(t);
  s->refs--;
  maybe_free(s);
}

static void on_connect_lookup(cnet_lookup_req *req, const cnet_error *err,
                              const cnet_lookup_address *addrs, size_t count,
                              void *arg) {
  (void)req;
  cnet_dgram *s = arg;
  s->connect_looking_up = false;
  connect_tick *t = calloc(1, sizeof *t);
  if (!t) {
    s->connect_state = DISCONNECTED;
    s->refs--;
    maybe_free(s);
    return;
  }
  t->s = s;
  t->cb = s->connect_cb;
  t->arg = s->connect_cb_arg;
  if (err || count == 0) {
    t->failed = true;
    if (err)
      t->err = *err;
    else
      cnet_error_syscall(&t->err, CNET_ENOTFOUND, "getaddrinfo", NULL, 0);
  } else {
    struct sockaddr_storage ss;
    socklen_t len;
    int e = to_sockaddr(s->family, addrs[0].address, s->connect_port, &ss, &len);
    if (!e) {
      int r;
      do r = connect(s->io.fd, (struct sockaddr *)&ss, len);
      while (r != 0 && errno == EINTR);
      if (r != 0) e = cnet_errno(errno);
    }
    if (e) {
      t->failed = true;
      host_port_error(&t->err, e, "connect", s->connect_address, true,
                      s->connect_port);
    }
  }
  s->connect_state = t->failed ? DISCONNECTED : CONNECTED;
  t->node.fn = run_connect_tick;
  t->node.arg = t;
  cnet__tick(s->h.loop, &t->node); /* keeps the lookup's reference */
}

/* Node's _connect. */
static int start_connect(cnet_dgram *s, int port, const char *address,
                         cnet_listener cb, void *arg) {
  if (cb) cnet_once(s, CNET_EV_CONNECT, cb, arg);
  s->connect_cb = cb;
  s->connect_cb_arg = arg;
  s->connect_port = port;
  char *copy = strdup(address ? address : "");
  if (!copy) {
    s->connect_state = DISCONNECTED;
    return CNET_ENOMEM;
  }
  free(s->connect_address);
  s->connect_address = copy;
  const char *host = *copy ? copy : default_host(s);
  cnet_lookup_options lo = {.family = s->family};
  int e = cnet_lookup(s->h.loop, &s->connect_lookup, host, &lo, on_connect_lookup, s);
  if (e) {
    s->connect_state = DISCONNECTED;
    return e;
  }
  s->connect_looking_up = true;
  s->refs++;
  return 0;
}

int cnet_dgram_connect(cnet_dgram *s, int port, const char *address,
                       cnet_listener cb, void *arg) {
  if (!s) return CNET_EINVAL;
  if (port < 1 || port > 65535) return bad_port(s, port);
  if (s->connect_state != DISCONNECTED)
    return fail(s, CNET_ERR_SOCKET_DGRAM_IS_CONNECTED, NULL);
  if (s->closed) return not_running(s);
  s->connect_state = CONNECTING;
  if (s->bind_state == UNBOUND) {
    int e = start_bind(s, 0, NULL);
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
    enqueue(s, q);
    return 0;
  }
  int e = start_connect(s, port, address, cb, arg);
  return e ? fail(s, e, NULL) : 0;
}

int cnet_dgram_disconnect(cnet_dgram *s) {
  if (!s) return CNET_EINVAL;
  if (s->connect_state != CONNECTED)
    return fail(s, CNET_ERR_SOCKET_DGRAM_NOT_CONNECTED, NULL);
  if (s->closed) return not_running(s);
  flush_out(s); /* held sends go to the peer they were made for */
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
  if (!s || !out) return CNET_EINVAL;
  if (s->closed) return not_running(s);
  if (s->connect_state != CONNECTED)
    return fail(s, CNET_ERR_SOCKET_DGRAM_NOT_CONNECTED, NULL);
  int e = fill_address(s->io.fd, true, out);
  return e ? fail_sys(s, e, "getpeername") : 0;
}

int cnet_dgram_address(cnet_dgram *s, cnet_address *out) {
  if (!s || !out) return CNET_EINVAL;
  if (s->closed) return not_running(s);
  if (s->io.fd < 0) return fail_sys(s, CNET_EBADF, "getsockname");
  int e = fill_address(s->io.fd, false, out);
  return e ? fail_sys(s, e, "getsockname") : 0;
}

/* ---- options --------------------------------------------------------------- */

/* libuv's uv__setsockopt: the IPv6 option on an AF_INET6 fd, else IPv4's. */
static int set_ip_opt(cnet_dgram *s, int opt4, int opt6, int value,
                      const char *syscall) {
  if (s->closed) return not_running(s);
  int r = s->fd_v6 ? setsockopt(s->io.fd, IPPROTO_IPV6, opt6, &value, sizeof value)
                   : setsockopt(s->io.fd, IPPROTO_IP, opt4, &value, sizeof value);
  return r != 0 ? fail_sys(s, cnet_errno(errno), syscall) : 0;
}

int cnet_dgram_set_broadcast(cnet_dgram *s, bool flag) {
  if (!s) return CNET_EINVAL;
  if (s->closed) return not_running(s);
  int on = flag;
  if (setsockopt(s->io.fd, SOL_SOCKET, SO_BROADCAST, &on, sizeof on) != 0)
    return fail_sys(s, cnet_errno(errno), "setBroadcast");
  return 0;
}

int cnet_dgram_set_ttl(cnet_dgram *s, int ttl) {
  if (!s) return CNET_EINVAL;
  if (s->closed) return not_running(s);
  if (ttl < 1 || ttl > 255) return fail_sys(s, CNET_EINVAL, "setTTL");
  int r = set_ip_opt(s, IP_TTL, IPV6_UNICAST_HOPS, ttl, "setTTL");
  return r ? r : ttl;
}

int cnet_dgram_set_multicast_ttl(cnet_dgram *s, int ttl) {
  if (!s) return CNET_EINVAL;
  if (s->closed) return not_running(s);
  if (ttl < 0 || ttl > 255) return fail_sys(s, CNET_EINVAL, "setMulticastTTL");
  int r = set_ip_opt(s, IP_MULTICAST_TTL, IPV6_MULTICAST_HOPS, ttl, "setMulticastTTL");
  return r ? r : ttl;
}

int cnet_dgram_set_multicast_loopback(cnet_dgram *s, bool flag) {
  if (!s) return CNET_EINVAL;
  int r = set_ip_opt(s, IP_MULTICAST_LOOP, IPV6_MULTICAST_LOOP, flag,
                     "setMulticastLoopback");
  return r ? r : flag;
}

/* An address text as uv_ip4_addr / uv_ip6_addr read it; 0, 4 or 6. */
static int parse_ip(const char *text, struct sockaddr_storage *ss) {
  socklen_t len;
  if (to_sockaddr(4, text, 0, ss, &len) == 0) return 4;
  if (to_sockaddr(6, text, 0, ss, &len) == 0) return 6;
  return 0;
}

int cnet_dgram_set_multicast_interface(cnet_dgram *s, const char *iface) {
  if (!s) return CNET_EINVAL;
  if (s->closed) return not_running(s);
  if (!iface)
    return fail(s, CNET_ERR_INVALID_ARG_TYPE,
                "The \"interfaceAddress\" argument must be of type string. "
                "Received undefined");
  struct sockaddr_storage ss;
  int r, kind = parse_ip(iface, &ss);
  if (kind == 4) {
    r = setsockopt(s->io.fd, IPPROTO_IP, IP_MULTICAST_IF,
                   &((struct sockaddr_in *)&ss)->sin_addr, sizeof(struct in_addr));
  } else if (kind == 6) {
    unsigned scope = ((struct sockaddr_in6 *)&ss)->sin6_scope_id;
    r = setsockopt(s->io.fd, IPPROTO_IPV6, IPV6_MULTICAST_IF, &scope, sizeof scope);
  } else {
    return fail_sys(s, CNET_EINVAL, "setMulticastInterface");
  }
  return r != 0 ? fail_sys(s, cnet_errno(errno), "setMulticastInterface") : 0;
}

/* libuv's uv_udp_set_membership. */
static int membership(cnet_dgram *s, const char *group, const char *iface,
                      bool join) {
  const char *name = join ? "addMembership" : "dropMembership";
  if (s->closed) return not_running(s);
  if (!group || !*group)
    return fail(s, CNET_ERR_MISSING_ARGS,
                "The \"multicastAddress\" argument must be specified");
  struct sockaddr_storage g, i;
  int kind = parse_ip(group, &g), e, r;
  if (kind == 4) {
    if ((e = deferred_bind(s, AF_INET))) return fail_sys(s, e, name);
    struct ip_mreq m;
    memset(&m, 0, sizeof m);
    m.imr_multiaddr = ((struct sockaddr_in *)&g)->sin_addr;
    if (iface) {
      socklen_t len;
      if (to_sockaddr(4, iface, 0, &i, &len)) return fail_sys(s, CNET_EINVAL, name);
      m.imr_interface = ((struct sockaddr_in *)&i)->sin_addr;
    } else {
      m.imr_interface.s_addr = htonl(INADDR_ANY);
    }
    r = setsockopt(s->io.fd, IPPROTO_IP, join ? IP_ADD_MEMBERSHIP : IP_DROP_MEMBERSHIP,
                   &m, sizeof m);
  } else if (kind == 6) {
    if ((e = deferred_bind(s, AF_INET6))) return fail_sys(s, e, name);
    struct ipv6_mreq m;
    memset(&m, 0, sizeof m);
    m.ipv6mr_multiaddr = ((struct sockaddr_in6 *)&g)->sin6_addr;
    if (iface) {
      socklen_t len;
      if (to_sockaddr(6, iface, 0, &i, &len)) return fail_sys(s, CNET_EINVAL, name);
      m.ipv6mr_interface = ((struct sockaddr_in6 *)&i)->sin6_scope_id;
    }
    r = setsockopt(s->io.fd, IPPROTO_IPV6,
                   join ? IPV6_ADD_MEMBERSHIP : IPV6_DROP_MEMBERSHIP, &m, sizeof m);
  } else {
    return fail_sys(s, CNET_EINVAL, name);
  }
  return r != 0 ? fail_sys(s, cnet_errno(errno), name) : 0;
}

int cnet_dgram_add_membership(cnet_dgram *s, const char *group, const char *iface) {
  return s ? membership(s, group, iface, true) : CNET_EINVAL;
}
int cnet_dgram_drop_membership(cnet_dgram *s, const char *group, const char *iface) {
  return s ? membership(s, group, iface, false) : CNET_EINVAL;
}

/* libuv's uv_udp_set_source_membership. */
static int source_membership(cnet_dgram *s, const char *source, const char *group,
                             const char *iface, bool join) {
  const char *name = join ? "addSourceSpecificMembership"
                          : "dropSourceSpecificMembership";
  if (s->closed) return not_running(s);
  if (!source || !group)
    return fail(s, CNET_ERR_INVALID_ARG_TYPE,
                "The \"%s\" argument must be of type string. Received undefined",
                !source ? "sourceAddress" : "groupAddress");
  struct sockaddr_storage g, src, i;
  socklen_t len;
  int e, r;
  if (to_sockaddr(4, group, 0, &g, &len) != 0) {
    if (to_sockaddr(6, group, 0, &g, &len) != 0) return fail_sys(s, CNET_EINVAL, name);
    if (to_sockaddr(6, source, 0, &src, &len) != 0) return fail_sys(s, CNET_EINVAL, name);
    if ((e = deferred_bind(s, AF_INET6))) return fail_sys(s, e, name);
    struct group_source_req m;
    memset(&m, 0, sizeof m);
    if (iface) {
      if (to_sockaddr(6, iface, 0, &i, &len)) return fail_sys(s, CNET_EINVAL, name);
      m.gsr_interface = ((struct sockaddr_in6 *)&i)->sin6_scope_id;
    }
    memcpy(&m.gsr_group, &g, sizeof(struct sockaddr_in6));
    memcpy(&m.gsr_source, &src, sizeof(struct sockaddr_in6));
    r = setsockopt(s->io.fd, IPPROTO_IPV6,
                   join ? MCAST_JOIN_SOURCE_GROUP : MCAST_LEAVE_SOURCE_GROUP, &m, sizeof m);
  } else {
    if (to_sockaddr(4, source, 0, &src, &len) != 0) return fail_sys(s, CNET_EINVAL, name);
    if ((e = deferred_bind(s, AF_INET))) return fail_sys(s, e, name);
    struct ip_mreq_source m;
    memset(&m, 0, sizeof m);
    if (iface) {
      if (to_sockaddr(4, iface, 0, &i, &len)) return fail_sys(s, CNET_EINVAL, name);
      m.imr_interface = ((struct sockaddr_in *)&i)->sin_addr;
    } else {
      m.imr_interface.s_addr = htonl(INADDR_ANY);
    }
    m.imr_multiaddr = ((struct sockaddr_in *)&g)->sin_addr;
    m.imr_sourceaddr = ((struct sockaddr_in *)&src)->sin_addr;
    r = setsockopt(s->io.fd, IPPROTO_IP,
                   join ? IP_ADD_SOURCE_MEMBERSHIP : IP_DROP_SOURCE_MEMBERSHIP, &m, sizeof m);
  }
  return r != 0 ? fail_sys(s, cnet_errno(errno), name) : 0;
}

int cnet_dgram_add_source_specific_membership(cnet_dgram *s, const char *source,
                                              const char *group, const char *iface) {
  return s ? source_membership(s, source, group, iface, true) : CNET_EINVAL;
}
int cnet_dgram_drop_source_specific_membership(cnet_dgram *s, const char *source,
                                               const char *group, const char *iface) {
  return s ? source_membership(s, source, group, iface, false) : CNET_EINVAL;
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

const cnet_error *cnet_dgram_last_error(const cnet_dgram *s) {
  return s ? &s->last_error : NULL;
}

/* ---- close and free ---------------------------------------------------------- */

static void emit_close_tick(void *arg) {
  cnet_dgram *s = arg;
  s->close_emitted = true;
  s->refs++;
  cnet_event ev = {.type = CNET_EV_CLOSE};
  cnet_emit(s, &ev);
  s->refs--;
  maybe_free(s);
}

/* The loop's close phase: what libuv's uv__udp_finish_close does with
 * datagrams still waiting for the kernel (ECANCELED to their callbacks). */
static void handle_closed(cnet__handle *h) {
  cnet_dgram *s = (cnet_dgram *)h;
  s->refs++;
  while (s->sq_head) {
    send_req *r = sq_pop(s);
    r->status = CNET_ECANCELED;
    if (r->cb) call_send_cb(r);
    req_release(r);
  }
  s->handle_closed = true;
  s->refs--;
  maybe_free(s);
}

static void do_close(cnet_dgram *s) {
  if (s->io.fd >= 0) flush_out(s); /* held sends were made before the close */
  s->closed = true;
  s->receiving = false;
  if (s->bind_looking_up && cnet_lookup_cancel(&s->bind_lookup) == 0) {
    s->bind_looking_up = false;
    s->refs--;
  }
  if (s->connect_looking_up && cnet_lookup_cancel(&s->connect_lookup) == 0) {
    s->connect_looking_up = false;
    s->refs--;
  }
  if (s->io.fd >= 0) {
    cnet__io_close(s->h.loop, &s->io);
    close(s->io.fd);
    s->io.fd = -1;
  }
  s->close_node.fn = emit_close_tick;
  s->close_node.arg = s;
  s->close_node.pooled = false;
  cnet__tick(s->h.loop, &s->close_node);
  cnet__handle_close(&s->h);
}

int cnet_dgram_close(cnet_dgram *s, cnet_listener cb, void *arg) {
  if (!s) return CNET_EINVAL;
  if (cb) cnet_on(s, CNET_EV_CLOSE, cb, arg);
  if (s->has_queue) {
    /* Binding: the close waits its turn after the queued sends. */
    qitem *q = calloc(1, sizeof *q);
    if (!q) return fail(s, CNET_ENOMEM, NULL);
    q->kind = Q_CLOSE;
    enqueue(s, q);
    return 0;
  }
  if (s->closed) return not_running(s);
  do_close(s);
  return 0;
}

static void maybe_free(cnet_dgram *s) {
  if (!s->closed || !s->close_emitted || !s->handle_closed || s->refs) return;
  drop_queue(s);
  send_req *r;
  while ((r = s->free_reqs)) {
    s->free_reqs = r->next;
    free(r);
  }
  free(s->connect_address);
  free(s->bind_wrap); /* closed while binding: its listeners never ran */
  if (s->batch) munmap(s->batch, BATCH_BYTES);
  free(s->out);
  cnet_emitter_dispose(&s->h.em);
  free(s);
}

/* An 'error' nobody listens to closes the socket (Node would exit). */
static void dgram_unhandled(void *object, const cnet_error *err) {
  (void)err;
  cnet_dgram *s = object;
  if (s->closed) return;
  drop_queue(s);
  do_close(s);
}

static const struct cnet__emitter_ops dgram_ops = {
    .type_name = "udp",
    .destroy = dgram_unhandled,
    .closed = handle_closed,
};

/* ---- dgram.createSocket -------------------------------------------------------- */

cnet_dgram *cnet_dgram_create_options(cnet_loop *loop,
                                      const cnet_dgram_options *opts,
                                      cnet_listener message_listener,
                                      void *arg, int *err) {
  int dummy;
  if (!err) err = &dummy;
  *err = 0;
  if (!loop) {
    *err = CNET_EINVAL;
    return NULL;
  }
  const char *type = opts ? opts->type : NULL;
  int family = type && strcmp(type, "udp4") == 0   ? 4
               : type && strcmp(type, "udp6") == 0 ? 6
                                                   : 0;
  if (!family) {
    *err = CNET_ERR_SOCKET_BAD_TYPE;
    return NULL;
  }
  cnet_dgram *s = calloc(1, sizeof *s);
  if (!s) {
    *err = CNET_ENOMEM;
    return NULL;
  }
  cnet__handle_init(loop, &s->h, &dgram_ops);
  s->io.fd = -1;
  s->io.cb = on_io;
  s->family = family;
  s->opts = *opts;
  s->opts.type = NULL;
  if (message_listener && cnet_on(s, CNET_EV_MESSAGE, message_listener, arg) != 0) {
    cnet_emitter_dispose(&s->h.em);
    s->h.prev->next = s->h.next;
    s->h.next->prev = s->h.prev;
    free(s);
    *err = CNET_ENOMEM;
    return NULL;
  }
  return s;
}

cnet_dgram *cnet_dgram_create(cnet_loop *loop, const char *type,
                              cnet_listener message_listener, void *arg,
                              int *err) {
  cnet_dgram_options o = {.type = type};
  return cnet_dgram_create_options(loop, &o, message_listener, arg, err);
}
