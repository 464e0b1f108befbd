/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* hiredis on a cnet loop: the adapter hiredis ships for libuv, libevent and
 * ae, written for cnet. Header-only (static inline, cnet's public API
 * alone), so libcnet does not depend on hiredis; include it after hiredis
 * and link with -lhiredis. Reference: docs/redis.md.
 *
 *   #include <hiredis/async.h>
 *   #include <cnet.h>
 *   #include <cnet/adapters/hiredis.h>
 *
 *   redisAsyncContext *ac = redisAsyncConnect("127.0.0.1", 6379);
 *   if (ac->err || cnet_redis_attach(loop, ac) < 0) { ... redisAsyncFree(ac); }
 *   redisAsyncSetConnectCallback(ac, on_connect);
 *   cnet_redis_set_timeout(ac, 1000);  // optional: 1 s per command
 *   redisAsyncCommand(ac, on_reply, NULL, "GET %s", "key");
 *   cnet_loop_run(loop, CNET_RUN_DEFAULT);
 */
#ifndef CNET_ADAPTERS_HIREDIS_H
#define CNET_ADAPTERS_HIREDIS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hiredis/async.h>
#include <hiredis/hiredis.h>

#include "cnet/errors.h"
#include "cnet/loop.h"

#ifdef __cplusplus
extern "C" {
#endif

/* hiredis 1.0 schedules command timeouts itself (ev.scheduleTimer); older
 * ones (Debian's 0.14) have no hook, so the adapter keeps the deadline. */
#if HIREDIS_MAJOR >= 1
#define CNET__REDIS_TIMER_HOOK 1
#else
#define CNET__REDIS_TIMER_HOOK 0
#endif

/* The first field of the adapter's data: a context's ev.data is the
 * adapter's if it starts so (the static inline hooks differ from one
 * translation unit to the next, so they cannot tell). */
#define CNET__REDIS_MAGIC 0x636e7264u

typedef struct cnet__redis {
  uint32_t magic;
  redisAsyncContext *ac; /* NULL once hiredis has let go (cleanup) */
  cnet_poll *poll;
  cnet_timer timer;
  int events;     /* CNET_READABLE / CNET_WRITABLE that hiredis asked for */
  bool in_cb;     /* inside a poll or timer callback: free at its end */
  uint64_t timeout; /* ms, 0 for none (hiredis < 1.0 only) */
} cnet__redis;

static inline void cnet__redis_poll_cb(cnet_poll *poll, int status,
                                       int events, void *arg);

static inline void cnet__redis_watch(cnet__redis *r) {
  if (r->events)
    cnet_poll_start(r->poll, r->events, cnet__redis_poll_cb, r);
  else
    cnet_poll_stop(r->poll);
}

/* A callback may have freed the context (a disconnect, a reply callback
 * calling redisAsyncFree): cleanup then left r to the callback's end. */
static inline bool cnet__redis_leave(cnet__redis *r) {
  r->in_cb = false;
  if (r->ac) return false;
  free(r);
  return true;
}

#if !CNET__REDIS_TIMER_HOOK
/* The deadline covers the oldest reply still awaited: it runs while
 * replies are pending and restarts with each command and each read. */
static inline void cnet__redis_timer_cb(cnet_timer *timer, void *arg);

static inline void cnet__redis_deadline(cnet__redis *r) {
  if (r->timeout && r->ac->replies.head)
    cnet_timer_start(&r->timer, cnet__redis_timer_cb, r, r->timeout, 0);
  else
    cnet_timer_stop(&r->timer);
}

/* What hiredis 1.0's redisAsyncHandleTimeout does: fail the pending
 * replies with REDIS_ERR_TIMEOUT and drop the connection. */
static inline void cnet__redis_timer_cb(cnet_timer *timer, void *arg) {
  (void)timer;
  cnet__redis *r = (cnet__redis *)arg;
  redisAsyncContext *ac = r->ac;
  if (!ac->replies.head) return;
  /* hiredis < 1.0 has no REDIS_ERR_TIMEOUT: an I/O error named so. */
  ac->c.err = ac->err = REDIS_ERR_IO;
  snprintf(ac->c.errstr, sizeof ac->c.errstr, "Timeout");
  ac->errstr = ac->c.errstr;
  r->in_cb = true;
  redisAsyncFree(ac);
  cnet__redis_leave(r);
}
#else
static inline void cnet__redis_timer_cb(cnet_timer *timer, void *arg) {
  (void)timer;
  cnet__redis *r = (cnet__redis *)arg;
  r->in_cb = true;
  redisAsyncHandleTimeout(r->ac);
  cnet__redis_leave(r);
}

static inline void cnet__redis_schedule(void *privdata, struct timeval tv) {
  cnet__redis *r = (cnet__redis *)privdata;
  uint64_t ms = (uint64_t)tv.tv_sec * 1000 + (uint64_t)tv.tv_usec / 1000;
  cnet_timer_start(&r->timer, cnet__redis_timer_cb, r, ms, 0);
}
#endif

/* An error (cnet stops the watch) goes to hiredis through the calls it was
 * waiting on: its own read, write or connect check finds the cause. */
static inline void cnet__redis_poll_cb(cnet_poll *poll, int status,
                                       int events, void *arg) {
  (void)poll;
  cnet__redis *r = (cnet__redis *)arg;
  if (status < 0) events = r->events;
  r->in_cb = true;
  if (events & CNET_READABLE) {
    redisAsyncHandleRead(r->ac);
#if !CNET__REDIS_TIMER_HOOK
    if (r->ac) cnet__redis_deadline(r);
#endif
  }
  if (r->ac && (events & CNET_WRITABLE)) redisAsyncHandleWrite(r->ac);
  if (cnet__redis_leave(r)) return;
  if (status < 0) cnet__redis_watch(r);
}

static inline void cnet__redis_add_read(void *privdata) {
  cnet__redis *r = (cnet__redis *)privdata;
  r->events |= CNET_READABLE;
  cnet__redis_watch(r);
}

static inline void cnet__redis_del_read(void *privdata) {
  cnet__redis *r = (cnet__redis *)privdata;
  r->events &= ~CNET_READABLE;
  cnet__redis_watch(r);
}

/* hiredis asks to write whenever a command is queued: the moment the
 * adapter's own deadline starts or restarts. */
static inline void cnet__redis_add_write(void *privdata) {
  cnet__redis *r = (cnet__redis *)privdata;
  r->events |= CNET_WRITABLE;
  cnet__redis_watch(r);
#if !CNET__REDIS_TIMER_HOOK
  if (r->timeout && !cnet_timer_is_active(&r->timer))
    cnet_timer_start(&r->timer, cnet__redis_timer_cb, r, r->timeout, 0);
#endif
}

static inline void cnet__redis_del_write(void *privdata) {
  cnet__redis *r = (cnet__redis *)privdata;
  r->events &= ~CNET_WRITABLE;
  cnet__redis_watch(r);
}

/* hiredis frees the context: the watch and the timer go with it. */
static inline void cnet__redis_cleanup(void *privdata) {
  cnet__redis *r = (cnet__redis *)privdata;
  cnet_poll_close(r->poll);
  cnet_timer_stop(&r->timer);
  r->ac->ev.data = NULL;
  r->ac = NULL;
  r->magic = 0;
  if (!r->in_cb) free(r);
}

/* Drives ac from loop: its reads, writes and timeouts run as the loop
 * turns, until hiredis frees ac (redisAsyncFree, redisAsyncDisconnect, a
 * dropped connection), which detaches it. Call it right after
 * redisAsyncConnect, on the loop's thread. Returns 0, CNET_EINVAL (a NULL
 * argument, ac failed already or is attached to an event library) or
 * CNET_ENOMEM. */
static inline int cnet_redis_attach(cnet_loop *loop, redisAsyncContext *ac) {
  if (!loop || !ac || ac->err || ac->c.fd < 0 || ac->ev.data)
    return CNET_EINVAL;
  cnet__redis *r = (cnet__redis *)calloc(1, sizeof *r);
  if (!r) return CNET_ENOMEM;
  int rc = cnet_poll_new(loop, ac->c.fd, &r->poll);
  if (rc < 0) {
    free(r);
    return rc;
  }
  cnet_timer_init(loop, &r->timer);
  r->magic = CNET__REDIS_MAGIC;
  r->ac = ac;
  ac->ev.data = r;
  ac->ev.addRead = cnet__redis_add_read;
  ac->ev.delRead = cnet__redis_del_read;
  ac->ev.addWrite = cnet__redis_add_write;
  ac->ev.delWrite = cnet__redis_del_write;
  ac->ev.cleanup = cnet__redis_cleanup;
#if CNET__REDIS_TIMER_HOOK
  ac->ev.scheduleTimer = cnet__redis_schedule;
#endif
  return 0;
}

/* Fails every command whose reply has not come within ms of the last
 * sign of life (the command sent, or a read): its callback gets a NULL
 * reply, ac->err is REDIS_ERR_TIMEOUT (REDIS_ERR_IO before hiredis 1.0)
 * and ac->errstr "Timeout", and the connection is dropped
 * (the disconnect callback runs: with REDIS_ERR, or REDIS_OK before
 * hiredis 1.0, whose only way to drop it is redisAsyncFree). 0 turns it off. hiredis 1.0's
 * redisAsyncSetTimeout, through the loop's timer; older hiredis has no
 * timeout of its own and the adapter keeps it. Returns 0, or CNET_EINVAL
 * for a context cnet_redis_attach did not attach. */
static inline int cnet_redis_set_timeout(redisAsyncContext *ac, uint64_t ms) {
  if (!ac || !ac->ev.data ||
      ((cnet__redis *)ac->ev.data)->magic != CNET__REDIS_MAGIC)
    return CNET_EINVAL;
#if CNET__REDIS_TIMER_HOOK
  struct timeval tv = {(time_t)(ms / 1000), (suseconds_t)(ms % 1000) * 1000};
  return redisAsyncSetTimeout(ac, tv) == REDIS_OK ? 0 : CNET_ENOMEM;
#else
  cnet__redis *r = (cnet__redis *)ac->ev.data;
  r->timeout = ms;
  cnet__redis_deadline(r);
  return 0;
#endif
}

#ifdef __cplusplus
}
#endif

#endif
