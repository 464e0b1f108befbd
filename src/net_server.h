/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* What net.Server (net_server.c) offers the layers above it: a hook that
 * sees each accepted socket before 'connection' is emitted (tls.Server
 * attaches its record layer there), and is freed with the server. */
#ifndef CNET_NET_SERVER_H
#define CNET_NET_SERVER_H

#include "cnet/net.h"

typedef struct cnet__server_layer cnet__server_layer;
struct cnet__server_layer {
  /* A connection was accepted: so is not yet announced. false refuses it
   * (so is then destroyed and 'connection' not emitted). */
  bool (*accepted)(cnet__server_layer *l, cnet_server *srv, cnet_socket *so);
  /* The server is freed. */
  void (*free)(cnet__server_layer *l);
};

/* Gives srv its layer (before it listens); the server frees it. */
void cnet__server_set_layer(cnet_server *srv, cnet__server_layer *l);
/* srv's layer, NULL for a plain server. */
cnet__server_layer *cnet__server_get_layer(const cnet_server *srv);

#endif
