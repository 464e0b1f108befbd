/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* What net.Socket (net_socket.c) offers net.Server (net_server.c): a
 * socket for a connection the server accepted, and the hook through which
 * that socket tells its server it is gone. The server calls down into the
 * socket; the socket reaches the server only through the hook, so the
 * two files form no circle and neither sees the other's insides. */
#ifndef CNET_NET_SOCKET_H
#define CNET_NET_SOCKET_H

#include <stdbool.h>

#include "handle.h"
#include "stream.h"
#include "cnet/net.h"

/* Whoever accepted a socket (its server), as the socket sees it. */
typedef struct cnet__socket_owner cnet__socket_owner;
struct cnet__socket_owner {
  /* A socket it accepted was destroyed: one connection fewer. */
  void (*connection_gone)(cnet__socket_owner *owner);
  cnet_server *server; /* what socket.server reports */
};

/* The socket for fd, a connection accepted by a server with opts
 * (unix_path: over a Unix domain socket), options applied and watched;
 * owner is told when it is destroyed. NULL when out of memory (fd is then
 * the caller's to close). A cnet_socket starts with its cnet__stream, as
 * every cnet stream does. */
cnet_socket *cnet__socket_accepted(cnet_loop *loop, int fd,
                                   const cnet_server_options *opts,
                                   bool unix_path, cnet__socket_owner *owner);

/* A record layer (TLS, src/tls.c) between a socket's stream and its fd.
 * The socket calls it through these hooks alone, so net_socket.c knows
 * no TLS; the layer calls the socket through the functions below. While
 * a layer is attached the socket's bytes on the wire are the layer's:
 * what the stream writes goes to it, what the fd gives goes to it. */
typedef struct cnet__record cnet__record;
typedef struct cnet__record_ops {
  /* n bytes read from the fd into buf (the loop's read buffer, valid
   * during the call only): turn them into the stream's data. */
  void (*read)(cnet__record *r, cnet_socket *so, const char *buf, size_t n);
  /* The fd gave EOF (the peer's FIN). */
  void (*eof)(cnet__record *r, cnet_socket *so);
  /* The stream's write (the chunks are valid during the call only); the
   * layer hands it over with cnet__socket_record_wrote, now or later. */
  void (*write)(cnet__record *r, cnet_socket *so, const cnet__chunk *chunks,
                size_t n, size_t total);
  /* end(): before the FIN. true to go on at once; false when the layer
   * calls cnet__socket_record_final itself later. */
  bool (*final)(cnet__record *r, cnet_socket *so);
  /* Whether the fd is to be read: 1 even while the stream does not flow
   * (a handshake in progress), 0 not even while it flows (the layer
   * waits for something else first), -1 as the stream flows. */
  int (*want_read)(const cnet__record *r);
  /* The stream flows again: what the layer kept while it was paused. */
  void (*resume)(cnet__record *r, cnet_socket *so);
  /* The socket is destroyed, its fd not yet closed: the layer's bytes
   * that are written but not yet given to the socket go now
   * (cnet__socket_record_send_last). */
  void (*closing)(cnet__record *r, cnet_socket *so);
  /* The socket is freed. */
  void (*free)(cnet__record *r);
} cnet__record_ops;
struct cnet__record {
  const cnet__record_ops *ops;
};

/* Attaches r to so (before any byte was read or written); the socket
 * frees it with itself. */
void cnet__socket_set_record(cnet_socket *so, cnet__record *r);
cnet__record *cnet__socket_record(const cnet_socket *so);
/* The layer's bytes for the wire: sent at once as far as the kernel
 * takes them, the rest kept (in order) until the fd is writable. 0, or a
 * negative code (the socket is then being destroyed with it). */
int cnet__socket_record_send(cnet_socket *so, const void *data, size_t len);
/* From the closing hook: data to the kernel in one try, as far as it
 * takes it; nothing when bytes wait for the kernel already (they are
 * dropped with the socket, and these would follow a gap). Errors are
 * ignored: the socket is closing. */
void cnet__socket_record_send_last(cnet_socket *so, const void *data, size_t len);
/* The stream's write is handed over: complete now if nothing of it waits
 * for the kernel, else when the kept bytes are sent. */
void cnet__socket_record_wrote(cnet_socket *so);
/* The end() a final hook held back goes on (its FIN follows what is
 * kept). */
void cnet__socket_record_final(cnet_socket *so);
/* The layer's data for the stream (its 'data'): counted in bytesRead,
 * which counts what the stream gets, as Node's TLSSocket does. */
void cnet__socket_record_push(cnet_socket *so, const char *data, size_t len);
/* Makes what the poller watches match the socket's (and its layer's)
 * state. */
void cnet__socket_record_update(cnet_socket *so);

/* fd's local address (peer: its peer's) in Node's form. */
int cnet__fd_address(int fd, bool peer, cnet_address *out);

#endif
