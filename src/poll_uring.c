/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* The io_uring backend: the poller interface of poller.h over one ring.
 * Readiness comes from IORING_OP_POLL_ADD requests: a level-triggered
 * watcher's request is one-shot and re-armed after each report (a re-arm
 * on a still-ready fd completes at once, which is what level-triggered
 * means), an edge-triggered one (CNET__IO_ET) is multishot. The changes of
 * a turn are SQEs that go to the kernel in the io_uring_enter that waits.
 *
 * A request's user_data is its fd and a generation, never a pointer. The
 * backend keeps one slot per fd (as libuv's watchers[fd]); closing a
 * watcher bumps its slot's generation, so a CQE that was already on its way
 * for it is recognised as stale and dropped, and the watcher's memory may
 * go at once. Pending changes are kept here, in order, not in the watcher. */
#include "handle.h"
#include "poller.h"

#include <errno.h>
#include <liburing.h>
#include <poll.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/syscall.h>
#include <unistd.h>

#define SQ_ENTRIES 256   /* a longer change list is submitted in parts */
#define CQ_ENTRIES 4096  /* the kernel keeps what overflows (FEAT_NODROP) */
#define MAX_EVENTS 1024  /* CQEs dispatched per wait; the rest wait a turn */

/* The poll bits a watcher asks for; ERR and HUP are always reported. */
#define WANT_MASK (POLLIN | POLLOUT | POLLRDHUP)

struct slot {
  cnet__io *io;        /* the watcher of this fd, NULL when none */
  uint32_t gen;        /* of its request; bumped per POLL_ADD and per close */
  uint32_t qpos;       /* 1 + its index in changes, 0 when not queued */
  uint32_t armed;      /* the events of its request in the kernel, 0: none */
  uint8_t multishot;   /* that request is multishot */
  /* The peer shut its side: POLLRDHUP stays set, and the kernel reports it
   * whether asked or not, so a one-shot request that does not ask for it
   * would complete again at once, forever. Until something asked for
   * happens the watcher waits with a multishot request instead, which
   * completes on wake-ups only. */
  uint8_t rdhup_edge;
};

struct event {
  uint32_t fd;
  uint32_t gen;
  uint32_t revents;
};

struct poller {
  struct io_uring ring;
  bool enabled;  /* the ring is enabled by the thread that first waits */
  bool single;   /* SINGLE_ISSUER | DEFER_TASKRUN (Linux 6.1) */
  bool added;    /* a watcher was added since the last wait */
  int check_fd;  /* an epoll fd for cnet__io_check, made on first use */
  struct slot *slots;
  uint32_t nslots;
  cnet__io **changes; /* to apply before the next wait, in order */
  uint32_t nchanges, capchanges;
  int batch_n; /* events of the batch being dispatched */
  int batch_i;
  struct event batch[MAX_EVENTS];
};

static uint64_t udata(uint32_t fd, uint32_t gen) {
  return (uint64_t)gen << 32 | fd;
}

/* Generations are never 0, so that user_data 0 can mark the CQEs of
 * removals and updates, which carry nothing to dispatch. */
static uint32_t next_gen(uint32_t gen) {
  return gen + 1 ? gen + 1 : 1;
}

static int ring_setup(struct poller *p) {
  /* Deferred task work makes completions appear only when the loop asks
   * for them (in the wait), in the order they happened, after the
   * completions of the requests submitted with that wait: readiness is then
   * reported in epoll's order. It needs a single submitting thread, which is
   * the thread that runs the loop, not the one that made it: the ring
   * starts disabled and that thread enables it. */
  struct io_uring_params pa = {
      .flags = IORING_SETUP_CQSIZE | IORING_SETUP_SUBMIT_ALL |
               IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN |
               IORING_SETUP_R_DISABLED,
      .cq_entries = CQ_ENTRIES};
  int r = io_uring_queue_init_params(SQ_ENTRIES, &p->ring, &pa);
  p->single = r == 0;
  if (r == -EINVAL) { /* before Linux 6.1 */
    pa = (struct io_uring_params){.flags = IORING_SETUP_CQSIZE,
                                  .cq_entries = CQ_ENTRIES};
    r = io_uring_queue_init_params(SQ_ENTRIES, &p->ring, &pa);
  }
  if (r < 0) return cnet_errno(-r);
  p->enabled = !p->single;
  /* CQE_SKIP_SUCCESS (Linux 5.17, which also has multishot poll) keeps
   * removals and updates silent; NODROP keeps what overflows the CQ. */
  unsigned need = IORING_FEAT_NODROP | IORING_FEAT_CQE_SKIP;
  if ((pa.features & need) != need) {
    io_uring_queue_exit(&p->ring);
    return CNET_ENOSYS;
  }
  return 0;
}

static int ring_enable(struct poller *p) {
  if (p->enabled) return 0;
  /* liburing 2.3 declares io_uring_enable_rings but does not export it. */
  if (syscall(__NR_io_uring_register, p->ring.ring_fd,
              IORING_REGISTER_ENABLE_RINGS, NULL, 0) != 0)
    return cnet_errno(errno);
  p->enabled = true;
  return 0;
}

int cnet__poller_init(cnet_loop *loop) {
  struct poller *p = calloc(1, sizeof *p);
  if (!p) return CNET_ENOMEM;
  int r = ring_setup(p);
  if (r != 0) {
    free(p);
    return r;
  }
  p->check_fd = -1;
  loop->poller = p;
  return 0;
}

void cnet__poller_free(cnet_loop *loop) {
  struct poller *p = loop->poller;
  if (!p) return;
  io_uring_queue_exit(&p->ring);
  if (p->check_fd >= 0) close(p->check_fd);
  free(p->slots);
  free(p->changes);
  free(p);
  loop->poller = NULL;
}

static struct slot *slot_of(struct poller *p, int fd) {
  if ((uint32_t)fd < p->nslots) return &p->slots[fd];
  uint32_t n = p->nslots ? p->nslots : 64;
  while (n <= (uint32_t)fd) n *= 2;
  struct slot *s = realloc(p->slots, n * sizeof *s);
  if (!s) return NULL;
  for (uint32_t i = p->nslots; i < n; i++) s[i] = (struct slot){0};
  p->slots = s;
  p->nslots = n;
  return &s[fd];
}

static int enqueue(struct poller *p, struct slot *s) {
  if (s->qpos) return 0;
  if (p->nchanges == p->capchanges) {
    uint32_t cap = p->capchanges ? p->capchanges * 2 : 64;
    cnet__io **c = realloc(p->changes, cap * sizeof *c);
    if (!c) return CNET_ENOMEM;
    p->changes = c;
    p->capchanges = cap;
  }
  p->changes[p->nchanges++] = s->io;
  s->qpos = p->nchanges;
  return 0;
}

int cnet__io_update(cnet_loop *loop, cnet__io *io) {
  struct poller *p = loop->poller;
  if (io->fd < 0) return 0;
  struct slot *s = slot_of(p, io->fd);
  if (!s) return CNET_ENOMEM;
  if (s->io != io) {
    /* A second watcher on one fd: epoll refuses it (EEXIST) when the change
     * is applied, and so does this backend, silently, as epoll's does. */
    if (s->io || !io->events) return 0;
    s->io = io;
    p->added = true;
  }
  if (io->events == io->registered && !s->qpos) return 0;
  return enqueue(p, s);
}

int cnet__io_check(cnet_loop *loop, int fd) {
  /* What epoll accepts is the rule (a regular file is CNET_EPERM), and
   * io_uring would poll a file as always ready: ask epoll. */
  struct poller *p = loop->poller;
  if (p->check_fd < 0) {
    p->check_fd = epoll_create1(EPOLL_CLOEXEC);
    if (p->check_fd < 0) return cnet_errno(errno);
  }
  struct epoll_event ev = {.events = EPOLLIN};
  if (epoll_ctl(p->check_fd, EPOLL_CTL_ADD, fd, &ev) != 0)
    return errno == EEXIST ? 0 : cnet_errno(errno);
  epoll_ctl(p->check_fd, EPOLL_CTL_DEL, fd, &ev);
  return 0;
}

static struct io_uring_sqe *get_sqe(struct poller *p) {
  struct io_uring_sqe *sqe = io_uring_get_sqe(&p->ring);
  if (!sqe) {
    /* The SQ is full: these go now, the rest with the wait. */
    io_uring_submit(&p->ring);
    sqe = io_uring_get_sqe(&p->ring);
  }
  return sqe;
}

static void prep_remove(struct poller *p, uint32_t fd, struct slot *s) {
  struct io_uring_sqe *sqe = get_sqe(p);
  if (!sqe) return;
  io_uring_prep_poll_remove(sqe, udata(fd, s->gen));
  io_uring_sqe_set_flags(sqe, IOSQE_CQE_SKIP_SUCCESS);
  sqe->user_data = 0;
  s->armed = 0;
  s->multishot = 0;
}

/* Makes the kernel's request for fd match what its watcher wants. */
static void apply(struct poller *p, uint32_t fd, struct slot *s) {
  cnet__io *io = s->io;
  uint32_t want = io->events & (WANT_MASK | CNET__IO_ET);
  uint8_t multi = (want & CNET__IO_ET) || s->rdhup_edge;
  if (s->armed && (!want || multi != s->multishot)) prep_remove(p, fd, s);
  if (want && s->armed != want) {
    struct io_uring_sqe *sqe = get_sqe(p);
    /* No SQE: the SQ is full and could not be submitted. The watcher stays
     * unregistered, and its next update queues it again. */
    if (!sqe) return;
    if (!s->armed) {
      s->gen = next_gen(s->gen);
      if (multi)
        io_uring_prep_poll_multishot(sqe, (int)fd, want & WANT_MASK);
      else
        io_uring_prep_poll_add(sqe, (int)fd, want & WANT_MASK);
      sqe->user_data = udata(fd, s->gen);
      s->multishot = multi;
    } else {
      /* Changes the events of the request in place; if it completed in
       * the meantime the update fails (a CQE with user_data 0, ignored)
       * and the completion, still of this generation, re-arms it. */
      io_uring_prep_poll_update(sqe, udata(fd, s->gen), 0, want & WANT_MASK,
                                IORING_POLL_UPDATE_EVENTS |
                                    (multi ? IORING_POLL_ADD_MULTI : 0));
      io_uring_sqe_set_flags(sqe, IOSQE_CQE_SKIP_SUCCESS);
      sqe->user_data = 0;
    }
    s->armed = want;
  }
  io->registered = io->events;
}

static void apply_changes(struct poller *p) {
  for (uint32_t i = 0; i < p->nchanges; i++) {
    cnet__io *io = p->changes[i];
    if (!io) continue; /* closed since it was queued */
    if (io->fd < 0 || (uint32_t)io->fd >= p->nslots) continue;
    struct slot *s = &p->slots[io->fd];
    if (s->io != io) continue; /* its fd was changed under it */
    s->qpos = 0;
    apply(p, (uint32_t)io->fd, s);
  }
  p->nchanges = 0;
}

void cnet__io_close(cnet_loop *loop, cnet__io *io) {
  struct poller *p = loop->poller;
  io->events = io->registered = 0;
  struct slot *s = io->fd >= 0 && (uint32_t)io->fd < p->nslots
                       ? &p->slots[io->fd] : NULL;
  if (!s || s->io != io) {
    /* Never registered (or its fd was changed under it): it can only be
     * in the change list. */
    for (uint32_t i = 0; i < p->nchanges; i++)
      if (p->changes[i] == io) p->changes[i] = NULL;
    return;
  }
  if (s->qpos) p->changes[s->qpos - 1] = NULL;
  bool armed = s->armed != 0;
  if (armed) prep_remove(p, (uint32_t)io->fd, s);
  /* Every CQE still to come for this fd carries an older generation. */
  *s = (struct slot){.gen = next_gen(s->gen)};
  /* A pending request holds a reference to the file: the owner's close()
   * would not close the socket (a listening port stays bound, a peer sees
   * no FIN) until the request goes. Remove it now, as epoll_ctl(DEL)
   * would. Another thread (cnet_loop_close after the loop ran elsewhere)
   * cannot submit; the ring's exit releases everything then. */
  if (armed && p->enabled) io_uring_submit_and_get_events(&p->ring);
}

/* Copies up to MAX_EVENTS completions into the batch, dropping stale
 * ones, and queues the re-arm of one-shot requests that completed, in the
 * order they did (epoll puts a level-triggered fd it reports back at the
 * end of its ready list in the same way). */
static int reap(struct poller *p) {
  struct io_uring_cqe *cqe;
  unsigned head, seen = 0;
  int n = 0;
  io_uring_for_each_cqe(&p->ring, head, cqe) {
    if (n == MAX_EVENTS) break;
    seen++;
    uint64_t ud = cqe->user_data;
    uint32_t fd = (uint32_t)ud, gen = (uint32_t)(ud >> 32);
    if (!ud || fd >= p->nslots) continue;
    struct slot *s = &p->slots[fd];
    if (!s->io || s->gen != gen) continue; /* closed or re-armed since */
    uint32_t asked = s->armed & WANT_MASK;
    if (!(cqe->flags & IORING_CQE_F_MORE)) {
      s->armed = 0; /* the request is over */
      if (s->io->events) enqueue(p, s);
    }
    if (cqe->res < 0) {
      if (cqe->res == -ECANCELED) continue;
      p->batch[n++] = (struct event){fd, gen, POLLERR};
      continue;
    }
    uint32_t got = (uint32_t)cqe->res;
    uint32_t r = got & (asked | POLLERR | POLLHUP);
    if ((r & asked) && s->rdhup_edge) {
      /* Back to level-triggered: a one-shot request replaces the multishot
       * one with the next wait, and completes at once if still ready. */
      s->rdhup_edge = 0;
      enqueue(p, s);
    } else if (!r && (got & POLLRDHUP) && !s->rdhup_edge && !s->multishot) {
      s->rdhup_edge = 1;
    }
    if (r) p->batch[n++] = (struct event){fd, gen, r};
  }
  io_uring_cq_advance(&p->ring, seen);
  return n;
}

/* The thread that runs a loop is the only one that may submit to its ring.
 * A loop run by another thread than before gets a new ring, made and
 * enabled by this thread, with every watcher armed again. */
static int ring_move(struct poller *p) {
  io_uring_queue_exit(&p->ring);
  int r = ring_setup(p);
  if (r == 0) r = ring_enable(p);
  if (r != 0) return r;
  for (uint32_t fd = 0; fd < p->nslots; fd++) {
    struct slot *s = &p->slots[fd];
    if (!s->io) continue;
    s->armed = 0;
    s->multishot = 0;
    s->gen = next_gen(s->gen);
    if (s->io->events) enqueue(p, s);
  }
  return 0;
}

static int submit_and_wait(struct poller *p, int timeout) {
  struct io_uring_cqe *cqe;
  if (timeout == 0) return io_uring_submit_and_get_events(&p->ring);
  if (timeout < 0) return io_uring_submit_and_wait(&p->ring, 1);
  struct __kernel_timespec ts = {.tv_sec = timeout / 1000,
                                 .tv_nsec = (timeout % 1000) * 1000000L};
  return io_uring_submit_and_wait_timeout(&p->ring, &cqe, 1, &ts, NULL);
}

int cnet__poller_wait(cnet_loop *loop, int timeout) {
  struct poller *p = loop->poller;
  int r = ring_enable(p);
  if (r != 0) return r;
  /* epoll reports what became ready before a watcher was added ahead of
   * the new watcher (a connect() made now puts the listening socket on
   * the ready list during the call, the new socket after it); deferred
   * task work would post the new request's completion first. So the
   * readiness that came before is fetched first, when a watcher was
   * added: one more system call, only then. */
  if (p->added && p->single) io_uring_get_events(&p->ring);
  p->added = false;
  apply_changes(p);
  r = submit_and_wait(p, timeout);
  if (r == -EEXIST) {
    r = ring_move(p);
    if (r != 0) return r;
    apply_changes(p);
    r = submit_and_wait(p, timeout);
  }
  /* ETIME: the timeout; EINTR: a signal; EBUSY, EAGAIN: the CQ is full,
   * which reaping below fixes. What was submitted stays submitted. */
  if (r < 0 && r != -ETIME && r != -EINTR && r != -EBUSY && r != -EAGAIN)
    return cnet_errno(-r);
  /* The wait may have lasted; timers and callbacks see the new time. */
  if (timeout != 0) cnet__update_time(loop);
  p->batch_n = reap(p);
  for (p->batch_i = 0; p->batch_i < p->batch_n;) {
    struct event *e = &p->batch[p->batch_i++];
    struct slot *s = &p->slots[e->fd];
    if (!s->io || s->gen != e->gen) continue; /* closed by a callback */
    s->io->cb(loop, s->io, e->revents);
    cnet__run_ticks(loop);
  }
  int n = p->batch_n;
  p->batch_n = p->batch_i = 0;
  return n;
}
