/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* A chained hash table on the nickname key (FNV-1a, doubling at one entry
 * a bucket), threaded by a list in join order: most joins come last, so
 * an insertion looks back from the tail. */
#include "roster.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t hash_key(const char *key) {
  uint64_t h = 14695981039346656037u;
  for (; *key; key++) h = (h ^ (unsigned char)*key) * 1099511628211u;
  return h;
}

static other **find_slot(const roster *r, const char *key) {
  if (!r->nbuckets) return NULL;
  other **p = &r->buckets[hash_key(key) & (r->nbuckets - 1)];
  while (*p && strcmp((*p)->key, key) != 0) p = &(*p)->hnext;
  return p;
}

other *roster_find(const roster *r, const char *key) {
  other **p = find_slot(r, key);
  return p ? *p : NULL;
}

static bool grow(roster *r) {
  if (r->count < r->nbuckets) return true;
  size_t n = r->nbuckets ? r->nbuckets * 2 : 64;
  other **b = calloc(n, sizeof *b);
  if (!b) return false;
  for (other *o = r->first; o; o = o->next) {
    other **slot = &b[hash_key(o->key) & (n - 1)];
    o->hnext = *slot;
    *slot = o;
  }
  free(r->buckets);
  r->buckets = b;
  r->nbuckets = n;
  return true;
}

void roster_remove(roster *r, other *o) {
  other **p = find_slot(r, o->key);
  *p = o->hnext;
  if (o->prev) o->prev->next = o->next; else r->first = o->next;
  if (o->next) o->next->prev = o->prev; else r->last = o->prev;
  r->count--;
  free(o);
}

bool roster_add(roster *r, const char *node, const char *key,
                const char *nick, uint64_t seq) {
  other *o = roster_find(r, key);
  if (o) roster_remove(r, o);
  if (r->count >= ROSTER_MAX || !grow(r)) return false;
  size_t klen = strlen(key);
  o = calloc(1, sizeof *o + klen + 1);
  if (!o) return false;
  memcpy(o->key, key, klen + 1);
  snprintf(o->node, sizeof o->node, "%s", node);
  snprintf(o->nick, sizeof o->nick, "%s", nick);
  o->seq = seq;
  other *after = r->last;
  while (after && after->seq > seq) after = after->prev;
  o->prev = after;
  o->next = after ? after->next : r->first;
  if (o->next) o->next->prev = o; else r->last = o;
  if (after) after->next = o; else r->first = o;
  other **slot = &r->buckets[hash_key(key) & (r->nbuckets - 1)];
  o->hnext = *slot;
  *slot = o;
  r->count++;
  return true;
}

void roster_clear(roster *r) {
  for (other *o = r->first, *next; o; o = next) {
    next = o->next;
    free(o);
  }
  r->first = r->last = NULL;
  r->count = 0;
  if (r->buckets) memset(r->buckets, 0, r->nbuckets * sizeof *r->buckets);
}

void roster_free(roster *r) {
  roster_clear(r);
  free(r->buckets);
  r->buckets = NULL;
  r->nbuckets = 0;
}
