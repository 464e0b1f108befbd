/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* net.Socket's insides, shared by the two files that implement it:
 * net_socket.c (the stream, its I/O, timeouts, options, addresses and the
 * public API) and net_connect.c (connect, lookup, autoSelectFamily).
 * Nothing else includes this file; net_server.c sees a socket only
 * through net_socket.h. */
#ifndef CNET_NET_SOCKET_IMPL_H
#define CNET_NET_SOCKET_IMPL_H

#include <stdlib.h>

#include "poller.h"
#include "stream.h"

#include "cnet/addr.h"
#include "cnet/dns.h"

struct cnet__socket_owner; /* net_socket.h */

/* Connecting by name tries at most this many of the addresses (Node tries
 * them all). Their list sits in the part of the socket that timeouts and
 * pending writes also use, 50 bytes an address; a name seldom has more,
 * and by default the eighth attempt already starts 1.75 s after the
 * first. */
#define CNET__CONNECT_ADDRESSES 8

/* The socket's own state (cnet_socket.sflags), beside its stream's
 * CNET__W_, CNET__R_ and CNET__S_ bits in s.flags. */
enum {
  CNET__SK_CONNECTING = 1u << 0,
  CNET__SK_HAS_HANDLE = 1u << 1,    /* Node's this._handle: made by connect or accept */
  CNET__SK_PIPE = 1u << 2,          /* a Unix domain socket */
  CNET__SK_NOT_SOCKET = 1u << 3,    /* wraps an fd that is no socket (writev, not send) */
  CNET__SK_NO_DELAY = 1u << 4,
  CNET__SK_KEEP_ALIVE = 1u << 5,
  CNET__SK_RDHUP_SEEN = 1u << 6,    /* peer FIN seen while not reading */
  CNET__SK_SHUTTING = 1u << 7,      /* _final: shutdown waits for the write queue */
  CNET__SK_RESET = 1u << 8,         /* resetAndDestroy: close with RST */
  CNET__SK_LOOKUP = 1u << 9,        /* a name lookup is in flight */
  CNET__SK_CLOSE_TICK = 1u << 10,   /* 'close' comes from a tick, not the handle */
  CNET__SK_DELAYED_ERROR = 1u << 11,
  CNET__SK_UNREF = 1u << 12,
  CNET__SK_CANCEL_WRITE = 1u << 13, /* destroyed mid-write: complete it at close */
  CNET__SK_SPLICING = 1u << 14,     /* a splice job reads the socket (src/splice.c) */
  CNET__SK_OUT_WRITE = 1u << 15     /* x->out ends the stream's write in progress */
};

/* Rarely used parts of a socket, allocated on first need. */
struct sock_x {
  cnet_timer timer; /* setTimeout */
  unsigned timeout_ms;
  unsigned keep_alive_delay; /* seconds, as Node passes it on */
  char *out;                 /* bytes the kernel refused, waiting for POLLOUT:
                              * the tail of a write (CNET__SK_OUT_WRITE), or
                              * a record layer's bytes, or both */
  size_t out_len, out_off;
  char *pending;             /* a write made while connecting */
  size_t pending_len;
  cnet_lookup_req lookup;
  cnet__cb shutdown_cb;      /* libuv feeds a shutdown with nothing queued */
  cnet__cb delayed;          /* a connect error reported on the next turn */
  int delayed_error;
  int port;                  /* connecting: the peer */
  int family;                /* connecting: 4 or 6, 0 for a path */
  char address[CNET_ADDRESS_MAX];
  char local_address[CNET_ADDRESS_MAX];
  int local_port;
  char host[256];            /* for 'lookup' */
  int family_hint;
  /* Node 20's autoSelectFamily: the addresses to try in turn, each given
   * attempt_timeout ms (the process default when connect() was called)
   * before the next is tried. */
  struct {
    char address[CNET_ADDRESS_STRLEN];
    int family;
  } addrs[CNET__CONNECT_ADDRESSES];
  uint8_t n_addrs, cur_addr, n_errors;
  bool multi;
  /* connect() failed at once with what Node throws from it: no
   * 'connectionAttemptFailed' then (libuv delays a lone TCP attempt's
   * ECONNREFUSED and every Unix socket error, so Node reports those). */
  bool thrown_error;
  unsigned attempt_timeout;
  cnet_timer attempt;
  cnet_error first_error;
  /* Node caches the peer's address once asked (_peername), so it can
   * still be read after the socket closed. */
  bool peer_cached;
  cnet_address peer;
  struct cnet__splice_job *splice; /* pipe() into a file stream: src/splice.c */
};

struct cnet_socket {
  cnet__stream s;
  cnet__io io;
  struct cnet__socket_owner *owner; /* accepted: its server */
  uint64_t bytes_read;
  uint64_t bytes_dispatched;
  uint32_t sflags;
  bool had_error; /* for 'close' */
  struct sock_x *x;
  struct cnet__record *rec; /* a record layer (TLS): net_socket.h */
};

static inline struct sock_x *cnet__socket_x(cnet_socket *so) {
  if (!so->x) {
    so->x = calloc(1, sizeof *so->x);
    if (so->x) so->x->delayed_error = 0;
  }
  return so->x;
}

static inline void cnet__socket_refresh_timer(cnet_socket *so) {
  if (so->x && so->x->timeout_ms) cnet_timer_refresh(&so->x->timer);
}

/* Makes what the poller watches (and whether the socket keeps the loop
 * alive) match the socket's state. */
void cnet__socket_update_io(cnet_socket *so);
/* setNoDelay/setKeepAlive as asked before the socket had a connection. */
void cnet__socket_apply_opts(cnet_socket *so);
/* The fd's readiness once the socket is connected (or accepted, or
 * opened on an fd); connecting, net_connect.c watches it itself. */
void cnet__socket_io(cnet_loop *loop, cnet__io *io, uint32_t revents);

#endif
