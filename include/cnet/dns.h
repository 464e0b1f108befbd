/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* cnet dns: Node's dns.lookup(), the name resolution that net.connect and
 * dgram's send use. Names are resolved with the system's getaddrinfo (so
 * /etc/hosts and nsswitch apply, as in Node) on cnet's worker threads,
 * never on the loop; the callback runs on the loop's thread. Reference:
 * docs/dns.md.
 *
 *   static void on_lookup(cnet_lookup_req *req, const cnet_error *err,
 *                         const cnet_lookup_address *addrs, size_t count,
 *                         void *arg) {
 *     if (err) { fprintf(stderr, "%s\n", err->message); return; }
 *     printf("%s family %d\n", addrs[0].address, addrs[0].family);
 *   }
 *   cnet_lookup_req req;  // yours; keep it until the callback has run
 *   cnet_lookup(loop, &req, "localhost", NULL, on_lookup, NULL);
 */
#ifndef CNET_DNS_H
#define CNET_DNS_H

#include <stdbool.h>
#include <stddef.h>
#include <netdb.h>

#include "cnet/errors.h"
#include "cnet/loop.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Node's dns.ADDRCONFIG, dns.V4MAPPED and dns.ALL: getaddrinfo's flags,
 * the only ones options.hints may hold. */
#define CNET_DNS_ADDRCONFIG AI_ADDRCONFIG
#define CNET_DNS_V4MAPPED AI_V4MAPPED
#define CNET_DNS_ALL AI_ALL

/* The order of the addresses (Node's `order` option; its `verbatim: true`
 * is CNET_DNS_ORDER_VERBATIM and `verbatim: false` is
 * CNET_DNS_ORDER_IPV4FIRST). */
typedef enum cnet_dns_order {
  CNET_DNS_ORDER_DEFAULT = 0, /* the process default, see below          */
  CNET_DNS_ORDER_VERBATIM,    /* as getaddrinfo gave them                */
  CNET_DNS_ORDER_IPV4FIRST,   /* IPv4 addresses first, otherwise as given */
  CNET_DNS_ORDER_IPV6FIRST    /* IPv6 addresses first, otherwise as given */
} cnet_dns_order;

/* dns.lookup()'s options. NULL, or a zeroed struct, gives Node's defaults:
 * { family: 0, hints: 0, all: false, order: the process default }. */
typedef struct cnet_lookup_options {
  int family;           /* 0 (either), 4 or 6                           */
  int hints;            /* 0 or CNET_DNS_ADDRCONFIG|V4MAPPED|ALL bits   */
  bool all;             /* every address, not only the first            */
  cnet_dns_order order;
} cnet_lookup_options;

/* One address of a result, as Node's { address, family } objects. */
typedef struct cnet_lookup_address {
  const char *address; /* "127.0.0.1", "::1"; "" stands for Node's null */
  int family;          /* 4 or 6                                        */
} cnet_lookup_address;

typedef struct cnet_lookup_req cnet_lookup_req;

/* The outcome of a lookup, on the loop's thread, on a later tick:
 *   - success: err is NULL; with all false, count is 1 and addrs[0] is
 *     Node's (address, family); with all true, addrs[0..count-1] is Node's
 *     array (count 0 only for an empty hostname);
 *   - failure: err is Node's error, addrs NULL and count 0: err->code
 *     CNET_ENOTFOUND (or CNET_EAI_AGAIN, ...), err->syscall "getaddrinfo",
 *     err->address the hostname (Node's err.hostname), err->message
 *     "getaddrinfo ENOTFOUND nosuchhost.invalid".
 * err and addrs are valid until the callback returns. req is idle again
 * when it is called: the callback may start a new lookup with it, or free
 * it. */
typedef void (*cnet_lookup_cb)(cnet_lookup_req *req, const cnet_error *err,
                               const cnet_lookup_address *addrs, size_t count,
                               void *arg);

/* A lookup in flight. Yours to allocate and embed (no initialisation
 * needed); it must stay valid until its callback has run or the lookup is
 * cancelled. */
struct cnet_lookup_req {
  /* public */
  void *data;
  /* read-only */
  cnet_loop *loop;
  /* private */
  void *job_;
};

/* Node's dns.lookup(hostname, options, callback): resolves hostname and
 * calls cb(req, ...) once, on a later tick, never from inside this call.
 * As in Node:
 *   - an IP address (cnet_is_ip() non-zero) is its own answer, whatever
 *     family and hints say; no thread is involved and cb runs on the next
 *     tick (cnet_next_tick), in order with other ticks;
 *   - an empty hostname (or NULL) answers "" (Node's null) with family 4,
 *     or 6 when options->family is 6, or no addresses at all when
 *     options->all; Node's DEP0118 deprecation warning is printed to
 *     stderr, once per process;
 *   - any other name goes to getaddrinfo on a worker thread, with the
 *     family (AF_UNSPEC, AF_INET or AF_INET6), SOCK_STREAM and the hints
 *     as flags; an empty answer is CNET_ENOTFOUND.
 * Returns 0, or, without calling cb: CNET_EINVAL (loop, req or cb NULL),
 * CNET_ERR_INVALID_ARG_VALUE (family not 0, 4 or 6; hints with other
 * bits; order not one of the enum), CNET_ENOMEM. */
int cnet_lookup(cnet_loop *loop, cnet_lookup_req *req, const char *hostname,
                const cnet_lookup_options *opts, cnet_lookup_cb cb,
                void *arg);

/* Abandons a lookup: its callback will not be called, and req may be
 * reused or freed as soon as this returns. A lookup that no worker has
 * started is dropped; a getaddrinfo already running cannot be interrupted,
 * so it finishes in the background (keeping the loop alive until then, as
 * in Node) and its answer is thrown away. Returns 0, or CNET_EINVAL when
 * req has no lookup in flight (its callback already ran). On the loop's
 * thread. */
int cnet_lookup_cancel(cnet_lookup_req *req);

/* Node's dns.setDefaultResultOrder(order) / getDefaultResultOrder(): the
 * order used when options->order is CNET_DNS_ORDER_DEFAULT, for the whole
 * process. "verbatim" (Node 20's default), "ipv4first" or "ipv6first";
 * anything else returns CNET_ERR_INVALID_ARG_VALUE. */
int cnet_dns_set_default_result_order(const char *order);
const char *cnet_dns_get_default_result_order(void);

#ifdef __cplusplus
}
#endif
#endif
