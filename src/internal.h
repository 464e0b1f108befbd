/* What cnet's source files share and users never see: the loop's insides,
 * the handle base every cnet object starts with, the poller interface (one
 * backend per file, chosen by the build) and small list helpers. Internal
 * functions that cross files are named cnet__*. */
#ifndef CNET_INTERNAL_H
#define CNET_INTERNAL_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cnet.h"

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

/* The base of every library-allocated cnet object (sockets, servers, UDP
 * sockets, streams): the emitter first, so that cnet_on works on any of
 * them, then the loop's bookkeeping. Closing is two-phase: close stops I/O
 * at once, the close callback (which emits 'close' and frees) runs in the
 * loop's close phase, so nothing is freed under a running callback. */
typedef struct cnet__handle cnet__handle;
struct cnet__handle {
  cnet_emitter em;    /* em.ops: the type's name and close step too;
                       * em.owner_bits: the CNET__F_* flags */
  cnet_loop *loop;
  cnet__handle *next; /* on loop->handles, or on loop->closing from close */
  cnet__handle *prev; /* to the close phase: walk, reports, close order */
};
/* The handle's CNET__F_* flags, kept in the emitter's spare bits: an idle
 * connection pays for every byte of its handle. */
#define CNET__H_FLAGS(h) ((h)->em.owner_bits)

typedef struct cnet__io cnet__io;

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
  cnet__cb *cb_free; /* pool for cnet_next_tick */

  cnet__handle handles;   /* sentinels of the open handles and of those */
  cnet__handle closing;   /* waiting for the close phase (newest first) */
  cnet_async *asyncs;
  cnet_poll *polls;

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
};

#define CNET__READ_BUFFER (64 * 1024)
/* The loop's read buffer (NULL when out of memory). */
char *cnet__loop_rbuf_alloc(cnet_loop *loop);
static inline char *cnet__loop_rbuf(cnet_loop *loop) {
  return loop->rbuf ? loop->rbuf : cnet__loop_rbuf_alloc(loop);
}

/* ---- handles --------------------------------------------------------- */

void cnet__flags_update(cnet_loop *loop, uint16_t *flags, unsigned set,
                        unsigned clear);
/* ops gives the type's name and the step the close phase runs. */
void cnet__handle_init(cnet_loop *loop, cnet__handle *h,
                       const struct cnet__emitter_ops *ops);
/* Puts a closed handle back on its loop (a socket connecting again). */
void cnet__handle_reopen(cnet__handle *h);
void cnet__handle_start(cnet__handle *h);
void cnet__handle_stop(cnet__handle *h);
void cnet__handle_ref(cnet__handle *h);
void cnet__handle_unref(cnet__handle *h);
/* Queues h for the close phase; its ops->closed runs there, once. */
void cnet__handle_close(cnet__handle *h);

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

/* ---- the poller (one per build, CNET_BACKEND: poll_epoll.c, poll_uring.c) */

/* io->events holds POLLIN / POLLOUT / POLLRDHUP bits (and CNET__IO_ET);
 * cnet__io_update makes the backend match them (0 removes the fd). As in
 * libuv, changes are applied in the order made, just before the next
 * wait: several changes in one turn cost one system call, and readiness
 * is reported in the order Node's (libuv's) would report it. The backend
 * keeps its pending changes in its own state, not in the watcher (a
 * connection pays for every byte of it); io->registered is the backend's:
 * zero means the fd is neither watched nor about to be. */
enum { CNET__IO_ET = 1u << 15 };
int cnet__poller_init(cnet_loop *loop);
void cnet__poller_free(cnet_loop *loop);
int cnet__io_update(cnet_loop *loop, cnet__io *io);
/* Checks at once that the fd can be watched (CNET_EPERM for a regular
 * file, CNET_EBADF, ...), for calls that must report it. */
int cnet__io_check(cnet_loop *loop, int fd);
/* Forgets io: removes the fd and drops events for it that were already
 * returned by this turn's poll, so io's memory may go right away. */
void cnet__io_close(cnet_loop *loop, cnet__io *io);
/* Waits up to timeout ms (-1: no limit) and calls io->cb for each event. */
int cnet__poller_wait(cnet_loop *loop, int timeout);

/* ---- emitters ---------------------------------------------------------- */

/* How a cnet object takes part in emitting: what it does when an 'error'
 * reaches it with no listener, and what it does when a listener is added
 * (a 'data' listener starts a stream flowing, as in Node). */
struct cnet__emitter_ops {
  const char *type_name;
  void (*destroy)(void *object, const cnet_error *err);
  void (*listener_added)(void *object, int type);
  /* Handles: the close phase's step (emits 'close' and frees). */
  void (*closed)(cnet__handle *h);
  bool is_stream; /* the head of a cnet__stream_vt */
};
void cnet__emitter_init_ops(cnet_emitter *em, const struct cnet__emitter_ops *ops);

/* ---- time -------------------------------------------------------------- */
uint64_t cnet__hrtime_ms(void);
void cnet__timers_run(cnet_loop *loop);
int cnet__timers_next_timeout(const cnet_loop *loop);
void cnet__timers_free(cnet_loop *loop);

#endif
