/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* tls13: S10's TLS client (loadgen --tls-client tls13), the least a TLS 1.3
 * client can be, on OpenSSL's libcrypto.
 *
 * S10 measures how many full TLS 1.3 handshakes a server completes per
 * second, the load generator on one core and the server on the other. A
 * library's client handshake costs more than a server's: OpenSSL 3.0's
 * about 510 us on this kind of machine, a third of it decoding the
 * server's certificate (3.0 builds a decoder for every key it reads),
 * wolfSSL's about 350 us (its X25519 and P-256 are generic C in Debian's
 * build), where the servers spend about 310 us. With either, the client's
 * core is full first and every server shows the client's rate.
 *
 * This client does a full handshake's cryptography and checks: an X25519
 * key share made for each connection, the server's CertificateVerify
 * signature (ECDSA P-256 with SHA-256) over the transcript, and its
 * Finished; then AES-128-GCM records. What it leaves out is what a
 * measure of servers does not need: one cipher suite, one group, one
 * signature scheme, no resumption (tickets are read and dropped), no
 * client certificate, no KeyUpdate, no chain validation (the same as
 * loadgen's OpenSSL client: the chain is taken as it comes). The
 * certificate's key is decoded once per run and kept while the
 * certificate's bytes stay the same; the signature, over each handshake's
 * own transcript, is checked every time.
 *
 * A server that sends anything else (another suite, a
 * HelloRetryRequest, a bad signature or Finished, an alert) fails the
 * connection with what it was. The calls are non-blocking on a connecting
 * or connected socket, and say "wait" only after the socket said EAGAIN,
 * so that an edge-triggered epoll wakes them again. */
#ifndef LOADGEN_TLS13_H
#define LOADGEN_TLS13_H

#include <stddef.h>
#include <sys/types.h>

typedef struct tls13 tls13;

/* Results below 1 of tls13_handshake, _read and _write. */
enum { TLS13_WAIT = 0, TLS13_CLOSED = -1, TLS13_ERROR = -2 };

/* Once per process. Returns 0, or -1 with the reason in *why. */
int tls13_init(const char **why);
/* NULL when out of memory. */
tls13 *tls13_new(int fd);
void tls13_free(tls13 *t);

/* 1 when the handshake is done, else one of the results above. */
int tls13_handshake(tls13 *t);
/* Bytes taken or read, else one of the results above. A write is taken
 * whole; what the socket cannot take yet is sent by the next call. */
ssize_t tls13_write(tls13 *t, const void *buf, size_t len);
ssize_t tls13_read(tls13 *t, void *buf, size_t len);

/* What the last TLS13_ERROR was. */
const char *tls13_error(const tls13 *t);

#endif
