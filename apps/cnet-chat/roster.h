/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* The users on the other instances of a cluster, as this one knows them
 * (cluster.c): found by nickname key, listed in join order. */
#ifndef CNET_CHAT_ROSTER_H
#define CNET_CHAT_ROSTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cluster.h"
#include "text.h"

/* Users elsewhere a roster takes at most (a bound, not a setting). */
#define ROSTER_MAX 100000

typedef struct other {
  struct other *hnext;       /* the hash chain                  */
  struct other *prev, *next; /* join order                      */
  uint64_t seq;
  char node[CLUSTER_NODE_MAX + 1];
  char nick[NICK_MAX_BYTES + 1];
  char key[];
} other;

typedef struct roster {
  other **buckets;
  size_t nbuckets, count;
  other *first, *last; /* join order */
} roster;

/* A zeroed roster is empty. */
other *roster_find(const roster *r, const char *key);
/* Adds the user with key on node (moving it if it is there already);
 * false when out of memory or full. */
bool roster_add(roster *r, const char *node, const char *key,
                const char *nick, uint64_t seq);
void roster_remove(roster *r, other *o);
/* Empties it, keeping its table. */
void roster_clear(roster *r);
void roster_free(roster *r);

#endif
