/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* The bottom of the loop layer: the loop's state, the handle base every
 * cnet object starts with, the flags that keep a loop alive, the queues of
 * deferred callbacks (next tick, pending) and the loop's clock. handle.c
 * implements it and calls nothing above it; timers, the poller and the
 * loop's turn (loop.c) build on it. */
#ifndef CNET_HANDLE_H
#define CNET_HANDLE_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cnet.h"
#include "emitter.h"
#include "errors.h"

#define CNET__CONTAINER_OF(ptr, type, member) \
  ((type *)((char *)(ptr) - offsetof(type, member)))

/* Flag bits shared by every kind of handle. A handle holds the loop alive
 * exactly while it is both ACTIVE and REF; loop->active_refs counts those. */
enum {
  CNET__F_ACTIVE = 1u << 0,
  CNET__F_REF = 1u << 1,
  CNET__F_INIT = 1u << 2,
  CNET__F_CLOSING = 1u << 3,
  CNET__F_CLOSED = 1u << 4,
  CNET__F_IN_RUN = 1u << 5, /* immediates: in the batch being run */
  CNET__F_FIRST_FREE = 1u << 7
};

/* A deferred callback: next-tick queue, pending queue, posts. */
typedef struct cnet__cb {
  struct cnet__cb *next;
  void (*fn)(void *arg);
  void *arg;
  bool pooled; /* returned to the loop's free list after it runs */
} cnet__cb;

typedef struct cnet__cbq {
  cnet__cb *head;
  cnet__cb *tail;
} cnet__cbq;

static inline void cnet__cbq_push(cnet__cbq *q, cnet__cb *node) {
  node->next = NULL;
  if (q->tail)
    q->tail->next = node;
  else
    q->head = node;
  q->tail = node;
}

static inline cnet__cb *cnet__cbq_pop(cnet__cbq *q) {
  cnet__cb *node = q->head;
  if (node) {
    q->head = node->next;
    if (!q->head) q->tail = NULL;
  }
  return node;
}

/* The base of every library-allocated cnet object (sockets, servers, UDP
 * sockets, streams): the emitter first, so that cnet_on works on any of
 * them, then the loop's bookkeeping. Closing is two-phase: close stops I/O
 * at once, the close callback (which emits 'close' and frees) runs in the
 * loop's close phase, so nothing is freed under a running callback. */
struct cnet__handle {
  cnet_emitter em;    /* em.ops: the type's name and close step too;
                       * em.reserved_: the CNET__F_* flags */
  cnet_loop *loop;
  cnet__handle *next; /* on loop->handles, or on loop->closing from close */
  cnet__handle *prev; /* to the close phase: walk, reports, close order */
};
/* The handle's CNET__F_* flags, kept in the emitter's spare bits: an idle
 * connection pays for every byte of its handle. */
#define CNET__H_FLAGS(h) ((h)->em.reserved_)

/* A file descriptor the poller watches for its owner. */
typedef struct cnet__io cnet__io;
struct cnet__io {
  int fd;
  uint16_t events;     /* what the owner wants             */
  uint16_t registered; /* the backend's: what it has, etc. */
  void (*cb)(cnet_loop *loop, cnet__io *io, uint32_t revents);
};

struct cnet_loop {
  uint64_t now;
  uint64_t timer_seq;
  unsigned active_refs;
  bool stop_flag;
  bool running;

  /* Timers: a binary min-heap on (due, seq). */
  cnet_timer **heap;
  uint32_t heap_len;
  uint32_t heap_cap;

  /* Immediates: the batch being run this turn, and the queue for the next. */
  cnet_immediate *im_run_head, *im_run_tail;
  cnet_immediate *im_head, *im_tail;
  unsigned im_refs; /* queued ref'd immediates: the poll must not wait */

  cnet__cbq ticks;
  cnet__cbq pending;
  cnet__cbq before_wait; /* output coalesced during the turn, to flush */
  cnet__cbq checks;      /* the check phase's own, before the immediates */
  cnet__cb *cb_free; /* pool for cnet_next_tick */

  cnet__handle handles;   /* sentinels of the open handles and of those */
  cnet__handle closing;   /* waiting for the close phase (newest first) */
  cnet_async *asyncs;
  cnet_poll *polls;
  struct cnet__signals *signals; /* signals.c's: from the first watcher */

  /* Cross-thread: posts under a mutex, asyncs flagged atomically; both
   * wake the loop through one eventfd. */
  pthread_mutex_t post_mu;
  cnet__cbq posts;
  int wake_fd;
  struct cnet__io wake_io;
  atomic_int wake_pending;

  void *poller; /* the backend's state */
  void *data;

  /* Every socket reads into this one buffer and emits from it: no
   * per-connection read buffer. Allocated on first use. */
  char *rbuf;
  size_t rbuf_size;
  /* A record layer's (TLS's) plaintext, decrypted from rbuf and emitted
   * from here: the second and last read buffer. Allocated on first use,
   * CNET__READ_BUFFER bytes. */
  char *rbuf2;
  /* A record layer's ciphertext, gathered to leave in one send: the
   * records of one read's answers, or of one write of many chunks.
   * CNET__GATHER bytes, allocated on first use; one socket at a time
   * gathers (wbuf_owner), wbuf_len bytes so far. */
  char *wbuf;
  size_t wbuf_len;
  void *wbuf_owner;
};

#define CNET__READ_BUFFER (64 * 1024)
#define CNET__GATHER (2 * CNET__READ_BUFFER) /* a full read's records, and more */
/* The loop's read buffer (NULL when out of memory). */
char *cnet__loop_rbuf_alloc(cnet_loop *loop);
static inline char *cnet__loop_rbuf(cnet_loop *loop) {
  return loop->rbuf ? loop->rbuf : cnet__loop_rbuf_alloc(loop);
}
/* The loop's plaintext buffer, CNET__READ_BUFFER bytes (NULL when out of
 * memory). */
char *cnet__loop_rbuf2(cnet_loop *loop);
/* The loop's gather buffer, CNET__GATHER bytes (NULL when out of memory). */
char *cnet__loop_wbuf(cnet_loop *loop);

/* ---- time -------------------------------------------------------------- */

uint64_t cnet__hrtime_ms(void);
/* The loop's cached time, read from the clock (cnet_loop_update_time). */
static inline void cnet__update_time(cnet_loop *loop) {
  loop->now = cnet__hrtime_ms();
}

/* ---- handles --------------------------------------------------------- */

void cnet__flags_update(cnet_loop *loop, uint16_t *flags, unsigned set,
                        unsigned clear);
/* ops gives the type's name and the step the close phase runs. */
/* Takes a handle that never ran (a constructor that failed half way)
 * or one past its close phase off the loop and disposes of its emitter:
 * its memory is the caller's to free. */
void cnet__handle_discard(cnet__handle *h);
/* 0, or CNET_ENOMEM with nothing linked (the caller frees h). */
int cnet__handle_init(cnet_loop *loop, cnet__handle *h,
                      const struct cnet__emitter_ops *ops);
/* Puts a closed handle back on its loop (a socket connecting again). */
void cnet__handle_reopen(cnet__handle *h);
void cnet__handle_start(cnet__handle *h);
void cnet__handle_stop(cnet__handle *h);
void cnet__handle_ref(cnet__handle *h);
void cnet__handle_unref(cnet__handle *h);
/* Queues h for the close phase; its ops->closed runs there, once. */
void cnet__handle_close(cnet__handle *h);

static inline bool cnet__closing_any(const cnet_loop *loop) {
  return loop->closing.next != &loop->closing;
}
/* The close phase: runs ops->closed of the handles closed before it. */
void cnet__run_closing(cnet_loop *loop);

/* ---- deferred callbacks ------------------------------------------------ */

/* Called after every callback the loop makes into user code. */
void cnet__run_ticks_queued(cnet_loop *loop);
static inline void cnet__run_ticks(cnet_loop *loop) {
  if (loop->ticks.head) cnet__run_ticks_queued(loop);
}
/* Runs node->fn(node->arg) after the current callback (embedded node: it
 * must not be queued twice). */
void cnet__tick(cnet_loop *loop, cnet__cb *node);
/* Runs node->fn(node->arg) in the next turn's pending phase. */
void cnet__defer(cnet_loop *loop, cnet__cb *node);
/* The pending phase: false when nothing was pending. */
bool cnet__run_pending(cnet_loop *loop);
/* Runs node->fn(node->arg) once the turn's callbacks are done, just
 * before the loop next waits for I/O or cnet_loop_run returns (Redis's
 * beforeSleep): streams that coalesce their writes flush them there, one
 * system call for all the writes of a turn. Embedded node: queue it at
 * most once. */
void cnet__before_wait(cnet_loop *loop, cnet__cb *node);
/* The before-wait phase: what was queued before it, each followed by its
 * ticks. */
void cnet__run_before_wait(cnet_loop *loop);
/* Runs node->fn(node->arg) in this turn's check phase, before the
 * immediates: Node's native immediates (a TLS write the kernel took at
 * once completes there). One queued while the phase runs runs in it too.
 * Embedded node: queue it at most once. */
void cnet__check(cnet_loop *loop, cnet__cb *node);
/* The check phase's own callbacks, each followed by its ticks. */
void cnet__run_checks(cnet_loop *loop);

#endif
