/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* One line per LOG_LIMIT_INTERVAL_MS for a message that can repeat fast
 * (an accept error under a connection flood, a disk that keeps falling
 * behind): the first is printed at once, those that follow within the
 * interval are counted, and the next one printed says how many were held
 * back. Header-only, so that every tool takes it without a build change;
 * safe to share between threads. */
#ifndef CNET_APPS_LOG_LIMIT_H
#define CNET_APPS_LOG_LIMIT_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#define LOG_LIMIT_INTERVAL_MS 10000

typedef struct log_limit {
  atomic_uint_least64_t next_ms; /* when the next line may be printed */
  atomic_ulong held;             /* lines not printed since the last one */
} log_limit;

static inline uint64_t log_limit_now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

/* Whether to print the line now; if so, *held is how many were held back
 * since the last one printed. One thread wins the slot; others count. */
static inline bool log_limit_take(log_limit *l, unsigned long *held) {
  uint64_t now = log_limit_now_ms();
  uint_least64_t next = atomic_load(&l->next_ms);
  if (now < next ||
      !atomic_compare_exchange_strong(&l->next_ms, &next, now + LOG_LIMIT_INTERVAL_MS)) {
    atomic_fetch_add(&l->held, 1);
    return false;
  }
  *held = atomic_exchange(&l->held, 0);
  return true;
}

#endif
