/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* Timers: a binary min-heap ordered by (due, seq), so that timers due at
 * the same millisecond fire in the order they were started, as in Node.
 * Start and stop are O(log n). Refresh is O(1): it only moves the period's
 * start; when the heap's stale entry comes up, the timer goes back in at
 * its real due time. An idle timeout touched on every read costs a clock
 * read until it would have fired. */
#include "handle.h"
#include "timer.h"

#include <stdlib.h>

static bool before(const cnet_timer *a, const cnet_timer *b) {
  return a->due < b->due || (a->due == b->due && a->seq < b->seq);
}

static void heap_set(cnet_loop *loop, uint32_t i, cnet_timer *t) {
  loop->heap[i] = t;
  t->heap_index = i;
}

static void sift_up(cnet_loop *loop, uint32_t i) {
  cnet_timer *t = loop->heap[i];
  while (i > 0) {
    uint32_t parent = (i - 1) / 2;
    if (!before(t, loop->heap[parent])) break;
    heap_set(loop, i, loop->heap[parent]);
    i = parent;
  }
  heap_set(loop, i, t);
}

static void sift_down(cnet_loop *loop, uint32_t i) {
  cnet_timer *t = loop->heap[i];
  for (;;) {
    uint32_t c = 2 * i + 1;
    if (c >= loop->heap_len) break;
    if (c + 1 < loop->heap_len && before(loop->heap[c + 1], loop->heap[c])) c++;
    if (!before(loop->heap[c], t)) break;
    heap_set(loop, i, loop->heap[c]);
    i = c;
  }
  heap_set(loop, i, t);
}

static int heap_insert(cnet_loop *loop, cnet_timer *t) {
  if (loop->heap_len == loop->heap_cap) {
    uint32_t cap = loop->heap_cap ? loop->heap_cap * 2 : 16;
    cnet_timer **h = realloc(loop->heap, cap * sizeof *h);
    if (!h) return cnet__fail(CNET_ENOMEM, NULL);
    loop->heap = h;
    loop->heap_cap = cap;
  }
  heap_set(loop, loop->heap_len++, t);
  sift_up(loop, t->heap_index);
  return 0;
}

static void heap_remove(cnet_loop *loop, cnet_timer *t) {
  uint32_t i = t->heap_index;
  cnet_timer *last = loop->heap[--loop->heap_len];
  if (last != t) {
    heap_set(loop, i, last);
    if (i > 0 && before(last, loop->heap[(i - 1) / 2]))
      sift_up(loop, i);
    else
      sift_down(loop, i);
  }
}

void cnet_timer_init(cnet_loop *loop, cnet_timer *t) {
  *t = (cnet_timer){.loop = loop, .flags = CNET__F_INIT | CNET__F_REF};
}

static void arm(cnet_timer *t, uint64_t start) {
  t->start = start;
  t->due = start + t->timeout;
  t->seq = ++t->loop->timer_seq;
}

int cnet_timer_start(cnet_timer *t, cnet_timer_cb cb, void *arg,
                     uint64_t timeout, uint64_t repeat) {
  if (!t || !(t->flags & CNET__F_INIT) || !cb) return cnet__fail(CNET_EINVAL, NULL);
  cnet_loop *loop = t->loop;
  if (t->flags & CNET__F_ACTIVE) heap_remove(loop, t);
  t->cb = cb;
  t->arg = arg;
  t->timeout = timeout < 1 ? 1 : timeout;
  t->repeat = repeat;
  /* Node takes the current time, not the turn's cached one. */
  cnet__update_time(loop);
  arm(t, loop->now);
  int r = heap_insert(loop, t);
  if (r != 0) {
    cnet__flags_update(loop, &t->flags, 0, CNET__F_ACTIVE);
    return r;
  }
  cnet__flags_update(loop, &t->flags, CNET__F_ACTIVE, 0);
  return 0;
}

void cnet_timer_stop(cnet_timer *t) {
  if (!t || !(t->flags & CNET__F_INIT)) return;
  t->cb = NULL; /* cleared: refresh no longer brings it back */
  if (!(t->flags & CNET__F_ACTIVE)) return;
  heap_remove(t->loop, t);
  cnet__flags_update(t->loop, &t->flags, 0, CNET__F_ACTIVE);
}

void cnet_timer_refresh(cnet_timer *t) {
  if (!t || !(t->flags & CNET__F_INIT) || !t->cb) return;
  /* Node's refresh takes the current time (getLibuvNow), as a start does:
   * the turn's cached time can be as old as the callback or the stall
   * before it, and would end the period early. */
  cnet__update_time(t->loop);
  if (t->flags & CNET__F_ACTIVE) {
    t->start = t->loop->now;
    return;
  }
  /* Fired and not cleared: Node's refresh schedules it again. */
  arm(t, t->loop->now);
  if (heap_insert(t->loop, t) == 0)
    cnet__flags_update(t->loop, &t->flags, CNET__F_ACTIVE, 0);
}

void cnet_timer_ref(cnet_timer *t) {
  if (t && (t->flags & CNET__F_INIT))
    cnet__flags_update(t->loop, &t->flags, CNET__F_REF, 0);
}

void cnet_timer_unref(cnet_timer *t) {
  if (t && (t->flags & CNET__F_INIT))
    cnet__flags_update(t->loop, &t->flags, 0, CNET__F_REF);
}

cnet_loop *cnet_timer_loop(const cnet_timer *t) {
  return t && (t->flags & CNET__F_INIT) ? t->loop : NULL;
}

bool cnet_timer_has_ref(const cnet_timer *t) {
  return t && (t->flags & CNET__F_REF);
}

bool cnet_timer_is_active(const cnet_timer *t) {
  return t && (t->flags & CNET__F_ACTIVE);
}

void cnet__timers_run(cnet_loop *loop) {
  /* The pass runs what is due at the turn's time, as Node's
   * processTimers(now) does. loop->now moves when a callback starts a timer
   * (that reads the clock); comparing with it would let a slow or preempted
   * callback pull later timers into this pass, ahead of the immediates it
   * queued, where Node runs them on the next turn. */
  const uint64_t now = loop->now;
  while (loop->heap_len > 0) {
    cnet_timer *t = loop->heap[0];
    if (t->due > now) break;
    heap_remove(loop, t);
    if (t->start + t->timeout > now) {
      /* Refreshed since it was queued: back in at its real time. */
      arm(t, t->start);
      heap_insert(loop, t); /* cannot fail: the slot was just freed */
      continue;
    }
    if (t->repeat) {
      t->timeout = t->repeat;
      arm(t, loop->now);
      heap_insert(loop, t);
    } else {
      cnet__flags_update(loop, &t->flags, 0, CNET__F_ACTIVE);
    }
    t->cb(t, t->arg);
    cnet__run_ticks(loop);
  }
}

int cnet__timers_next_timeout(const cnet_loop *loop) {
  if (loop->heap_len == 0) return -1;
  const cnet_timer *t = loop->heap[0];
  if (t->due <= loop->now) return 0;
  uint64_t d = t->due - loop->now;
  return d > INT32_MAX ? INT32_MAX : (int)d;
}

void cnet__timers_free(cnet_loop *loop) {
  free(loop->heap);
  loop->heap = NULL;
  loop->heap_len = loop->heap_cap = 0;
}
