/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* What the TLS scenarios share: their certificates, made in the working
 * directory by tests/tls/make-certs.sh (never committed), the usual three
 * read as PEM text; their loop and main; a client of their server. Any
 * failure to set up exits 2 (3 for cnet_tls_connect), before the
 * scenario prints a line. */
#ifndef CNET_CONFORMANCE_TLS_CERTS_H
#define CNET_CONFORMANCE_TLS_CERTS_H

#include <cnet.h>
#include <stdio.h>
#include <stdlib.h>

#include "trace.h"

static cnet_loop *loop;
static char *key, *cert, *ca; /* the server's key and certificate, its CA */

static char *tls_certs_read(const char *path) {
  FILE *f = fopen(path, "r");
  if (!f) exit(2);
  char *buf = calloc(1, 1 << 16);
  if (!buf || fread(buf, 1, (1 << 16) - 1, f) == 0) exit(2);
  fclose(f);
  return buf;
}

/* Makes the certificates, and reads the server's key and certificate
 * and the CA that signed it. */
static void tls_certs_make(void) {
  if (system("sh " CNET_TLS_DIR "/make-certs.sh .") != 0) exit(2);
  key = tls_certs_read("server.key");
  cert = tls_certs_read("server.pem");
  ca = tls_certs_read("ca.pem");
}

/* A scenario's main: the certificates, start() on the default loop, the
 * run, then finish() (may be NULL) and the loop closed. */
static inline int tls_scenario(void (*start)(void), void (*finish)(void)) {
  trace_init();
  tls_certs_make();
  loop = cnet_default_loop();
  start();
  int rc = cnet_loop_run(loop, CNET_RUN_DEFAULT);
  if (finish) finish();
  cnet_loop_close(loop);
  free(key);
  free(cert);
  free(ca);
  return rc;
}

/* tls.connect({port: server's, host: '127.0.0.1', ...sec}, cb): sec NULL
 * trusts the test CA. */
static inline cnet_socket *tls_client(cnet_server *server,
                                      const cnet_tls_context_options *sec,
                                      cnet_callback cb, void *arg) {
  cnet_address a;
  cnet_server_address(server, &a);
  cnet_connect_options net = {.port = a.port, .host = "127.0.0.1"};
  cnet_tls_context_options trust = {.ca = ca};
  cnet_tls_connect_options o = {.connect = &net, .secure = sec ? sec : &trust};
  cnet_socket *c;
  if (cnet_tls_connect(loop, &o, cb, arg, &c) != 0) exit(3);
  return c;
}

#endif
