/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* A certificate as Node's getPeerCertificate() shows it (its
 * X509ToObject): tls.c asks, tls_cert.c reads the X509 and knows nothing
 * of sockets. */
#ifndef CNET_TLS_CERT_H
#define CNET_TLS_CERT_H

#include <openssl/ssl.h>
#include <stdbool.h>

#include "cnet/tls.h"

/* One or more cnet_tls_certificate and every string they point to, in
 * one allocation of blocks freed at once. */
typedef struct cnet__tls_certs cnet__tls_certs;

/* cert as Node's object (0 and *out, or CNET_ENOMEM, or CNET_E2BIG for
 * a certificate past the limits below). detailed: each
 * issuer_certificate too, found first among chain (the certificates
 * the peer sent), then in store (the trusted ones), as Node's. */
int cnet__tls_certs_make(X509 *cert, STACK_OF(X509) *chain, X509_STORE *store,
                         bool detailed, cnet__tls_certs **out);
const cnet_tls_certificate *cnet__tls_certs_first(const cnet__tls_certs *certs);
void cnet__tls_certs_free(cnet__tls_certs *certs);

/* Subject alternative names as Node prints them, ", " between them,
 * names that could be misread JSON-quoted; NULL when there are none or
 * on ENOMEM (malloc'd: the caller frees). */
char *cnet__tls_alt_names(X509 *cert);

/* What one peer's certificate may hold; past it the getter fails with
 * CNET_E2BIG (the handshake's whole certificate list is at most 100 KiB,
 * OpenSSL's max_cert_list, so these are never near a real one). */
#define CNET__CERT_NAME_ENTRIES_MAX 64  /* attributes of a subject or issuer */
#define CNET__CERT_ALT_NAMES_MAX 1024   /* subject alternative names */
#define CNET__CERT_LIST_MAX 64          /* infoAccess, ext_key_usage entries */
#define CNET__CERT_CHAIN_MAX 10         /* issuer_certificate links */

#endif
