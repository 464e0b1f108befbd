/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* cnet's event loop: one per thread, plus a default loop for simple programs.
 *
 * A turn of the loop runs, in Node 20's order (libuv 1.46): deferred I/O
 * callbacks, polling for I/O, immediates, the 'close' of handles closed
 * during the turn, then expired timers (in CNET_RUN_DEFAULT, expired
 * timers also run once before the first turn). After every callback the loop runs what was queued with
 * cnet_next_tick (Node's process.nextTick), so errors and events that Node
 * emits "on the next tick" arrive at the same point.
 *
 * cnet_loop_run returns when nothing referenced is left: no ref'd active
 * handle (timer, immediate, socket, server, ...), nothing pending. An
 * unref'd handle works normally but does not keep the loop running.
 *
 * Timers, immediates and asyncs are structs you own (embed them where you
 * like, no allocation); initialise them once and reuse them. Their fields
 * are private (the layout is public only so that you can embed them). An
 * inactive timer or immediate holds no reference from the loop and may be
 * freed at any time. */
#ifndef CNET_LOOP_H
#define CNET_LOOP_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct cnet_loop cnet_loop;

typedef enum cnet_run_mode {
  CNET_RUN_DEFAULT, /* until nothing referenced is left, or cnet_loop_stop */
  CNET_RUN_ONCE,    /* one turn; waits for I/O if there is nothing to run  */
  CNET_RUN_NOWAIT   /* one turn; never waits                               */
} cnet_run_mode;

/* The default loop, created on first use (thread-safe). Close it with
 * cnet_loop_close when done, as any loop. NULL only when it cannot be
 * made (no memory or file descriptors left): cnet_last_error() says why.
 * (The one getter that can fail: a program's first line should not need
 * an out pointer.) */
cnet_loop *cnet_default_loop(void);
/* A new loop in *out. Returns 0 or a negative error (CNET_EMFILE, ...). */
int cnet_loop_new(cnet_loop **out);
/* Runs the loop in the given mode. Returns 0 when nothing referenced is
 * left, 1 when work remains (stopped, or ONCE/NOWAIT with more to do), or
 * a negative error if polling failed. Not re-entrant. */
int cnet_loop_run(cnet_loop *loop, cnet_run_mode mode);
/* Makes cnet_loop_run return at the end of the current turn. */
void cnet_loop_stop(cnet_loop *loop);
/* Whether a referenced handle or pending work would keep run going. */
bool cnet_loop_alive(const cnet_loop *loop);
/* Frees the loop. If handles are still open it frees nothing, prints each
 * of them to stderr ("cnet: loop closed with open handle: timer ...") and
 * returns CNET_EBUSY (also for a loop that is running). Posts still queued
 * run first, whatever the outcome. */
int cnet_loop_close(cnet_loop *loop);

/* The loop's idea of now, in milliseconds of a monotonic clock, updated at
 * the start of every turn (Node's timers count from it). */
uint64_t cnet_loop_now(const cnet_loop *loop);
void cnet_loop_update_time(cnet_loop *loop);

/* User data slot. */
void cnet_loop_set_data(cnet_loop *loop, void *data);
void *cnet_loop_get_data(const cnet_loop *loop);

/* What cnet_loop_walk reports for each open handle. */
typedef struct cnet_handle_info {
  const char *type;   /* "timer", "immediate", "async", "poll", "socket", ... */
  const void *handle;
  bool active;
  bool ref;
} cnet_handle_info;
void cnet_loop_walk(cnet_loop *loop,
                    void (*cb)(const cnet_handle_info *info, void *arg),
                    void *arg);

/* Runs cb(arg) right after the current callback returns, before the loop
 * does anything else (Node's process.nextTick). Ticks queued by ticks run
 * too, in order. Returns 0 or CNET_ENOMEM. */
int cnet_next_tick(cnet_loop *loop, void (*cb)(void *arg), void *arg);

/* Posts cb(arg) to run on the loop's thread; callable from any thread. The
 * loop is woken if it is waiting. A post does not keep a loop alive by
 * itself (use a ref'd cnet_async for that); posts still queued when the
 * loop is closed run from cnet_loop_close. Returns 0 or CNET_ENOMEM. */
int cnet_loop_post(cnet_loop *loop, void (*cb)(void *arg), void *arg);

/* ---- Timers (Node's setTimeout / setInterval) ------------------------- */

typedef struct cnet_timer cnet_timer;
typedef void (*cnet_timer_cb)(cnet_timer *timer, void *arg);

struct cnet_timer {
  /* private */
  cnet_loop *loop;
  cnet_timer_cb cb;
  void *arg;
  uint64_t due;      /* the heap's key: when the timer fires (ms)      */
  uint64_t start;    /* when the current period began; refresh sets it */
  uint64_t timeout;
  uint64_t repeat;
  uint64_t seq;      /* ties between equal dues fire in start order    */
  uint32_t heap_index;
  uint16_t flags;
};

/* Once, before first use. A new timer is ref'd. */
void cnet_timer_init(cnet_loop *loop, cnet_timer *timer);
/* Fires cb after timeout ms, then every repeat ms if repeat > 0. Starting
 * an active timer restarts it. Node's rule applies: a timeout under 1 ms is
 * 1 ms. Returns 0, CNET_EINVAL (timer not initialised, cb NULL) or
 * CNET_ENOMEM (the timer heap could not grow). */
int cnet_timer_start(cnet_timer *timer, cnet_timer_cb cb, void *arg,
                     uint64_t timeout, uint64_t repeat);
/* Stops (clears) the timer: it does not fire, and a later refresh does not
 * bring it back (Node's clearTimeout). */
void cnet_timer_stop(cnet_timer *timer);
/* Restarts the current period from now, keeping cb and durations
 * (Node's timeout.refresh()). O(1) on an active timer: made for idle
 * timeouts touched on every read. As in Node, a timer that already fired
 * is scheduled again; one that was stopped (cleared) or never started is
 * left alone. */
void cnet_timer_refresh(cnet_timer *timer);
void cnet_timer_ref(cnet_timer *timer);
void cnet_timer_unref(cnet_timer *timer);
bool cnet_timer_has_ref(const cnet_timer *timer);
/* The loop the timer was initialised on (NULL before cnet_timer_init). */
cnet_loop *cnet_timer_loop(const cnet_timer *timer);
bool cnet_timer_is_active(const cnet_timer *timer);

/* Node's names. */
static inline int cnet_set_timeout(cnet_timer *t, cnet_timer_cb cb, void *arg,
                                   uint64_t ms) {
  return cnet_timer_start(t, cb, arg, ms, 0);
}
static inline int cnet_set_interval(cnet_timer *t, cnet_timer_cb cb,
                                    void *arg, uint64_t ms) {
  return cnet_timer_start(t, cb, arg, ms, ms ? ms : 1);
}
static inline void cnet_clear_timeout(cnet_timer *t) { cnet_timer_stop(t); }
static inline void cnet_clear_interval(cnet_timer *t) { cnet_timer_stop(t); }

/* ---- Immediates (Node's setImmediate) --------------------------------- */

typedef struct cnet_immediate cnet_immediate;
typedef void (*cnet_immediate_cb)(cnet_immediate *im, void *arg);

struct cnet_immediate {
  /* private */
  cnet_loop *loop;
  cnet_immediate_cb cb;
  void *arg;
  cnet_immediate *next;
  cnet_immediate *prev;
  uint16_t flags;
};

/* Runs cb once, after the I/O of the current turn; one queued by an
 * immediate runs on the next turn, as in Node. The struct must be zeroed
 * (= {0}) before its first use; after that it can be set again and
 * again. Setting an immediate that
 * is already queued moves it to the end of the queue. Returns 0 or
 * CNET_EINVAL. The immediate is ref'd unless cnet_immediate_unref was
 * called on it. */
int cnet_set_immediate(cnet_loop *loop, cnet_immediate *im,
                       cnet_immediate_cb cb, void *arg);
void cnet_clear_immediate(cnet_immediate *im);
void cnet_immediate_ref(cnet_immediate *im);
void cnet_immediate_unref(cnet_immediate *im);
bool cnet_immediate_has_ref(const cnet_immediate *im);
/* The loop the immediate was last set on (NULL before). */
cnet_loop *cnet_immediate_loop(const cnet_immediate *im);

/* ---- Async: wake a loop from another thread ---------------------------- */

typedef struct cnet_async cnet_async;
typedef void (*cnet_async_cb)(cnet_async *async, void *arg);

struct cnet_async {
  /* private */
  cnet_loop *loop;
  cnet_async_cb cb;
  void *arg;
  cnet_async *next;
  cnet_async *prev;
  int pending;       /* accessed atomically */
  uint16_t flags;
};

/* An active, ref'd handle until cnet_async_close: it keeps the loop alive
 * (unless unref'd) while other threads may still send. */
int cnet_async_init(cnet_loop *loop, cnet_async *async, cnet_async_cb cb,
                    void *arg);
/* Thread-safe. cb runs on the loop's thread; sends made before it runs are
 * coalesced into one call. */
int cnet_async_send(cnet_async *async);
/* On the loop's thread. No cb runs after this returns. */
void cnet_async_close(cnet_async *async);
void cnet_async_ref(cnet_async *async);
void cnet_async_unref(cnet_async *async);

/* ---- Poll: watch a file descriptor of your own ------------------------- */

enum { CNET_READABLE = 1, CNET_WRITABLE = 2, CNET_DISCONNECT = 4 };

/* A watch on a file descriptor of yours; opaque. */
typedef struct cnet_poll cnet_poll;
/* status is 0 or a negative error (CNET_EBADF, ...); events says which of
 * CNET_READABLE / CNET_WRITABLE / CNET_DISCONNECT happened. */
typedef void (*cnet_poll_cb)(cnet_poll *poll, int status, int events,
                             void *arg);

/* A watch on fd (which stays yours: cnet never closes it) in *out. 0, or
 * CNET_EINVAL (fd < 0), CNET_ENOMEM. */
int cnet_poll_new(cnet_loop *loop, int fd, cnet_poll **out);
/* Calls cb while the fd is ready for any of events (level-triggered).
 * Returns 0 or a negative error (CNET_EPERM for a regular file, ...). */
int cnet_poll_start(cnet_poll *poll, int events, cnet_poll_cb cb, void *arg);
int cnet_poll_stop(cnet_poll *poll);
/* Stops, forgets the fd and frees the watch (also from its callback). */
void cnet_poll_close(cnet_poll *poll);
void cnet_poll_ref(cnet_poll *poll);
void cnet_poll_unref(cnet_poll *poll);

#ifdef __cplusplus
}
#endif
#endif
