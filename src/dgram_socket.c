/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* dgram.Socket: Node's lib/dgram.js (and the libuv UDP calls under it) on
 * cnet's loop. Owns the UDP socket's state machines (bind: unbound,
 * binding, bound; connect: disconnected, connecting, connected), Node's
 * queue of calls made while the implicit bind runs, the sends, the
 * receive loop, close and free. The methods' checks are dgram_api.c's,
 * the fd's options dgram_options.c's.
 *
 * Timing follows Node's ticks, because programs see it: bind and connect
 * look their address up first (an IP address answers on the next tick),
 * a send's callback comes two ticks after the call (lookup, then Node's
 * nextTick), one tick on a connected socket. Only the sendmsg itself is
 * earlier than Node's when it can be: from inside the call, so the data
 * need not be copied.
 *
 * I/O: one level-triggered watcher on the loop's poller (epoll or
 * io_uring, as the build chose): POLLIN while receiving, POLLOUT only
 * while datagrams wait for room in the kernel. Datagrams are read into
 * the loop's buffer and emitted from there (recvmmsg into slots of the
 * socket's own once it is busy). */
#include "dgram_impl.h"
#include "poller.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#define RECVS_PER_WAKEUP 32 /* libuv's count in uv__udp_recvmsg */

/* One send: with a callback to call later, or data that could not go out
 * at once (a copy). Pooled per socket. */
struct send_req {
  cnet__cb node;         /* the ticks to the callback */
  cnet_dgram *s;
  send_req *next;        /* free list, or the kernel-full queue */
  cnet_callback cb;
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

/* connect's outcome, reported on the next tick. */
typedef struct connect_tick {
  cnet__cb node;
  cnet_dgram *s;
  bool failed;
  cnet_callback cb;
  void *arg;
  cnet_error err;
} connect_tick;

static void update_io(cnet_dgram *s);
static void maybe_free(cnet_dgram *s);

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
  r->cb(r->s, r->status ? &e : NULL, r->arg);
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

/* Node sends a datagram from the tick after send() (its lookup's), so a
 * close() in the same tick drops it, callback and all. cnet tries the
 * kernel from inside the call; a datagram it had to queue there is
 * marked fresh until the ticks run, and a close that comes first forgets
 * it as Node's never sent it. */
static void fresh_tick(void *arg) {
  cnet_dgram *s = arg;
  s->has_fresh = false;
  s->refs--;
  maybe_free(s);
}

static void mark_fresh(cnet_dgram *s) {
  if (s->has_fresh) return;
  s->has_fresh = true;
  s->fresh_after = s->sq_tail;
  s->fresh_node = (cnet__cb){.fn = fresh_tick, .arg = s, .pooled = false};
  s->refs++;
  cnet__tick(s->h.loop, &s->fresh_node);
}

static void drop_fresh(cnet_dgram *s) {
  if (!s->has_fresh) return;
  s->has_fresh = false;
  send_req *r = s->fresh_after ? s->fresh_after->next : s->sq_head;
  if (s->fresh_after)
    s->fresh_after->next = NULL;
  else
    s->sq_head = NULL;
  s->sq_tail = s->fresh_after;
  while (r) {
    send_req *next = r->next;
    s->sq_size -= r->len;
    s->sq_count--;
    req_release(r);
    r = next;
  }
}

/* Each queued datagram's callback is one of libuv's, and Node runs its
 * ticks after each: what one callback queues runs before the next, and
 * may close the socket, which ends the flush (the caller holds s). */
static void sent_queued(cnet_dgram *s, send_req *r) {
  if (r->cb) {
    call_send_cb(r);
    cnet__run_ticks(s->h.loop);
  }
  req_release(r);
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
    sent_queued(s, r);
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
  int e = cnet__dgram_to_sockaddr(s->family, addrs[0].address, r->port, &r->to,
                                  &r->to_len);
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

void cnet__dgram_flush_out(cnet_dgram *s) {
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

/* Holds one datagram for cnet__dgram_flush_out; false when it must go now. */
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
    cnet__dgram_flush_out(s);
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

/* Node's Socket.prototype.send after its argument checks. */
int cnet__dgram_send_checked(cnet_dgram *s, const struct iovec *iov,
                             size_t n, int port, const char *address,
                             cnet_callback cb, void *arg) {
  if (s->closed) return not_running(s);
  size_t total = 0;
  for (size_t i = 0; i < n; i++) total += iov[i].iov_len;
  if (s->bind_state == UNBOUND) {
    int e = cnet__dgram_start_bind(s, 0, NULL);
    if (e) return fail(s, e, NULL);
  }
  bool connected = s->connect_state == CONNECTED;
  const char *host = address && *address ? address : default_host(s);
  struct sockaddr_storage to;
  socklen_t to_len = 0;
  int target = s->bind_state == BOUND && s->connect_state == DISCONNECTED
                   ? cnet__dgram_send_target(s, host, port, &to, &to_len)
                   : 0;
  /* The common case: bound, an IP address or a peer, nothing waiting.
   * Straight to the kernel from the caller's buffers. */
  if (s->bind_state == BOUND && (connected || target != 0)) {
    int bad = target < 0 ? target : 0;
    if (s->in_batch && !cb && !bad && n == 1 && !s->sq_head &&
        !cnet__udp_test_no_try_send && defer_send(s, iov, &to, to_len))
      return 0;
    cnet__dgram_flush_out(s); /* a datagram never overtakes one held */
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
      if (!connected) mark_fresh(s);
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
    cnet__dgram_enqueue(s, q);
    return 0;
  }
  int e = send_later(s, r);
  return e ? fail(s, e, NULL) : 0;
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

/* Each datagram is a callback of its own in libuv, and Node runs its ticks
 * after each: what a listener queues (a tick, a send's callback) runs
 * before the next 'message', and may close the socket, which ends the
 * wake-up's reads (the callers check). */
static void emit_message(cnet_dgram *s, const char *data, size_t len,
                         const struct sockaddr_storage *peer) {
  char address[CNET_ADDRESS_MAX];
  cnet_rinfo rinfo = {.size = len};
  cnet__dgram_sender_address(s, peer, address, &rinfo);
  cnet_event ev = {.type = CNET_EV_MESSAGE, .data = data, .len = len,
                   .rinfo = &rinfo};
  cnet_emit(s, &ev);
  cnet__run_ticks(s->h.loop);
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
    /* Closed by a listener or its ticks: the rest of the batch goes with
     * the socket, as libuv stops reading once the fd is closed. */
    if (!s->receiving || s->io.fd < 0) break;
    if (mm[i].msg_hdr.msg_namelen == 0) continue; /* no sender, as below */
    emit_message(s, iov[i].iov_base, mm[i].msg_len, &peers[i]);
  }
  s->in_batch = false;
  if (s->io.fd >= 0) cnet__dgram_flush_out(s);
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
void cnet__dgram_start_listening(cnet_dgram *s) {
  s->receiving = true;
  s->bind_state = BOUND;
  update_io(s);
  uint32_t sizes[2] = {s->opts.recv_buffer_size, s->opts.send_buffer_size};
  for (int i = 0; i < 2; i++) {
    if (!sizes[i] || cnet__dgram_buffer_size(s, sizes[i], i == 0) >= 0) continue;
    /* Node throws from its lookup callback here; cnet reports it. */
    cnet_error e = *cnet__last_error_slot();
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
    int r = cnet__dgram_do_bind(s, ip, s->bind_port);
    if (r) {
      cnet_error e;
      cnet_error_syscall(&e, r, "bind", ip, s->bind_port);
      bind_failed(s, &e);
    } else {
      cnet__dgram_start_listening(s);
    }
  }
  s->refs -= 2; /* this call's, and the lookup's */
  maybe_free(s);
}

/* Node's bind() from the address on: the lookup, then bind and listen. */
int cnet__dgram_start_bind(cnet_dgram *s, int port, const char *address) {
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

/* ---- the queue of calls made while binding -------------------------------- */

void cnet__dgram_enqueue(cnet_dgram *s, qitem *q) {
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
        if (!s->closed) cnet__dgram_start_connect(s, q->port, q->address, q->cb, q->arg);
        break;
      case Q_CLOSE:
        if (!s->closed) cnet__dgram_do_close(s);
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
    cnet__off_callback(s, CNET_EV_CONNECT, t->cb, t->arg);
    t->cb(s, &t->err, t->arg);
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
    int e = cnet__dgram_to_sockaddr(s->family, addrs[0].address,
                                    s->connect_port, &ss, &len);
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
int cnet__dgram_start_connect(cnet_dgram *s, int port, const char *address,
                              cnet_callback cb, void *arg) {
  if (cb && cnet__once_callback(s, CNET_EV_CONNECT, cb, arg) != 0) {
    s->connect_state = DISCONNECTED;
    return CNET_ENOMEM;
  }
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
 * datagrams still waiting for the kernel (ECANCELED to their callbacks,
 * each followed by Node's ticks). */
static void handle_closed(cnet__handle *h) {
  cnet_dgram *s = (cnet_dgram *)h;
  s->refs++;
  while (s->sq_head) {
    send_req *r = sq_pop(s);
    r->status = CNET_ECANCELED;
    sent_queued(s, r);
  }
  s->handle_closed = true;
  s->refs--;
  maybe_free(s);
}

void cnet__dgram_do_close(cnet_dgram *s) {
  /* Held sends were made before the close. */
  if (s->io.fd >= 0) cnet__dgram_flush_out(s);
  drop_fresh(s);
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
  cnet__dgram_do_close(s);
}

static const struct cnet__emitter_ops dgram_ops = {
    .type_name = "udp",
    .destroy = dgram_unhandled,
    .closed = handle_closed,
};

/* ---- dgram.createSocket -------------------------------------------------------- */

int cnet_dgram_create_options(cnet_loop *loop, const cnet_dgram_options *opts,
                              cnet_listener message_listener, void *arg,
                              cnet_dgram **out) {
  if (!out) return cnet__fail(CNET_EINVAL, NULL);
  *out = NULL;
  if (!loop) return cnet__fail(CNET_EINVAL, NULL);
  const char *type = opts ? opts->type : NULL;
  int family = type && strcmp(type, "udp4") == 0   ? 4
               : type && strcmp(type, "udp6") == 0 ? 6
                                                   : 0;
  if (!family)
    return cnet__fail(CNET_ERR_SOCKET_BAD_TYPE, "Bad socket type specified. "
                      "Valid types are: udp4, udp6");
  cnet_dgram *s = calloc(1, sizeof *s);
  if (!s) return cnet__fail(CNET_ENOMEM, NULL);
  if (cnet__handle_init(loop, &s->h, &dgram_ops) != 0) {
    free(s);
    return cnet__fail(CNET_ENOMEM, NULL);
  }
  s->io.fd = -1;
  s->io.cb = on_io;
  s->family = family;
  s->opts = *opts;
  s->opts.type = NULL;
  if (message_listener && cnet_on(s, CNET_EV_MESSAGE, message_listener, arg) != 0) {
    cnet__handle_discard(&s->h);
    free(s);
    return cnet__fail(CNET_ENOMEM, NULL);
  }
  *out = s;
  return 0;
}

int cnet_dgram_create(cnet_loop *loop, const char *type,
                      cnet_listener message_listener, void *arg,
                      cnet_dgram **out) {
  cnet_dgram_options o = {.type = type};
  return cnet_dgram_create_options(loop, &o, message_listener, arg, out);
}
