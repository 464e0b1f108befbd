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

/* fd's local address (peer: its peer's) in Node's form. */
int cnet__fd_address(int fd, bool peer, cnet_address *out);

#endif
