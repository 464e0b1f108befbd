/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* The worker thread pool (see threadpool.h): the threads and their two
 * queues (fast work, and slow work that may wait on the network), and for
 * each loop with work outstanding a completion queue that
 * the threads fill and the loop drains, woken by one cnet_async. Nothing
 * is allocated per request: requests are linked through their own fields,
 * and a loop's completion queue is kept only while it has work
 * outstanding, then recycled. */
#include "threadpool.h"

#include <signal.h>
#include <stdint.h>
#include <stdlib.h>

#define DEFAULT_THREADS 4
#define MAX_THREADS 1024

/* A request's state. The values are unlikely in garbage memory, so that
 * cancelling a request that was never submitted is usually caught. */
enum {
  W_IDLE = 0,
  W_QUEUED = 0x5eed01,
  W_RUNNING, /* taken by a thread; stays so until done is called */
  W_CANCELED /* taken off the queue by cnet__work_cancel */
};

/* One loop's completion queue. A loop has one while it has requests whose
 * done has not run; the pool thread that finishes a request appends it
 * and sends the async; the loop's thread drains the queue in the async's
 * callback. The async is unref'd: each request holds the loop alive by
 * itself (loop->active_refs), so the loop lives exactly as long as work is
 * outstanding. */
struct cnet__wq {
  struct cnet__wq *next; /* `loops` or `spare`, under pool.mu */
  cnet_loop *loop;
  cnet_async async;
  pthread_mutex_t mu; /* guards done_head/done_tail */
  cnet__work *done_head;
  cnet__work *done_tail;
  unsigned outstanding; /* submitted, done not yet called; loop thread only */
};

struct wlist {
  cnet__work *head; /* oldest first */
  cnet__work *tail;
};

static struct {
  pthread_mutex_t mu; /* guards everything here and w->state */
  pthread_cond_t cond;
  struct wlist queue[2]; /* by kind: CNET__WORK_FAST, CNET__WORK_SLOW */
  unsigned idle;         /* threads waiting on cond */
  unsigned nthreads;
  /* Slow work runs on at most half the threads, so that lookups stuck on
   * an unreachable DNS server never hold up disk I/O (libuv's rule). */
  unsigned slow_running;
  unsigned slow_max;
  pthread_t *threads;
  bool *busy; /* busy[i]: thread i is running a request */
  bool stopping;
  bool atexit_done;
  struct cnet__wq *loops; /* loops with work outstanding */
  struct cnet__wq *spare; /* retired completion queues, for reuse */
} pool = {.mu = PTHREAD_MUTEX_INITIALIZER, .cond = PTHREAD_COND_INITIALIZER};

unsigned cnet__threadpool_parse_size(const char *value) {
  if (!value) return DEFAULT_THREADS;
  long n = strtol(value, NULL, 10);
  if (n < 1) return 1;
  if (n > MAX_THREADS) return MAX_THREADS;
  return (unsigned)n;
}

/* ---- the loop's side ---------------------------------------------------- */

static void retire(struct cnet__wq *wq) {
  /* No thread can still be inside wq: every request was appended under
   * wq->mu, with the async sent before unlocking, and we have taken them
   * all out under the same mutex. */
  cnet_async_close(&wq->async);
  pthread_mutex_lock(&pool.mu);
  struct cnet__wq **p = &pool.loops;
  while (*p != wq) p = &(*p)->next;
  *p = wq->next;
  wq->loop = NULL;
  wq->next = pool.spare;
  pool.spare = wq;
  pthread_mutex_unlock(&pool.mu);
}

static void on_complete(cnet_async *async, void *arg) {
  struct cnet__wq *wq = arg;
  cnet_loop *loop = wq->loop;
  pthread_mutex_lock(&wq->mu);
  cnet__work *w = wq->done_head;
  wq->done_head = wq->done_tail = NULL;
  pthread_mutex_unlock(&wq->mu);
  while (w) {
    cnet__work *next = w->next;
    void (*done)(cnet__work *, int) = w->done;
    int status = w->status;
    /* w is the caller's again: done may submit it anew or free it. */
    w->state = W_IDLE;
    w->wq = NULL;
    wq->outstanding--;
    loop->active_refs--;
    done(w, status);
    cnet__run_ticks(loop);
    w = next;
  }
  /* A done that submitted more work kept wq in use. */
  if (wq->outstanding == 0) retire(wq);
}

/* The completion queue of loop, made if it has none (pool.mu held). */
static struct cnet__wq *wq_get(cnet_loop *loop, int *err) {
  struct cnet__wq *wq;
  for (wq = pool.loops; wq; wq = wq->next)
    if (wq->loop == loop) return wq;
  if ((wq = pool.spare)) {
    pool.spare = wq->next;
  } else {
    wq = calloc(1, sizeof *wq);
    if (!wq) {
      *err = CNET_ENOMEM;
      return NULL;
    }
    int r = pthread_mutex_init(&wq->mu, NULL);
    if (r != 0) {
      free(wq);
      *err = cnet_errno(r);
      return NULL;
    }
  }
  wq->loop = loop;
  wq->done_head = wq->done_tail = NULL;
  wq->outstanding = 0;
  cnet_async_init(loop, &wq->async, on_complete, wq);
  cnet_async_unref(&wq->async);
  wq->next = pool.loops;
  pool.loops = wq;
  return wq;
}

/* Hands w back to its loop (any thread). */
static void complete(cnet__work *w, int status) {
  struct cnet__wq *wq = w->wq;
  pthread_mutex_lock(&wq->mu);
  w->status = status;
  w->next = NULL;
  if (wq->done_tail)
    wq->done_tail->next = w;
  else
    wq->done_head = w;
  wq->done_tail = w;
  /* Sent under the lock, so that once the loop has taken w it knows this
   * thread is done with wq and with the loop (see retire). */
  cnet_async_send(&wq->async);
  pthread_mutex_unlock(&wq->mu);
}

/* ---- the threads -------------------------------------------------------- */

static void queue_unlink(cnet__work *w) {
  struct wlist *q = &pool.queue[w->kind];
  if (w->prev)
    w->prev->next = w->next;
  else
    q->head = w->next;
  if (w->next)
    w->next->prev = w->prev;
  else
    q->tail = w->prev;
  w->next = w->prev = NULL;
}

/* The request a free thread should run next, if any (pool.mu held). */
static cnet__work *queue_next(void) {
  if (pool.queue[CNET__WORK_FAST].head) return pool.queue[CNET__WORK_FAST].head;
  if (pool.slow_running < pool.slow_max) return pool.queue[CNET__WORK_SLOW].head;
  return NULL;
}

static void *worker(void *arg) {
  unsigned self = (unsigned)(uintptr_t)arg;
  cnet__work *w;
  pthread_mutex_lock(&pool.mu);
  for (;;) {
    while (!(w = queue_next()) && !pool.stopping) {
      pool.idle++;
      pthread_cond_wait(&pool.cond, &pool.mu);
      pool.idle--;
    }
    if (pool.stopping) break;
    queue_unlink(w);
    int kind = w->kind;
    if (kind == CNET__WORK_SLOW) pool.slow_running++;
    w->state = W_RUNNING;
    pool.busy[self] = true;
    pthread_mutex_unlock(&pool.mu);
    w->work(w);
    complete(w, 0); /* w may be gone from here on */
    pthread_mutex_lock(&pool.mu);
    pool.busy[self] = false;
    if (kind == CNET__WORK_SLOW) {
      pool.slow_running--;
      /* Slow work may have waited for this slot while threads slept. */
      if (pool.queue[CNET__WORK_SLOW].head && pool.idle)
        pthread_cond_signal(&pool.cond);
    }
  }
  pthread_mutex_unlock(&pool.mu);
  return NULL;
}

/* At exit: idle threads are woken and joined; a thread still running a
 * request (a getaddrinfo waiting for a DNS server, say) is detached rather
 * than waited for, and exits when its request returns, if the process has
 * not ended first. Requests never started are dropped. */
static void pool_shutdown(void) {
  bool detached = false, join[MAX_THREADS];
  pthread_mutex_lock(&pool.mu);
  pool.stopping = true;
  pthread_cond_broadcast(&pool.cond);
  /* Decided under the lock: a busy thread may turn idle (and exit) the
   * moment it is released. */
  for (unsigned i = 0; i < pool.nthreads; i++) {
    join[i] = !pool.busy[i];
    if (!join[i]) {
      pthread_detach(pool.threads[i]);
      detached = true;
    }
  }
  pthread_mutex_unlock(&pool.mu);
  for (unsigned i = 0; i < pool.nthreads; i++)
    if (join[i]) pthread_join(pool.threads[i], NULL);
  /* Only the loop threads could still use these (and only to submit,
   * which now fails), but the detached threads touch busy[]. */
  pthread_mutex_lock(&pool.mu);
  struct cnet__wq *wq;
  while ((wq = pool.spare)) {
    pool.spare = wq->next;
    pthread_mutex_destroy(&wq->mu);
    free(wq);
  }
  if (!detached) {
    free(pool.threads);
    free(pool.busy);
    pool.threads = NULL;
    pool.busy = NULL;
    pool.nthreads = 0;
  }
  pthread_mutex_unlock(&pool.mu);
}

/* Starts the threads (pool.mu held). */
static int pool_start(void) {
  unsigned n = cnet__threadpool_parse_size(getenv("CNET_THREADPOOL_SIZE"));
  pool.threads = calloc(n, sizeof *pool.threads);
  pool.busy = calloc(n, sizeof *pool.busy);
  if (!pool.threads || !pool.busy) {
    free(pool.threads);
    free(pool.busy);
    pool.threads = NULL;
    pool.busy = NULL;
    return CNET_ENOMEM;
  }
  /* The threads start with every signal blocked, so that signals go to
   * the program's own threads, never to one in the middle of a read. */
  sigset_t all, old;
  sigfillset(&all);
  pthread_sigmask(SIG_SETMASK, &all, &old);
  unsigned i;
  for (i = 0; i < n; i++)
    if (pthread_create(&pool.threads[i], NULL, worker, (void *)(uintptr_t)i))
      break;
  pthread_sigmask(SIG_SETMASK, &old, NULL);
  if (i == 0) {
    free(pool.threads);
    free(pool.busy);
    pool.threads = NULL;
    pool.busy = NULL;
    return CNET_EAGAIN;
  }
  pool.nthreads = i; /* fewer than asked if the system refused: go on */
  pool.slow_max = (i + 1) / 2;
  if (!pool.atexit_done) {
    pool.atexit_done = true;
    atexit(pool_shutdown);
  }
  return 0;
}

unsigned cnet__threadpool_size(void) {
  pthread_mutex_lock(&pool.mu);
  if (!pool.nthreads && !pool.stopping) pool_start();
  unsigned n = pool.nthreads;
  pthread_mutex_unlock(&pool.mu);
  return n;
}

/* ---- requests ----------------------------------------------------------- */

int cnet__work_submit(cnet_loop *loop, cnet__work *w,
                      void (*work)(cnet__work *w),
                      void (*done)(cnet__work *w, int status)) {
  return cnet__work_submit_kind(loop, w, CNET__WORK_FAST, work, done);
}

int cnet__work_submit_kind(cnet_loop *loop, cnet__work *w, int kind,
                           void (*work)(cnet__work *w),
                           void (*done)(cnet__work *w, int status)) {
  if (!loop || !w || !work || !done) return CNET_EINVAL;
  if (kind != CNET__WORK_FAST && kind != CNET__WORK_SLOW) return CNET_EINVAL;
  int r = 0;
  struct cnet__wq *wq = NULL;
  pthread_mutex_lock(&pool.mu);
  if (pool.stopping)
    r = CNET_ECANCELED;
  else if (!pool.nthreads)
    r = pool_start();
  if (r == 0) wq = wq_get(loop, &r);
  if (r != 0) {
    pthread_mutex_unlock(&pool.mu);
    return r;
  }
  w->wq = wq;
  w->work = work;
  w->done = done;
  w->status = 0;
  w->state = W_QUEUED;
  w->kind = kind;
  struct wlist *q = &pool.queue[kind];
  w->next = NULL;
  w->prev = q->tail;
  if (q->tail)
    q->tail->next = w;
  else
    q->head = w;
  q->tail = w;
  if (pool.idle && (kind == CNET__WORK_FAST || pool.slow_running < pool.slow_max))
    pthread_cond_signal(&pool.cond);
  pthread_mutex_unlock(&pool.mu);
  /* Both only ever change on the loop's thread. */
  wq->outstanding++;
  loop->active_refs++;
  return 0;
}

int cnet__work_cancel(cnet__work *w) {
  if (!w) return CNET_EINVAL;
  pthread_mutex_lock(&pool.mu);
  int state = w->state;
  if (state == W_QUEUED) {
    queue_unlink(w);
    w->state = W_CANCELED;
  }
  pthread_mutex_unlock(&pool.mu);
  switch (state) {
    case W_QUEUED:
      /* Through the completion queue like any other: done runs on a later
       * turn, in the order requests finished. */
      complete(w, CNET_ECANCELED);
      return 0;
    case W_RUNNING: return CNET_EBUSY;
    case W_CANCELED: return CNET_EALREADY;
    default: return CNET_EINVAL;
  }
}
