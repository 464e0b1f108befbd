/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* Node's dns.lookup(): IP literals and empty names answered on the next
 * tick, every other name by getaddrinfo on the worker pool, with Node's
 * result ordering and its error codes and messages. Each lookup is one
 * heap "job" that outlives the caller's req if the lookup is cancelled. */
#include "errors.h"
#include "threadpool.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

typedef struct lookup_job {
  cnet__work work;
  cnet_lookup_req *req; /* NULL once cancelled: the answer is dropped */
  cnet_lookup_cb cb;
  void *arg;
  int family;
  int hints;
  cnet_dns_order order; /* never DEFAULT: resolved when the lookup starts */
  bool all;
  bool on_tick; /* answered by a tick, not by the pool */
  /* The answer. Written by the worker (status, addrs, count), read on the
   * loop only after the pool hands the job back. */
  int status;
  cnet_lookup_address *addrs; /* heap; points into itself for the text */
  size_t count;
  cnet_lookup_address one; /* the answer of the synchronous paths */
  char hostname[];
} lookup_job;

static _Atomic int default_order = CNET_DNS_ORDER_VERBATIM;
static atomic_flag warned_empty = ATOMIC_FLAG_INIT;

int cnet_dns_set_default_result_order(const char *order) {
  int o;
  if (!order)
    return cnet__fail(CNET_ERR_INVALID_ARG_VALUE, NULL);
  else if (strcmp(order, "verbatim") == 0)
    o = CNET_DNS_ORDER_VERBATIM;
  else if (strcmp(order, "ipv4first") == 0)
    o = CNET_DNS_ORDER_IPV4FIRST;
  else if (strcmp(order, "ipv6first") == 0)
    o = CNET_DNS_ORDER_IPV6FIRST;
  else
    return cnet__fail(CNET_ERR_INVALID_ARG_VALUE, NULL);
  atomic_store(&default_order, o);
  return 0;
}

const char *cnet_dns_get_default_result_order(void) {
  switch (atomic_load(&default_order)) {
    case CNET_DNS_ORDER_IPV4FIRST: return "ipv4first";
    case CNET_DNS_ORDER_IPV6FIRST: return "ipv6first";
    default: return "verbatim";
  }
}

/* ---- on a worker thread ------------------------------------------------- */

/* Appends the addresses of res of the given family (AF_UNSPEC: both) in
 * getaddrinfo's order, as text, as Node's AfterGetAddrInfo does; the scope
 * id of an IPv6 address is not part of the text, as in Node. */
static void collect(lookup_job *job, const struct addrinfo *res, int family,
                    char *text) {
  for (const struct addrinfo *p = res; p; p = p->ai_next) {
    const void *bin;
    if (p->ai_family == AF_INET && family != AF_INET6)
      bin = &((const struct sockaddr_in *)(const void *)p->ai_addr)->sin_addr;
    else if (p->ai_family == AF_INET6 && family != AF_INET)
      bin = &((const struct sockaddr_in6 *)(const void *)p->ai_addr)->sin6_addr;
    else
      continue;
    char *dst = text + job->count * INET6_ADDRSTRLEN;
    if (!inet_ntop(p->ai_family, bin, dst, INET6_ADDRSTRLEN)) continue;
    job->addrs[job->count].address = dst;
    job->addrs[job->count].family = p->ai_family == AF_INET ? 4 : 6;
    job->count++;
  }
}

static void lookup_work(cnet__work *w) {
  lookup_job *job = CNET__CONTAINER_OF(w, lookup_job, work);
  struct addrinfo hints;
  memset(&hints, 0, sizeof hints);
  hints.ai_family = job->family == 4   ? AF_INET
                    : job->family == 6 ? AF_INET6
                                       : AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = job->hints;
  struct addrinfo *res = NULL;
  int r = getaddrinfo(job->hostname, NULL, &hints, &res);
  if (r != 0) {
    job->status = cnet_eai_error(r); /* reads errno for EAI_SYSTEM */
    return;
  }
  size_t n = 0;
  for (const struct addrinfo *p = res; p; p = p->ai_next)
    if (p->ai_family == AF_INET || p->ai_family == AF_INET6) n++;
  /* One block: the array, then the text of each address. */
  job->addrs = n ? malloc(n * (sizeof *job->addrs + INET6_ADDRSTRLEN)) : NULL;
  if (n && !job->addrs) {
    freeaddrinfo(res);
    job->status = CNET_ENOMEM;
    return;
  }
  char *text = (char *)(job->addrs + n);
  switch (job->order) {
    case CNET_DNS_ORDER_IPV4FIRST:
      collect(job, res, AF_INET, text);
      collect(job, res, AF_INET6, text);
      break;
    case CNET_DNS_ORDER_IPV6FIRST:
      collect(job, res, AF_INET6, text);
      collect(job, res, AF_INET, text);
      break;
    default:
      collect(job, res, AF_UNSPEC, text);
      break;
  }
  freeaddrinfo(res);
  /* Node turns "no address" into EAI_NODATA, which it reports as
   * ENOTFOUND. */
  if (job->count == 0) job->status = CNET_ENOTFOUND;
}

/* ---- on the loop -------------------------------------------------------- */

static void deliver(lookup_job *job) {
  cnet_lookup_req *req = job->req;
  if (!req) return; /* cancelled */
  job->req = NULL;
  req->job_ = NULL;
  if (job->status != 0) {
    cnet_error err;
    cnet_error_syscall(&err, job->status, "getaddrinfo", job->hostname, 0);
    /* err.address may have cut a long name short; Node's message has it
     * whole. */
    snprintf(err.message, sizeof err.message, "getaddrinfo %s %s",
             cnet_err_name(job->status), job->hostname);
    job->cb(req, &err, NULL, 0, job->arg);
    return;
  }
  size_t count = job->all ? job->count : job->count > 0;
  job->cb(req, NULL, job->addrs, count, job->arg);
}

static void lookup_done(cnet__work *w, int status) {
  lookup_job *job = CNET__CONTAINER_OF(w, lookup_job, work);
  /* A pool-level cancel only comes from cnet_lookup_cancel, which has
   * already detached req. */
  if (status != 0) job->status = status;
  deliver(job);
  free(job->addrs);
  free(job);
}

static void literal_done(void *arg) {
  lookup_job *job = arg;
  deliver(job);
  free(job);
}

static void warn_empty_hostname(const char *hostname) {
  if (atomic_flag_test_and_set(&warned_empty)) return;
  fprintf(stderr,
          "(cnet:%d) [DEP0118] DeprecationWarning: The provided hostname "
          "\"%s\" is not a valid hostname, and is supported in the dns "
          "module solely for compatibility.\n",
          (int)getpid(), hostname ? hostname : "null");
}

int cnet_lookup(cnet_loop *loop, cnet_lookup_req *req, const char *hostname,
                const cnet_lookup_options *opts, cnet_lookup_cb cb,
                void *arg) {
  static const cnet_lookup_options defaults;
  if (!loop || !req || !cb) return cnet__fail(CNET_EINVAL, NULL);
  if (!opts) opts = &defaults;
  if (opts->family != 0 && opts->family != 4 && opts->family != 6)
    return cnet__fail(CNET_ERR_INVALID_ARG_VALUE, NULL);
  if (opts->hints & ~(CNET_DNS_ADDRCONFIG | CNET_DNS_V4MAPPED | CNET_DNS_ALL))
    return cnet__fail(CNET_ERR_INVALID_ARG_VALUE, NULL);
  if ((int)opts->order < CNET_DNS_ORDER_DEFAULT ||
      (int)opts->order > CNET_DNS_ORDER_IPV6FIRST)
    return cnet__fail(CNET_ERR_INVALID_ARG_VALUE, NULL);

  size_t len = hostname ? strlen(hostname) : 0;
  lookup_job *job = malloc(sizeof *job + len + 1);
  if (!job) return cnet__fail(CNET_ENOMEM, NULL);
  memset(job, 0, sizeof *job);
  memcpy(job->hostname, hostname ? hostname : "", len + 1);
  job->req = req;
  job->cb = cb;
  job->arg = arg;
  job->family = opts->family;
  job->hints = opts->hints;
  job->all = opts->all;
  job->order = opts->order != CNET_DNS_ORDER_DEFAULT
                   ? opts->order
                   : (cnet_dns_order)atomic_load(&default_order);

  int r, literal = len ? cnet_is_ip(job->hostname) : 0;
  if (len == 0 || literal) {
    /* Node answers these without a thread, on the next tick. */
    if (len == 0) warn_empty_hostname(hostname);
    job->one.address = job->hostname;
    job->one.family = literal ? literal : job->family == 6 ? 6 : 4;
    job->addrs = &job->one;
    job->count = (len == 0 && job->all) ? 0 : 1;
    job->on_tick = true;
    r = cnet_next_tick(loop, literal_done, job);
  } else {
    r = cnet__work_submit_kind(loop, &job->work, CNET__WORK_SLOW, lookup_work,
                               lookup_done);
  }
  if (r != 0) {
    free(job);
    return r;
  }
  req->loop = loop;
  req->job_ = job;
  return 0;
}

int cnet_lookup_cancel(cnet_lookup_req *req) {
  if (!req || !req->job_) return cnet__fail(CNET_EINVAL, NULL);
  lookup_job *job = req->job_;
  if (job->req != req) return cnet__fail(CNET_EINVAL, NULL);
  job->req = NULL;
  req->job_ = NULL;
  /* Not started: its thread is not wasted. Started: it runs to the end
   * and lookup_done drops the answer. Answered by a tick: the tick frees
   * the job. */
  if (!job->on_tick) cnet__work_cancel(&job->work);
  return 0;
}
