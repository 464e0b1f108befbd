/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* The loop: its turn (timers, pending, poll, immediates, close) and the
 * handles that belong to no other file: immediates, the cross-thread ways
 * in (posts and asyncs, both through one eventfd) and poll handles; the
 * walk and report of open handles. The top of the loop layer: it calls
 * down into the timers (timer.h), the poller (poller.h), the signal
 * watchers (signals.h) and the shared primitives (handle.h), and none of
 * them calls it by name. */
#include "handle.h"
#include "poller.h"
#include "signals.h"
#include "timer.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

/* ---- time -------------------------------------------------------------- */

uint64_t cnet_loop_now(const cnet_loop *loop) { return loop->now; }
void cnet_loop_update_time(cnet_loop *loop) { cnet__update_time(loop); }
void cnet_loop_set_data(cnet_loop *loop, void *data) { loop->data = data; }
void *cnet_loop_get_data(const cnet_loop *loop) { return loop->data; }

/* ---- immediates --------------------------------------------------------- */

/* Flag changes of an immediate, keeping loop->im_refs (queued and ref'd
 * immediates) in step with loop->active_refs. */
static void im_flags(cnet_loop *loop, cnet_immediate *im, unsigned set,
                     unsigned clear) {
  const unsigned both = CNET__F_ACTIVE | CNET__F_REF;
  bool before = (im->flags & both) == both;
  cnet__flags_update(loop, &im->flags, set, clear);
  bool after = (im->flags & both) == both;
  loop->im_refs += (unsigned)after - (unsigned)before;
}

static void im_unlink(cnet_loop *loop, cnet_immediate *im) {
  bool in_run = im->flags & CNET__F_IN_RUN;
  cnet_immediate **head = in_run ? &loop->im_run_head : &loop->im_head;
  cnet_immediate **tail = in_run ? &loop->im_run_tail : &loop->im_tail;
  if (im->prev)
    im->prev->next = im->next;
  else
    *head = im->next;
  if (im->next)
    im->next->prev = im->prev;
  else
    *tail = im->prev;
  im->next = im->prev = NULL;
  im->flags &= (uint16_t)~CNET__F_IN_RUN;
  im_flags(loop, im, 0, CNET__F_ACTIVE);
}

int cnet_set_immediate(cnet_loop *loop, cnet_immediate *im,
                       cnet_immediate_cb cb, void *arg) {
  if (!loop || !im || !cb) return cnet__fail(CNET_EINVAL, NULL);
  if ((im->flags & CNET__F_INIT) && im->loop == loop) {
    if (im->flags & CNET__F_ACTIVE) im_unlink(loop, im);
  } else {
    /* First use: ref'd, unless it was unref'd before being set. */
    uint16_t keep = (im->flags & CNET__F_INIT) ? (im->flags & CNET__F_REF)
                                                : CNET__F_REF;
    *im = (cnet_immediate){.loop = loop, .flags = (uint16_t)(CNET__F_INIT | keep)};
  }
  im->cb = cb;
  im->arg = arg;
  im->next = NULL;
  im->prev = loop->im_tail;
  if (loop->im_tail)
    loop->im_tail->next = im;
  else
    loop->im_head = im;
  loop->im_tail = im;
  im_flags(loop, im, CNET__F_ACTIVE, 0);
  return 0;
}

void cnet_clear_immediate(cnet_immediate *im) {
  if (im && (im->flags & CNET__F_INIT) && (im->flags & CNET__F_ACTIVE))
    im_unlink(im->loop, im);
}

void cnet_immediate_ref(cnet_immediate *im) {
  if (!im) return;
  if (!(im->flags & CNET__F_INIT)) {
    im->flags = CNET__F_INIT | CNET__F_REF;
    im->loop = NULL;
    return;
  }
  if (im->loop)
    im_flags(im->loop, im, CNET__F_REF, 0);
  else
    im->flags |= CNET__F_REF;
}

void cnet_immediate_unref(cnet_immediate *im) {
  if (!im) return;
  if (!(im->flags & CNET__F_INIT)) {
    im->flags = CNET__F_INIT;
    im->loop = NULL;
    return;
  }
  if (im->loop)
    im_flags(im->loop, im, 0, CNET__F_REF);
  else
    im->flags &= (uint16_t)~CNET__F_REF;
}

cnet_loop *cnet_immediate_loop(const cnet_immediate *im) {
  return im ? im->loop : NULL;
}

bool cnet_immediate_has_ref(const cnet_immediate *im) {
  return im && (!(im->flags & CNET__F_INIT) || (im->flags & CNET__F_REF));
}

static void run_immediates(cnet_loop *loop) {
  /* This turn runs the immediates queued before it; ones set meanwhile
   * (even by an immediate) wait for the next turn, as in Node. */
  loop->im_run_head = loop->im_head;
  loop->im_run_tail = loop->im_tail;
  loop->im_head = loop->im_tail = NULL;
  for (cnet_immediate *im = loop->im_run_head; im; im = im->next)
    im->flags |= CNET__F_IN_RUN;
  cnet_immediate *im;
  while ((im = loop->im_run_head)) {
    im_unlink(loop, im);
    im->cb(im, im->arg);
    cnet__run_ticks(loop);
  }
}

/* ---- cross-thread: posts and asyncs ------------------------------------ */

static void wake(cnet_loop *loop) {
  /* One write per wake-up: later senders see the flag and skip it. */
  if (atomic_exchange(&loop->wake_pending, 1) == 0) {
    uint64_t one = 1;
    ssize_t r;
    do r = write(loop->wake_fd, &one, sizeof one);
    while (r < 0 && errno == EINTR);
  }
}

int cnet_loop_post(cnet_loop *loop, void (*cb)(void *arg), void *arg) {
  if (!loop || !cb) return cnet__fail(CNET_EINVAL, NULL);
  cnet__cb *node = malloc(sizeof *node);
  if (!node) return cnet__fail(CNET_ENOMEM, NULL);
  node->fn = cb;
  node->arg = arg;
  node->pooled = false;
  pthread_mutex_lock(&loop->post_mu);
  cnet__cbq_push(&loop->posts, node);
  pthread_mutex_unlock(&loop->post_mu);
  wake(loop);
  return 0;
}

static void run_posts(cnet_loop *loop) {
  pthread_mutex_lock(&loop->post_mu);
  cnet__cbq batch = loop->posts;
  loop->posts.head = loop->posts.tail = NULL;
  pthread_mutex_unlock(&loop->post_mu);
  cnet__cb *node;
  while ((node = cnet__cbq_pop(&batch))) {
    void (*fn)(void *) = node->fn;
    void *arg = node->arg;
    free(node);
    fn(arg);
    cnet__run_ticks(loop);
  }
}

static void on_wake(cnet_loop *loop, cnet__io *io, uint32_t revents) {
  uint64_t n;
  while (read(io->fd, &n, sizeof n) < 0 && errno == EINTR) {
  }
  /* Clear before looking, so a send racing with us causes another wake. */
  atomic_store(&loop->wake_pending, 0);
  run_posts(loop);
  for (cnet_async *a = loop->asyncs, *next; a; a = next) {
    next = a->next; /* the callback may close a */
    if (__atomic_exchange_n(&a->pending, 0, __ATOMIC_ACQ_REL)) {
      a->cb(a, a->arg);
      cnet__run_ticks(loop);
    }
  }
}

int cnet_async_init(cnet_loop *loop, cnet_async *a, cnet_async_cb cb, void *arg) {
  if (!loop || !a || !cb) return cnet__fail(CNET_EINVAL, NULL);
  *a = (cnet_async){.loop = loop, .cb = cb, .arg = arg,
                    .flags = CNET__F_INIT | CNET__F_REF};
  a->next = loop->asyncs;
  if (a->next) a->next->prev = a;
  loop->asyncs = a;
  cnet__flags_update(loop, &a->flags, CNET__F_ACTIVE, 0);
  return 0;
}

int cnet_async_send(cnet_async *a) {
  if (!a) return cnet__fail(CNET_EINVAL, NULL);
  if (__atomic_exchange_n(&a->pending, 1, __ATOMIC_ACQ_REL) == 0) wake(a->loop);
  return 0;
}

void cnet_async_close(cnet_async *a) {
  if (!a || !(a->flags & CNET__F_INIT)) return;
  cnet_loop *loop = a->loop;
  if (a->prev)
    a->prev->next = a->next;
  else
    loop->asyncs = a->next;
  if (a->next) a->next->prev = a->prev;
  cnet__flags_update(loop, &a->flags, 0, CNET__F_ACTIVE);
  a->flags = 0;
}

void cnet_async_ref(cnet_async *a) {
  if (a && (a->flags & CNET__F_INIT))
    cnet__flags_update(a->loop, &a->flags, CNET__F_REF, 0);
}

void cnet_async_unref(cnet_async *a) {
  if (a && (a->flags & CNET__F_INIT))
    cnet__flags_update(a->loop, &a->flags, 0, CNET__F_REF);
}

/* ---- poll handles ------------------------------------------------------- */

struct cnet_poll {
  cnet__io io;
  cnet_loop *loop;
  cnet_poll_cb cb;
  void *arg;
  cnet_poll *next;
  cnet_poll *prev;
  uint16_t flags;
};

static void on_poll_io(cnet_loop *loop, cnet__io *io, uint32_t revents) {
  cnet_poll *p = CNET__CONTAINER_OF(io, cnet_poll, io);
  int events = 0, status = 0;
  uint32_t wanted_events = io->events;
  if (revents & (POLLIN | POLLHUP)) events |= CNET_READABLE;
  if (revents & POLLOUT) events |= CNET_WRITABLE;
  if (revents & POLLRDHUP) events |= CNET_DISCONNECT;
  if (revents & POLLERR) {
    /* As libuv's uv_poll: an error stops the watcher, reported once. */
    status = CNET_EBADF;
    p->io.events = 0;
    cnet__io_update(loop, &p->io);
    cnet__flags_update(loop, &p->flags, 0, CNET__F_ACTIVE);
  }
  /* Only what was asked for, and errors. */
  int wanted = (wanted_events & POLLIN ? CNET_READABLE : 0) |
               (wanted_events & POLLOUT ? CNET_WRITABLE : 0) |
               (wanted_events & POLLRDHUP ? CNET_DISCONNECT : 0);
  events &= wanted;
  if (!events && !status) return;
  p->cb(p, status, events, p->arg);
}

int cnet_poll_new(cnet_loop *loop, int fd, cnet_poll **out) {
  if (!out) return cnet__fail(CNET_EINVAL, NULL);
  *out = NULL;
  if (!loop || fd < 0) return cnet__fail(CNET_EINVAL, NULL);
  cnet_poll *p = malloc(sizeof *p);
  if (!p) return cnet__fail(CNET_ENOMEM, NULL);
  *p = (cnet_poll){.loop = loop, .flags = CNET__F_INIT | CNET__F_REF};
  p->io.fd = fd;
  p->io.cb = on_poll_io;
  p->next = loop->polls;
  if (p->next) p->next->prev = p;
  loop->polls = p;
  *out = p;
  return 0;
}

int cnet_poll_start(cnet_poll *p, int events, cnet_poll_cb cb, void *arg) {
  if (!p || !(p->flags & CNET__F_INIT) || !cb) return cnet__fail(CNET_EINVAL, NULL);
  if (events & ~(CNET_READABLE | CNET_WRITABLE | CNET_DISCONNECT))
    return cnet__fail(CNET_EINVAL, NULL);
  if (!events) return cnet_poll_stop(p);
  uint16_t want = (events & CNET_READABLE ? POLLIN : 0) |
                  (events & CNET_WRITABLE ? POLLOUT : 0) |
                  (events & CNET_DISCONNECT ? POLLRDHUP : 0);
  if (!p->io.registered) {
    int r = cnet__io_check(p->loop, p->io.fd);
    if (r != 0) return r;
  }
  p->io.events = want;
  cnet__io_update(p->loop, &p->io);
  p->cb = cb;
  p->arg = arg;
  cnet__flags_update(p->loop, &p->flags, CNET__F_ACTIVE, 0);
  return 0;
}

int cnet_poll_stop(cnet_poll *p) {
  if (!p || !(p->flags & CNET__F_INIT)) return cnet__fail(CNET_EINVAL, NULL);
  p->io.events = 0;
  int r = cnet__io_update(p->loop, &p->io);
  cnet__flags_update(p->loop, &p->flags, 0, CNET__F_ACTIVE);
  return r;
}

void cnet_poll_close(cnet_poll *p) {
  if (!p || !(p->flags & CNET__F_INIT)) return;
  cnet_loop *loop = p->loop;
  cnet__io_close(loop, &p->io);
  if (p->prev)
    p->prev->next = p->next;
  else
    loop->polls = p->next;
  if (p->next) p->next->prev = p->prev;
  cnet__flags_update(loop, &p->flags, 0, CNET__F_ACTIVE);
  free(p);
}

void cnet_poll_ref(cnet_poll *p) {
  if (p && (p->flags & CNET__F_INIT))
    cnet__flags_update(p->loop, &p->flags, CNET__F_REF, 0);
}

void cnet_poll_unref(cnet_poll *p) {
  if (p && (p->flags & CNET__F_INIT))
    cnet__flags_update(p->loop, &p->flags, 0, CNET__F_REF);
}

/* ---- the loop ----------------------------------------------------------- */

int cnet_loop_new(cnet_loop **out) {
  if (!out) return cnet__fail(CNET_EINVAL, NULL);
  *out = NULL;
  cnet_loop *loop = calloc(1, sizeof *loop);
  if (!loop) return cnet__fail(CNET_ENOMEM, NULL);
  loop->handles.next = loop->handles.prev = &loop->handles;
  loop->closing.next = loop->closing.prev = &loop->closing;
  loop->wake_fd = -1;
  atomic_init(&loop->wake_pending, 0);
  int r = pthread_mutex_init(&loop->post_mu, NULL);
  if (r != 0) {
    free(loop);
    return cnet_errno(r);
  }
  r = cnet__poller_init(loop);
  if (r != 0) goto fail;
  loop->wake_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (loop->wake_fd < 0) {
    r = cnet_errno(errno);
    goto fail;
  }
  loop->wake_io.fd = loop->wake_fd;
  loop->wake_io.cb = on_wake;
  loop->wake_io.events = POLLIN;
  r = cnet__io_update(loop, &loop->wake_io);
  if (r != 0) goto fail;
  cnet_loop_update_time(loop);
  *out = loop;
  return 0;
fail:
  if (loop->wake_fd >= 0) close(loop->wake_fd);
  cnet__poller_free(loop);
  pthread_mutex_destroy(&loop->post_mu);
  free(loop);
  return r;
}

static pthread_mutex_t default_mu = PTHREAD_MUTEX_INITIALIZER;
static cnet_loop *default_loop;

cnet_loop *cnet_default_loop(void) {
  pthread_mutex_lock(&default_mu);
  if (!default_loop) {
    int r = cnet_loop_new(&default_loop);
    if (r != 0) {
      cnet__fail(r, "the default loop cannot be made: %s", cnet_strerror(r));
      default_loop = NULL;
    }
  }
  cnet_loop *loop = default_loop;
  pthread_mutex_unlock(&default_mu);
  return loop;
}

bool cnet_loop_alive(const cnet_loop *loop) {
  return loop->active_refs > 0 || loop->ticks.head || loop->pending.head ||
         loop->before_wait.head || loop->checks.head || cnet__closing_any(loop);
}

/* libuv's backend timeout: wait for the next timer only when nothing is
 * ready to run. Unref'd immediates do not count, as in Node (their check
 * runs after whatever the poll waits for). */
static int poll_timeout(const cnet_loop *loop) {
  if (loop->stop_flag || loop->active_refs == 0 || loop->im_refs ||
      loop->pending.head || loop->before_wait.head || loop->checks.head ||
      cnet__closing_any(loop) || loop->ticks.head)
    return 0;
  return cnet__timers_next_timeout(loop);
}

/* One turn is libuv 1.46's (Node 20's): pending callbacks, poll, more
 * pending, immediates, closing handles, then timers. DEFAULT also runs
 * expired timers once before the first turn. Output coalesced since the
 * last wait is flushed right before the poll waits, and before returning,
 * so that no write waits on a loop that is not running. */
int cnet_loop_run(cnet_loop *loop, cnet_run_mode mode) {
  if (!loop || loop->running) return cnet__fail(CNET_EINVAL, NULL);
  loop->running = true;
  cnet_loop_update_time(loop);
  cnet__run_ticks(loop); /* ticks queued before run, like Node's main script */
  int r = 0;
  bool alive = cnet_loop_alive(loop);
  if (mode == CNET_RUN_DEFAULT && alive && !loop->stop_flag) {
    cnet_loop_update_time(loop);
    cnet__timers_run(loop);
  }
  while (alive && !loop->stop_flag) {
    bool can_sleep = !loop->pending.head && !loop->im_refs && !loop->checks.head;
    cnet__run_pending(loop);
    cnet__run_before_wait(loop);
    int timeout = 0;
    if ((mode == CNET_RUN_ONCE && can_sleep) || mode == CNET_RUN_DEFAULT)
      timeout = poll_timeout(loop);
    int n = cnet__poller_wait(loop, timeout);
    if (n < 0) {
      r = n;
      break;
    }
    for (int i = 0; i < 8 && loop->pending.head; i++) cnet__run_pending(loop);
    cnet__run_checks(loop);
    run_immediates(loop);
    if (cnet__closing_any(loop)) cnet__run_closing(loop);
    cnet_loop_update_time(loop);
    cnet__timers_run(loop);
    alive = cnet_loop_alive(loop);
    if (mode != CNET_RUN_DEFAULT) break;
  }
  if (r == 0) cnet__run_before_wait(loop);
  loop->stop_flag = false;
  loop->running = false;
  if (r < 0) return r;
  return cnet_loop_alive(loop) ? 1 : 0;
}

void cnet_loop_stop(cnet_loop *loop) {
  if (loop) loop->stop_flag = true;
}

void cnet_loop_walk(cnet_loop *loop,
                    void (*cb)(const cnet_handle_info *info, void *arg),
                    void *arg) {
  cnet_handle_info info;
  for (uint32_t i = 0; i < loop->heap_len; i++) {
    const cnet_timer *t = loop->heap[i];
    info = (cnet_handle_info){"timer", t, true, (t->flags & CNET__F_REF) != 0};
    cb(&info, arg);
  }
  const cnet_immediate *lists[2] = {loop->im_run_head, loop->im_head};
  for (int l = 0; l < 2; l++)
    for (const cnet_immediate *im = lists[l]; im; im = im->next) {
      info = (cnet_handle_info){"immediate", im, true,
                                (im->flags & CNET__F_REF) != 0};
      cb(&info, arg);
    }
  for (const cnet_async *a = loop->asyncs; a; a = a->next) {
    info = (cnet_handle_info){"async", a, true, (a->flags & CNET__F_REF) != 0};
    cb(&info, arg);
  }
  for (const cnet_poll *p = loop->polls; p; p = p->next) {
    info = (cnet_handle_info){"poll", p, (p->flags & CNET__F_ACTIVE) != 0,
                              (p->flags & CNET__F_REF) != 0};
    cb(&info, arg);
  }
  cnet__signals_walk(loop, cb, arg);
  const cnet__handle *sentinels[2] = {&loop->handles, &loop->closing};
  for (int l = 0; l < 2; l++)
    for (cnet__handle *h = sentinels[l]->next; h != sentinels[l]; h = h->next) {
      info = (cnet_handle_info){h->em.ops_->type_name, h,
                                (CNET__H_FLAGS(h) & CNET__F_ACTIVE) != 0,
                                (CNET__H_FLAGS(h) & CNET__F_REF) != 0};
      cb(&info, arg);
    }
}

static void report_open(const cnet_handle_info *info, void *arg) {
  int *count = arg;
  (*count)++;
  fprintf(stderr, "cnet: loop closed with open handle: %s %p (%s, %s)\n",
          info->type, info->handle, info->active ? "active" : "inactive",
          info->ref ? "ref'd" : "unref'd");
}

int cnet_loop_close(cnet_loop *loop) {
  if (!loop || loop->running) return cnet__fail(CNET_EBUSY, NULL);
  /* Posts that arrived after the last turn still run: nothing is dropped. */
  run_posts(loop);
  cnet__run_ticks(loop);
  int open = 0;
  cnet_loop_walk(loop, report_open, &open);
  if (cnet__closing_any(loop)) {
    fprintf(stderr, "cnet: loop closed with handles still closing; "
                    "run the loop once more first\n");
    open++;
  }
  if (open) {
    fflush(stderr);
    return cnet__fail(CNET_EBUSY, NULL);
  }
  cnet__cb *node;
  while ((node = loop->cb_free)) {
    loop->cb_free = node->next;
    free(node);
  }
  while ((node = cnet__cbq_pop(&loop->pending))) {
    if (node->pooled) free(node);
  }
  cnet__signals_free(loop);
  cnet__io_close(loop, &loop->wake_io);
  close(loop->wake_fd);
  cnet__poller_free(loop);
  cnet__timers_free(loop);
  free(loop->rbuf);
  free(loop->rbuf2);
  free(loop->wbuf);
  pthread_mutex_destroy(&loop->post_mu);
  /* The default loop can be made again after it is closed. */
  pthread_mutex_lock(&default_mu);
  if (loop == default_loop) default_loop = NULL;
  pthread_mutex_unlock(&default_mu);
  free(loop);
  return 0;
}
