/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* The poller: the loop's one way to wait for file descriptors. One
 * backend per build (CNET_BACKEND: poll_epoll.c, poll_uring.c), each a
 * handful of functions over its own state in loop->poller. The backend
 * knows the loop's state (handle.h), never the loop that drives it. */
#ifndef CNET_POLLER_H
#define CNET_POLLER_H

#include "cnet.h"

typedef struct cnet__io cnet__io;

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
/* Waits up to timeout ms (-1: no limit) and calls io->cb for each event,
 * then the next-tick queue after each. A wait that may have slept updates
 * the loop's time before the first callback. */
int cnet__poller_wait(cnet_loop *loop, int timeout);

#endif
