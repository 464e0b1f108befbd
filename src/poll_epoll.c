/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* The epoll backend: the whole poller interface of poller.h over one
 * epoll fd. Watchers (cnet__io) are registered with their own address as
 * epoll's data, so an event leads straight to its watcher. cnet__io_close
 * erases a watcher from the batch being dispatched, so a callback may close
 * and free any other watcher safely. */
#include "handle.h"
#include "poller.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <unistd.h>

#define MAX_EVENTS 1024

/* io->registered: the epoll bits the kernel has, and QUEUED while the
 * watcher waits in the change list. */
enum { QUEUED = 1u << 14 };

struct poller {
  int epfd;
  /* Watchers to apply before the next wait, in the order changed; a
   * closed one is left as NULL. Grows, never shrinks: no allocation in a
   * steady state. */
  cnet__io **changes;
  uint32_t changes_n, changes_cap;
  int batch_n;       /* events of the batch being dispatched */
  int batch_i;
  struct epoll_event batch[MAX_EVENTS];
};

int cnet__poller_init(cnet_loop *loop) {
  struct poller *p = malloc(sizeof *p);
  if (!p) return CNET_ENOMEM;
  p->epfd = epoll_create1(EPOLL_CLOEXEC);
  if (p->epfd < 0) {
    int err = cnet_errno(errno);
    free(p);
    return err;
  }
  p->batch_n = p->batch_i = 0;
  p->changes = NULL;
  p->changes_n = p->changes_cap = 0;
  loop->poller = p;
  return 0;
}

void cnet__poller_free(cnet_loop *loop) {
  struct poller *p = loop->poller;
  if (!p) return;
  close(p->epfd);
  free(p->changes);
  free(p);
  loop->poller = NULL;
}

static uint32_t to_epoll(uint32_t events) {
  uint32_t e = 0;
  if (events & POLLIN) e |= EPOLLIN;
  if (events & POLLOUT) e |= EPOLLOUT;
  if (events & POLLRDHUP) e |= EPOLLRDHUP;
  if (events & CNET__IO_ET) e |= EPOLLET;
  return e;
}

static int apply(struct poller *p, cnet__io *io) {
  io->registered &= (uint16_t)~QUEUED;
  if (io->events == io->registered) return 0;
  struct epoll_event ev = {.events = to_epoll(io->events), .data.ptr = io};
  int op = !io->registered ? EPOLL_CTL_ADD : io->events ? EPOLL_CTL_MOD : EPOLL_CTL_DEL;
  if (epoll_ctl(p->epfd, op, io->fd, &ev) != 0) {
    /* The fd may have been closed and reopened behind our back; ADD after
     * a failed MOD recovers, anything else is the owner's error. */
    if (errno == ENOENT && op == EPOLL_CTL_MOD &&
        epoll_ctl(p->epfd, EPOLL_CTL_ADD, io->fd, &ev) == 0)
      goto ok;
    if (errno == ENOENT && op == EPOLL_CTL_DEL) goto ok;
    return cnet_errno(errno);
  }
ok:
  io->registered = io->events;
  return 0;
}

int cnet__io_update(cnet_loop *loop, cnet__io *io) {
  struct poller *p = loop->poller;
  if ((io->registered & QUEUED) || io->events == io->registered) return 0;
  if (p->changes_n == p->changes_cap) {
    uint32_t cap = p->changes_cap ? p->changes_cap * 2 : 64;
    cnet__io **grown = realloc(p->changes, cap * sizeof *grown);
    /* Out of memory: apply now, out of order but not lost. */
    if (!grown) return apply(p, io);
    p->changes = grown;
    p->changes_cap = cap;
  }
  p->changes[p->changes_n++] = io;
  io->registered |= QUEUED;
  return 0;
}

int cnet__io_check(cnet_loop *loop, int fd) {
  struct poller *p = loop->poller;
  struct epoll_event ev = {.events = EPOLLIN};
  if (epoll_ctl(p->epfd, EPOLL_CTL_ADD, fd, &ev) != 0) {
    if (errno != EEXIST) return cnet_errno(errno);
    return 0;
  }
  epoll_ctl(p->epfd, EPOLL_CTL_DEL, fd, &ev);
  return 0;
}

static void apply_changes(struct poller *p) {
  for (uint32_t i = 0; i < p->changes_n; i++)
    if (p->changes[i]) apply(p, p->changes[i]); /* a bad fd shows when used */
  p->changes_n = 0;
}

void cnet__io_close(cnet_loop *loop, cnet__io *io) {
  struct poller *p = loop->poller;
  if (io->registered & QUEUED)
    for (uint32_t i = p->changes_n; i-- > 0;)
      if (p->changes[i] == io) {
        p->changes[i] = NULL;
        break;
      }
  io->registered &= (uint16_t)~QUEUED;
  if (io->registered && io->fd >= 0) {
    struct epoll_event ev = {0};
    epoll_ctl(p->epfd, EPOLL_CTL_DEL, io->fd, &ev);
  }
  io->events = io->registered = 0;
  for (int i = p->batch_i; i < p->batch_n; i++)
    if (p->batch[i].data.ptr == io) p->batch[i].data.ptr = NULL;
}

int cnet__poller_wait(cnet_loop *loop, int timeout) {
  struct poller *p = loop->poller;
  apply_changes(p);
  int n = epoll_wait(p->epfd, p->batch, MAX_EVENTS, timeout);
  if (n < 0) return errno == EINTR ? 0 : cnet_errno(errno);
  /* The wait may have lasted; timers and callbacks see the new time. */
  if (timeout != 0) cnet__update_time(loop);
  p->batch_n = n;
  for (p->batch_i = 0; p->batch_i < p->batch_n;) {
    struct epoll_event *e = &p->batch[p->batch_i++];
    cnet__io *io = e->data.ptr;
    if (!io) continue; /* closed by an earlier callback of this batch */
    uint32_t r = 0;
    if (e->events & (EPOLLIN | EPOLLPRI)) r |= POLLIN;
    if (e->events & EPOLLOUT) r |= POLLOUT;
    if (e->events & EPOLLRDHUP) r |= POLLRDHUP;
    if (e->events & EPOLLHUP) r |= POLLHUP;
    if (e->events & EPOLLERR) r |= POLLERR;
    io->cb(loop, io, r);
    cnet__run_ticks(loop);
  }
  p->batch_n = p->batch_i = 0;
  return n;
}
