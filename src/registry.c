/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* The registry of live emitters: an open-addressing set of addresses.
 *
 * Lookups take no lock (every emitter and stream call given a void *
 * makes one); adding and removing take a mutex, once per object's life.
 * A table that fills up (with entries or with GONE, the removed entries
 * that probes must step over) is replaced by a new one; the old one is
 * freed once no lookup is running, which the counts of readers tell: a
 * reader counts itself before it loads the table, so once the new table
 * is published and every count is seen at zero, no reader holds the old.
 * The counts are spread over cache lines by thread, so that loops on
 * several threads do not fight over one. A table is rebuilt when three
 * quarters of it are taken, to half of a table twice the live entries'
 * size at least: 8 to 16 bytes per live object, about 11 on average. */
#include "registry.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>

#include "cnet.h"

enum { EMPTY = 0, GONE = 1, MIN_CAP = 64, STRIPES = 16 };

struct table {
  size_t cap;            /* a power of two */
  struct table *retired; /* on the list of tables to free */
  _Atomic uintptr_t slot[];
};

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static _Atomic(struct table *) current;
static struct {
  _Alignas(64) atomic_uint n;
} readers[STRIPES];
static atomic_uint next_stripe;
static _Thread_local unsigned my_stripe; /* 1 + index, 0 before first use */

static atomic_uint *my_readers(void) {
  if (!my_stripe) my_stripe = 1 + atomic_fetch_add(&next_stripe, 1) % STRIPES;
  return &readers[my_stripe - 1].n;
}

static bool no_readers(void) {
  for (int i = 0; i < STRIPES; i++)
    if (atomic_load(&readers[i].n) != 0) return false;
  return true;
}
static struct table *retired; /* under mu, as the counts */
static size_t live, gone;

/* Under mu: frees the replaced tables if no lookup may be in one. */
static void free_retired(void) {
  if (!retired || !no_readers()) return;
  while (retired) {
    struct table *next = retired->retired;
    free(retired);
    retired = next;
  }
}

static size_t hash(uintptr_t p, size_t cap) {
  uint64_t h = (uint64_t)p * 0x9e3779b97f4a7c15ull;
  return (size_t)(h >> 32) & (cap - 1);
}

/* The slot of p in t, or of the first free one on its probe path. */
static size_t find(struct table *t, uintptr_t p, bool *found) {
  size_t i = hash(p, t->cap), free_at = SIZE_MAX;
  for (;;) {
    uintptr_t v = atomic_load_explicit(&t->slot[i], memory_order_acquire);
    if (v == p) {
      *found = true;
      return i;
    }
    if (v == GONE && free_at == SIZE_MAX) free_at = i;
    if (v == EMPTY) {
      *found = false;
      return free_at != SIZE_MAX ? free_at : i;
    }
    i = (i + 1) & (t->cap - 1);
  }
}

/* A table of cap slots with the live entries of old (under mu). */
static struct table *rebuild(struct table *old, size_t cap) {
  struct table *t = calloc(1, sizeof *t + cap * sizeof t->slot[0]);
  if (!t) return NULL;
  t->cap = cap;
  for (size_t i = 0; old && i < old->cap; i++) {
    uintptr_t v = atomic_load_explicit(&old->slot[i], memory_order_relaxed);
    if (v == EMPTY || v == GONE) continue;
    bool found;
    atomic_store_explicit(&t->slot[find(t, v, &found)], v, memory_order_relaxed);
  }
  return t;
}

int cnet__registry_add(const void *p) {
  uintptr_t v = (uintptr_t)p;
  if (v <= GONE) return CNET_EINVAL;
  pthread_mutex_lock(&mu);
  struct table *t = atomic_load_explicit(&current, memory_order_relaxed);
  if (!t || (live + gone + 1) * 4 > t->cap * 3) {
    size_t cap = MIN_CAP;
    while ((live + 1) * 2 > cap) cap *= 2;
    struct table *n = rebuild(t, cap);
    if (!n) {
      pthread_mutex_unlock(&mu);
      return CNET_ENOMEM;
    }
    atomic_store(&current, n);
    if (t) {
      t->retired = retired;
      retired = t;
    }
    t = n;
    gone = 0;
  }
  free_retired();
  bool found;
  size_t i = find(t, v, &found);
  if (!found) {
    if (atomic_load_explicit(&t->slot[i], memory_order_relaxed) == GONE) gone--;
    atomic_store_explicit(&t->slot[i], v, memory_order_release);
    live++;
  }
  pthread_mutex_unlock(&mu);
  return 0;
}

void cnet__registry_remove(const void *p) {
  uintptr_t v = (uintptr_t)p;
  pthread_mutex_lock(&mu);
  struct table *t = atomic_load_explicit(&current, memory_order_relaxed);
  bool found = false;
  size_t i = t && v > GONE ? find(t, v, &found) : 0;
  if (found) {
    atomic_store_explicit(&t->slot[i], (uintptr_t)GONE, memory_order_release);
    live--;
    gone++;
  }
  free_retired();
  pthread_mutex_unlock(&mu);
}

bool cnet__registry_has(const void *p) {
  uintptr_t v = (uintptr_t)p;
  if (v <= GONE) return false;
  atomic_uint *mine = my_readers();
  atomic_fetch_add(mine, 1);
  struct table *t = atomic_load(&current);
  bool found = false;
  if (t) find(t, v, &found);
  atomic_fetch_sub(mine, 1);
  return found;
}
