/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* The roster of users on other instances (apps/cnet-chat/roster.c),
 * against a model: seeded random joins, moves, leaves and clears, after
 * each of which every key is found or not as in the model and the list
 * is in join order. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "roster.h"

#define KEYS 300

typedef struct model_user {
  bool in;
  uint64_t seq;
  char node[8];
} model_user;

static uint64_t rng;
static unsigned next_random(void) {
  rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
  return (unsigned)(rng >> 11);
}

static void key_of(int i, char *buf) { snprintf(buf, 16, "k%d", i); }

static void check(const roster *r, const model_user *m) {
  size_t in = 0;
  for (int i = 0; i < KEYS; i++) {
    char key[16];
    key_of(i, key);
    other *o = roster_find(r, key);
    ASSERT_EQ(m[i].in, o != NULL);
    if (!o) continue;
    in++;
    ASSERT_EQ(m[i].seq, o->seq);
    ASSERT_STR_EQ(m[i].node, o->node);
  }
  ASSERT_EQ(in, r->count);
  size_t listed = 0;
  for (const other *o = r->first; o; o = o->next, listed++) {
    if (o->next) ASSERT(o->seq <= o->next->seq);
    ASSERT(o->next ? o->next->prev == o : r->last == o);
  }
  ASSERT_EQ(in, listed);
}

static void run_seed(uint64_t seed) {
  roster r;
  memset(&r, 0, sizeof r);
  model_user m[KEYS];
  memset(m, 0, sizeof m);
  rng = seed * 2654435761u + 1;
  uint64_t seq = 0;
  for (int step = 0; step < 3000; step++) {
    int i = (int)(next_random() % KEYS);
    char key[16];
    key_of(i, key);
    unsigned op = next_random() % 100;
    if (op < 55) { /* a join, now or (snapshot order) from the past */
      uint64_t s = next_random() % 4 ? ++seq : next_random() % (seq + 1);
      snprintf(m[i].node, sizeof m[i].node, "n%u", next_random() % 4);
      ASSERT(roster_add(&r, m[i].node, key, "nick", s));
      m[i].in = true;
      m[i].seq = s;
    } else if (op < 98) {
      other *o = roster_find(&r, key);
      if (o) roster_remove(&r, o);
      m[i].in = false;
    } else {
      roster_clear(&r);
      memset(m, 0, sizeof m);
    }
    check(&r, m);
  }
  roster_free(&r);
}

CNET_TEST(random_against_a_model) {
  const char *env = getenv("CNET_TEST_SEED");
  uint64_t first = env ? strtoull(env, NULL, 10) : 1;
  for (uint64_t seed = first; seed < first + 20; seed++) run_seed(seed);
}

CNET_TEST(bounded) {
  roster r;
  memset(&r, 0, sizeof r);
  char key[16];
  for (int i = 0; i < ROSTER_MAX; i++) {
    snprintf(key, sizeof key, "k%d", i);
    ASSERT(roster_add(&r, "n", key, "nick", (uint64_t)i));
  }
  ASSERT(!roster_add(&r, "n", "one more", "nick", 1));
  ASSERT_EQ(ROSTER_MAX, r.count);
  /* A user already there moves, full or not. */
  ASSERT(roster_add(&r, "m", "k5", "nick", 7));
  ASSERT_STR_EQ("m", roster_find(&r, "k5")->node);
  roster_free(&r);
}
