/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* The worker thread pool: blocking work (getaddrinfo, disk I/O) runs on a
 * few shared threads and its completion comes back to the loop that asked
 * for it, on that loop's thread. Requests are embedded by the caller: the
 * pool allocates nothing per request.
 *
 *   struct my_req { cnet__work work; int fd; ssize_t result; };
 *   static void do_read(cnet__work *w) {        // on a pool thread
 *     struct my_req *r = CNET__CONTAINER_OF(w, struct my_req, work);
 *     r->result = read(r->fd, ...);
 *   }
 *   static void read_done(cnet__work *w, int status) {  // on the loop
 *     ... status is 0, or CNET_ECANCELED if cnet__work_cancel won ...
 *   }
 *   cnet__work_submit(loop, &req->work, do_read, read_done);
 *
 * The pool has CNET_THREADPOOL_SIZE threads (default 4, at most 1024, as
 * libuv's UV_THREADPOOL_SIZE), created on the first submit; shared queues,
 * first in first out, feed them all. Several loops on several threads may
 * share it. */
#ifndef CNET_THREADPOOL_H
#define CNET_THREADPOOL_H

#include "handle.h"

typedef struct cnet__work cnet__work;
struct cnet__wq; /* a loop's completion queue (threadpool.c) */

struct cnet__work {
  /* private: threadpool.c's */
  cnet__work *next; /* the pool's queue, then the loop's completion queue */
  cnet__work *prev;
  struct cnet__wq *wq;
  void (*work)(cnet__work *w);
  void (*done)(cnet__work *w, int status);
  int status;
  int state;
  int kind;
};

/* What a request does, for the pool's fairness: CNET__WORK_FAST for work
 * that ends on its own (disk I/O, computation), CNET__WORK_SLOW for work
 * that may wait on the network for seconds (getaddrinfo). Slow work never
 * occupies more than half the threads (rounded up), so that file streams
 * keep moving while lookups wait for an unreachable DNS server. */
enum { CNET__WORK_FAST = 0, CNET__WORK_SLOW = 1 };

/* Queues w: work(w) runs on a pool thread, then done(w, 0) on the loop's
 * thread, in the poll phase of a later turn. Call it on the loop's thread.
 * Until done has been called, w belongs to the pool and keeps the loop
 * alive (cnet_loop_run does not return, cnet_loop_close reports an open
 * handle); from inside done, w may be submitted again or freed. Returns 0,
 * or CNET_EINVAL (NULL argument), CNET_EAGAIN (no thread could be created),
 * CNET_ENOMEM, CNET_ECANCELED (the process is exiting); done is then never
 * called. */
int cnet__work_submit(cnet_loop *loop, cnet__work *w,
                      void (*work)(cnet__work *w),
                      void (*done)(cnet__work *w, int status));
/* The same for the given kind (cnet__work_submit is CNET__WORK_FAST).
 * Within a kind, requests start in the order they were submitted; fast
 * ones go before slow ones. */
int cnet__work_submit_kind(cnet_loop *loop, cnet__work *w, int kind,
                           void (*work)(cnet__work *w),
                           void (*done)(cnet__work *w, int status));

/* Takes w off the queue if no thread has started it yet: returns 0, work
 * never runs and done(w, CNET_ECANCELED) is called on a later turn, never
 * from inside this call. Returns CNET_EBUSY when work is running or has
 * run (done will come with status 0), CNET_EALREADY when it was already
 * cancelled, CNET_EINVAL when w is not pending.
 * On the loop's thread. */
int cnet__work_cancel(cnet__work *w);

/* The number of pool threads, starting them if they are not yet running
 * (0 if none could be started). Tests use it to occupy every thread. */
unsigned cnet__threadpool_size(void);

/* How a CNET_THREADPOOL_SIZE value is read: NULL gives 4; a number is
 * clamped to 1..1024; anything else (or 0) gives 1, as libuv reads its
 * variable with atoi. */
unsigned cnet__threadpool_parse_size(const char *value);

#endif
