/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* cnet base: the types every part of cnet shares.
 *
 *   cnet_error     an error with Node's code, message, syscall, address
 *                  (from errors.h, included here)
 *   cnet_address   Node's address() object
 *   cnet_callback  the one callback type of every completion: end(),
 *                  write(), close(), connect(), bind(), send(), ...
 *
 * The rules every public call follows are in docs/conventions.md. */
#ifndef CNET_BASE_H
#define CNET_BASE_H

#include "errors.h"

#ifdef __cplusplus
extern "C" {
#endif

#define CNET_ADDRESS_MAX 108 /* an IPv6 address with zone, or a Unix path */

/* Node's address() object: {address, family, port}. For a Unix socket,
 * address is the path, family is NULL and port 0. */
typedef struct cnet_address {
  char address[CNET_ADDRESS_MAX];
  const char *family; /* "IPv4" or "IPv6" */
  int port;
} cnet_address;

/* The callback of every operation that completes later. object is the
 * object the call was made on (a socket, a server, a UDP socket, a
 * stream); err is NULL on success, else the error (valid during the call
 * only). A callback never runs from inside the call that was given it. */
typedef void (*cnet_callback)(void *object, const cnet_error *err, void *arg);

#ifdef __cplusplus
}
#endif
#endif
