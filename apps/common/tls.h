/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* The tools' TLS setup: a context made once from the files the command
 * line names (a server's certificate and key, the CAs a client trusts),
 * shared by every connection and every loop (the context is reference
 * counted atomically). What cannot be loaded is said on one line, with
 * the file and OpenSSL's reason, before any socket is opened. */
#ifndef CNET_APPS_TLS_H
#define CNET_APPS_TLS_H

#include <cnet.h>

typedef struct app_tls_files {
  const char *cert;  /* PEM: the certificate, then its chain */
  const char *key;   /* PEM: its private key */
  const char *trust; /* PEM: the CAs to trust; NULL: the system's */
} app_tls_files;

/* 0 and *out, or "<prog>: TLS: <reason>" on stderr and -1. A key
 * without a certificate (or the reverse) is refused here: OpenSSL would
 * only notice at the first handshake. */
int app_tls_context_load(const char *prog, const app_tls_files *files,
                         cnet_tls_context **out);

#endif
