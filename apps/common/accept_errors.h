/* What the servers among the tools do with a failed accept() (out of
 * descriptors or memory): log it, at most one line per
 * ACCEPT_LOG_INTERVAL_MS, and keep serving. cnet's server has already shed
 * or queued the connection and keeps listening (docs/net.md); under a
 * connection flood it reports on every wake-up, which would otherwise fill
 * the log. Header-only so that every tool takes it without a build change;
 * safe to share between threads. */
#ifndef CNET_APPS_ACCEPT_ERRORS_H
#define CNET_APPS_ACCEPT_ERRORS_H

#include <cnet.h>

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

/* The first accept error is printed at once; those that follow within
 * this many milliseconds are counted, and the next one printed after it
 * says how many were held back. */
#define ACCEPT_LOG_INTERVAL_MS 10000

typedef struct accept_log {
  atomic_uint_least64_t next_ms; /* when the next line may be printed */
  atomic_ulong held;             /* errors not printed since the last line */
} accept_log;

/* A server 'error' that comes from accept() rather than from listen(). */
static inline bool app_is_accept_error(const cnet_error *err) {
  return err && err->syscall && strcmp(err->syscall, "accept") == 0;
}

static inline uint64_t accept_log_now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

/* "<prog>: accept EMFILE: too many open files; still listening", then at
 * most one line per interval, with " (N more since the last report)". */
static inline void app_log_accept_error(accept_log *log, const char *prog,
                                        const cnet_error *err) {
  uint64_t now = accept_log_now_ms();
  uint_least64_t next = atomic_load(&log->next_ms);
  /* One thread wins the slot; the others count. */
  if (now < next ||
      !atomic_compare_exchange_strong(&log->next_ms, &next,
                                      now + ACCEPT_LOG_INTERVAL_MS)) {
    atomic_fetch_add(&log->held, 1);
    return;
  }
  unsigned long held = atomic_exchange(&log->held, 0);
  if (held)
    fprintf(stderr, "%s: %s: %s; still listening (%lu more since the last report)\n",
            prog, err->message, cnet_strerror(err->code), held);
  else
    fprintf(stderr, "%s: %s: %s; still listening\n", prog, err->message,
            cnet_strerror(err->code));
}

#endif
