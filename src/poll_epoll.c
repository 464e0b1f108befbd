/* The epoll backend: the whole poller interface of internal.h over one
 * epoll fd. Watchers (cnet__io) are registered with their own address as
 * epoll's data, so an event leads straight to its watcher. cnet__io_close
 * erases a watcher from the batch being dispatched, so a callback may close
 * and free any other watcher safely. */
#include "internal.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <unistd.h>

#define MAX_EVENTS 1024

struct poller {
  int epfd;
  cnet__io *changes_head, *changes_tail; /* to apply before the next wait */
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
  p->changes_head = p->changes_tail = NULL;
  loop->poller = p;
  return 0;
}

void cnet__poller_free(cnet_loop *loop) {
  struct poller *p = loop->poller;
  if (!p) return;
  close(p->epfd);
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
  if (io->queued || io->events == io->registered) return 0;
  io->queued = 1;
  io->next_change = NULL;
  if (p->changes_tail)
    p->changes_tail->next_change = io;
  else
    p->changes_head = io;
  p->changes_tail = io;
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
  cnet__io *io;
  while ((io = p->changes_head)) {
    p->changes_head = io->next_change;
    if (!p->changes_head) p->changes_tail = NULL;
    io->queued = 0;
    io->next_change = NULL;
    apply(p, io); /* an fd that went bad shows up when it is used */
  }
}

static void unqueue(struct poller *p, cnet__io *io) {
  if (!io->queued) return;
  cnet__io **pp = &p->changes_head, *prev = NULL;
  while (*pp && *pp != io) {
    prev = *pp;
    pp = &(*pp)->next_change;
  }
  if (*pp) {
    *pp = io->next_change;
    if (p->changes_tail == io) p->changes_tail = prev;
  }
  io->queued = 0;
  io->next_change = NULL;
}

void cnet__io_close(cnet_loop *loop, cnet__io *io) {
  struct poller *p = loop->poller;
  unqueue(p, io);
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
  if (timeout != 0) cnet_loop_update_time(loop);
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
