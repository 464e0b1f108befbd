/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* The TLS scenarios' certificates: made in the working directory by
 * tests/tls/make-certs.sh (never committed), and the usual three read as
 * PEM text. Any failure exits 2, before the scenario prints a line. */
#ifndef CNET_CONFORMANCE_TLS_CERTS_H
#define CNET_CONFORMANCE_TLS_CERTS_H

#include <stdio.h>
#include <stdlib.h>

static char *tls_certs_read(const char *path) {
  FILE *f = fopen(path, "r");
  if (!f) exit(2);
  char *buf = calloc(1, 1 << 16);
  if (!buf || fread(buf, 1, (1 << 16) - 1, f) == 0) exit(2);
  fclose(f);
  return buf;
}

/* Makes the certificates; the server's key and certificate and the CA
 * that signed it, as PEM text (freed at exit). */
static void tls_certs_make(char **key, char **cert, char **ca) {
  if (system("sh " CNET_TLS_DIR "/make-certs.sh .") != 0) exit(2);
  *key = tls_certs_read("server.key");
  *cert = tls_certs_read("server.pem");
  *ca = tls_certs_read("ca.pem");
}

#endif
