/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* The loop's shared primitives: the clock, the active-and-ref'd count, the
 * next-tick, pending and before-wait queues, and the lists of open and
 * closing handles. Timers, the poller and the loop's turn all use them;
 * nothing here calls back up into those. */
#include "handle.h"

#include <stdlib.h>
#include <time.h>

uint64_t cnet__hrtime_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

/* ---- reference counting ------------------------------------------------ */

void cnet__flags_update(cnet_loop *loop, uint16_t *flags, unsigned set,
                        unsigned clear) {
  const unsigned both = CNET__F_ACTIVE | CNET__F_REF;
  bool before = (*flags & both) == both;
  *flags = (uint16_t)((*flags | set) & ~clear);
  bool after = (*flags & both) == both;
  if (after && !before) loop->active_refs++;
  if (before && !after) loop->active_refs--;
}

/* ---- ticks and pending callbacks --------------------------------------- */

void cnet__tick(cnet_loop *loop, cnet__cb *node) { cnet__cbq_push(&loop->ticks, node); }
void cnet__defer(cnet_loop *loop, cnet__cb *node) { cnet__cbq_push(&loop->pending, node); }
void cnet__before_wait(cnet_loop *loop, cnet__cb *node) {
  cnet__cbq_push(&loop->before_wait, node);
}
void cnet__check(cnet_loop *loop, cnet__cb *node) { cnet__cbq_push(&loop->checks, node); }

int cnet_next_tick(cnet_loop *loop, void (*cb)(void *arg), void *arg) {
  if (!loop || !cb) return cnet__fail(CNET_EINVAL, NULL);
  cnet__cb *node = loop->cb_free;
  if (node)
    loop->cb_free = node->next;
  else if (!(node = malloc(sizeof *node)))
    return cnet__fail(CNET_ENOMEM, NULL);
  node->fn = cb;
  node->arg = arg;
  node->pooled = true;
  cnet__cbq_push(&loop->ticks, node);
  return 0;
}

static void run_node(cnet_loop *loop, cnet__cb *node) {
  void (*fn)(void *) = node->fn;
  void *arg = node->arg;
  /* Recycle first: the callback may reuse an embedded node. */
  if (node->pooled) {
    node->next = loop->cb_free;
    loop->cb_free = node;
  }
  fn(arg);
}

void cnet__run_ticks_queued(cnet_loop *loop) {
  cnet__cb *node;
  while ((node = cnet__cbq_pop(&loop->ticks))) run_node(loop, node);
}

bool cnet__run_pending(cnet_loop *loop) {
  /* Only what was queued before this phase: a callback that defers again
   * waits for the next turn, so the phase always ends. */
  cnet__cbq batch = loop->pending;
  loop->pending.head = loop->pending.tail = NULL;
  if (!batch.head) return false;
  cnet__cb *node;
  while ((node = cnet__cbq_pop(&batch))) {
    run_node(loop, node);
    cnet__run_ticks(loop);
  }
  return true;
}

void cnet__run_before_wait(cnet_loop *loop) {
  /* A flush's ticks may write again (a 'drain' listener): those writes
   * wait for the next turn's phase, and the poll between does not wait
   * (poll_timeout), so the phase always ends. */
  cnet__cbq batch = loop->before_wait;
  loop->before_wait.head = loop->before_wait.tail = NULL;
  cnet__cb *node;
  while ((node = cnet__cbq_pop(&batch))) {
    run_node(loop, node);
    cnet__run_ticks(loop);
  }
}

void cnet__run_checks(cnet_loop *loop) {
  /* Node drains its native immediates, new ones included; a bound on the
   * rounds keeps a callback that always queues another from holding the
   * loop (the rest run next turn, and the poll between does not wait). */
  for (int round = 0; round < 1024 && loop->checks.head; round++) {
    cnet__cbq batch = loop->checks;
    loop->checks.head = loop->checks.tail = NULL;
    cnet__cb *node;
    while ((node = cnet__cbq_pop(&batch))) {
      run_node(loop, node);
      cnet__run_ticks(loop);
    }
  }
}

/* ---- handles ----------------------------------------------------------- */

static void handle_unlink(cnet__handle *h) {
  h->prev->next = h->next;
  h->next->prev = h->prev;
}

static void handle_link(cnet__handle *list, cnet__handle *h) {
  h->next = list->next;
  h->prev = list;
  list->next->prev = h;
  list->next = h;
}

void cnet__handle_discard(cnet__handle *h) {
  if (!(CNET__H_FLAGS(h) & CNET__F_CLOSED)) handle_unlink(h);
  cnet_emitter_dispose(&h->em);
}

int cnet__handle_init(cnet_loop *loop, cnet__handle *h,
                      const struct cnet__emitter_ops *ops) {
  int r = cnet__emitter_init_ops(&h->em, ops);
  if (r) return r;
  h->loop = loop;
  CNET__H_FLAGS(h) = CNET__F_INIT | CNET__F_REF;
  handle_link(&loop->handles, h);
  return 0;
}

void cnet__handle_reopen(cnet__handle *h) {
  if (CNET__H_FLAGS(h) & CNET__F_CLOSING) {
    /* Reopened before its close phase (a server listening again from its
     * 'close' callback): the close is called off. */
    cnet__flags_update(h->loop, &CNET__H_FLAGS(h), 0, CNET__F_CLOSING);
    handle_unlink(h);
    handle_link(&h->loop->handles, h);
    return;
  }
  if (!(CNET__H_FLAGS(h) & CNET__F_CLOSED)) return;
  CNET__H_FLAGS(h) = (uint16_t)((CNET__H_FLAGS(h) & CNET__F_REF) | CNET__F_INIT);
  handle_link(&h->loop->handles, h);
}

char *cnet__loop_rbuf_alloc(cnet_loop *loop) {
  if (!loop->rbuf) {
    loop->rbuf = malloc(CNET__READ_BUFFER);
    if (loop->rbuf) loop->rbuf_size = CNET__READ_BUFFER;
  }
  return loop->rbuf;
}

char *cnet__loop_rbuf2(cnet_loop *loop) {
  if (!loop->rbuf2) loop->rbuf2 = malloc(CNET__READ_BUFFER);
  return loop->rbuf2;
}

char *cnet__loop_wbuf(cnet_loop *loop) {
  if (!loop->wbuf) loop->wbuf = malloc(CNET__GATHER);
  return loop->wbuf;
}

void cnet__handle_start(cnet__handle *h) {
  cnet__flags_update(h->loop, &CNET__H_FLAGS(h), CNET__F_ACTIVE, 0);
}
void cnet__handle_stop(cnet__handle *h) {
  cnet__flags_update(h->loop, &CNET__H_FLAGS(h), 0, CNET__F_ACTIVE);
}
void cnet__handle_ref(cnet__handle *h) {
  cnet__flags_update(h->loop, &CNET__H_FLAGS(h), CNET__F_REF, 0);
}
void cnet__handle_unref(cnet__handle *h) {
  cnet__flags_update(h->loop, &CNET__H_FLAGS(h), 0, CNET__F_REF);
}

void cnet__handle_close(cnet__handle *h) {
  if (CNET__H_FLAGS(h) & (CNET__F_CLOSING | CNET__F_CLOSED)) return;
  cnet__flags_update(h->loop, &CNET__H_FLAGS(h), CNET__F_CLOSING, CNET__F_ACTIVE);
  /* Like libuv, the newest closing handle goes first. */
  handle_unlink(h);
  handle_link(&h->loop->closing, h);
}

void cnet__run_closing(cnet_loop *loop) {
  /* This turn's closing handles move to a list of their own: handles
   * closed by a close callback wait for the next turn, and one reopened
   * meanwhile leaves the batch (cnet__handle_reopen). */
  cnet__handle batch;
  if (!cnet__closing_any(loop)) return;
  batch.next = loop->closing.next;
  batch.prev = loop->closing.prev;
  batch.next->prev = batch.prev->next = &batch;
  loop->closing.next = loop->closing.prev = &loop->closing;
  while (batch.next != &batch) {
    cnet__handle *h = batch.next;
    handle_unlink(h);
    CNET__H_FLAGS(h) = (uint16_t)((CNET__H_FLAGS(h) & ~CNET__F_CLOSING) | CNET__F_CLOSED);
    if (h->em.ops_->closed) h->em.ops_->closed(h); /* emits 'close', frees h */
    cnet__run_ticks(loop);
  }
}
