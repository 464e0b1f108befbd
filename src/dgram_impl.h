/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* What the dgram files share: the socket's struct and its states, the
 * queue of calls made while binding, the error helpers every method uses,
 * and the calls between the files. The files, bottom to top:
 *   dgram_addr.c     addresses: text <-> sockaddr, the per-socket memos;
 *   dgram_options.c  the fd (made, bound) and its options (setters);
 *   dgram_socket.c   the socket itself: bind and connect, sends, the
 *                    receive loop, close and free;
 *   dgram_api.c      Node's methods: their checks, then the socket.
 * Each calls only the ones listed before it. */
#ifndef CNET_DGRAM_IMPL_H
#define CNET_DGRAM_IMPL_H

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include "handle.h"

/* bind_state and connect_state. */
enum { UNBOUND, BINDING, BOUND };
enum { DISCONNECTED, CONNECTING, CONNECTED };

typedef struct send_req send_req; /* one send (dgram_socket.c) */

/* Node's state.queue: calls made while the implicit bind runs. */
enum { Q_SEND, Q_CONNECT, Q_CLOSE };
typedef struct qitem qitem;
struct qitem {
  qitem *next;
  int kind;
  send_req *req;         /* Q_SEND */
  int port;              /* Q_CONNECT */
  char *address;
  cnet_callback cb;
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
  cnet_callback connect_cb;
  void *connect_cb_arg;
  /* datagrams waiting for room in the kernel */
  send_req *sq_head, *sq_tail;
  /* Datagrams queued from inside send() in this tick come after
   * fresh_after (NULL: all of them) while has_fresh holds (see
   * mark_fresh in dgram_socket.c). */
  send_req *fresh_after;
  bool has_fresh;
  cnet__cb fresh_node;
  size_t sq_size, sq_count;
  send_req *free_reqs;
  unsigned refs;           /* ticks, lookups and sends that point at us */
  addr_memo send_memo;     /* the last IP address text sent to */
  addr_memo recv_memo;     /* the last sender's address */
  char *batch;             /* recvmmsg's slots, once busy (see recv_batch) */
  struct out_batch *out;   /* sends made by its listeners (see defer_send) */
  bool in_batch;           /* recv_batch is emitting */
  cnet__cb close_node;
};

/* ---- errors: the method's error, kept as the thread's last error ------- */

static inline int fail(cnet_dgram *s, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static inline int fail(cnet_dgram *s, int code, const char *fmt, ...) {
  (void)s;
  cnet_error *e = cnet__last_error_slot();
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
static inline int fail_sys(cnet_dgram *s, int code, const char *syscall) {
  (void)s;
  cnet_error_syscall(cnet__last_error_slot(), code, syscall, NULL, 0);
  return code;
}

static inline int not_running(cnet_dgram *s) {
  return fail(s, CNET_ERR_SOCKET_DGRAM_NOT_RUNNING, NULL);
}

/* ---- dgram_addr.c ---------------------------------------------------- */

/* ip as a sockaddr of family (4 or 6) with port; CNET_EINVAL if it is not
 * an address of that family. */
int cnet__dgram_to_sockaddr(int family, const char *ip, int port,
                            struct sockaddr_storage *ss, socklen_t *len);
/* The per-datagram conversions, through the socket's memos: a server
 * hears from (and a client sends to) the same few addresses again and
 * again. A memo hit is answered inline, in the send or receive path; a
 * miss goes to dgram_addr.c. */
void cnet__dgram_sender_address_slow(cnet_dgram *s,
                                     const struct sockaddr_storage *peer,
                                     char *text, cnet_rinfo *ri);
int cnet__dgram_send_target_slow(cnet_dgram *s, const char *host, int port,
                                 struct sockaddr_storage *to,
                                 socklen_t *to_len);

/* rinfo's address, family and port for a datagram from peer; text is
 * the caller's buffer for an address no memo may keep. */
static inline void cnet__dgram_sender_address(cnet_dgram *s,
                                              const struct sockaddr_storage *peer,
                                              char *text, cnet_rinfo *ri) {
  const addr_memo *m = &s->recv_memo;
  const struct sockaddr_in *a = (const struct sockaddr_in *)peer;
  const struct sockaddr_in *ma = (const struct sockaddr_in *)&m->sa;
  if (peer->ss_family == AF_INET && m->len == sizeof *a &&
      ma->sin_addr.s_addr == a->sin_addr.s_addr) {
    ri->port = ntohs(a->sin_port);
    ri->family = "IPv4";
    ri->address = m->text;
    return;
  }
  cnet__dgram_sender_address_slow(s, peer, text, ri);
}

/* Where a send to host (not connected) goes: 1 with the address in *to
 * when host is an IP address (Node's send skips the lookup then), 0 when
 * it is a name to look up, or CNET_EINVAL for an IP address of the other
 * family. */
static inline int cnet__dgram_send_target(cnet_dgram *s, const char *host,
                                          int port,
                                          struct sockaddr_storage *to,
                                          socklen_t *to_len) {
  const addr_memo *m = &s->send_memo;
  if (!m->len || strcmp(host, m->text) != 0)
    return cnet__dgram_send_target_slow(s, host, port, to, to_len);
  /* Whole sockaddr_in6 (the larger): a copy of fixed size is inlined.
   * sin_port and sin6_port are one field (dgram_addr.c asserts it). */
  memcpy(to, &m->sa, sizeof(struct sockaddr_in6));
  *to_len = m->len;
  ((struct sockaddr_in *)to)->sin_port = htons((uint16_t)(port & 0xffff));
  return 1;
}
/* getpeername (peer) or getsockname into Node's address object. */
int cnet__dgram_fill_address(int fd, bool peer, cnet_address *out);

/* ---- dgram_options.c ------------------------------------------------- */

int cnet__dgram_do_bind(cnet_dgram *s, const char *ip, int port);
int cnet__dgram_buffer_size(cnet_dgram *s, int64_t size, bool recv);

/* ---- dgram_socket.c -------------------------------------------------- */

/* Node's --test-udp-no-try-send, for cnet's own tests. */
extern int cnet__udp_test_no_try_send;
int cnet__dgram_send_checked(cnet_dgram *s, const struct iovec *iov,
                             size_t n, int port, const char *address,
                             cnet_callback cb, void *arg);
int cnet__dgram_start_bind(cnet_dgram *s, int port, const char *address);
void cnet__dgram_start_listening(cnet_dgram *s);
/* Queues a call until the bind in progress ends (q is calloc'd). */
void cnet__dgram_enqueue(cnet_dgram *s, qitem *q);
int cnet__dgram_start_connect(cnet_dgram *s, int port, const char *address,
                              cnet_callback cb, void *arg);
/* Sends the datagrams held while a batch is emitted (see defer_send). */
void cnet__dgram_flush_out(cnet_dgram *s);
/* Closes at once: I/O stops, 'close' comes on the next tick. */
void cnet__dgram_do_close(cnet_dgram *s);

#endif
