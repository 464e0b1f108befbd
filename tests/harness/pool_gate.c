/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* test_pool_block / test_pool_unblock (harness.h): every thread of cnet's
 * worker pool held, through the public API alone. Each thread is taken by
 * a file write stream on a pipe that nobody reads yet: the write is twice
 * what the pipe holds, so the thread that runs it sits in write(2) until
 * the test drains the pipe. The first bytes in the pipe show that the
 * thread is in there: no sleep, no guess. */
#include "harness.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#define STR_(x) #x
#define STR(x) STR_(x)

static struct gate {
  cnet_fs_write_stream *ws;
  int rfd;
  size_t len; /* what the write puts in the pipe */
  cnet_poll *arrival;
} gates[TEST_POOL_THREADS];
static unsigned arrived;

static void on_arrival(cnet_poll *p, int status, int events, void *arg) {
  (void)events;
  ASSERT_EQ(0, status);
  cnet_poll_close(p);
  if (++arrived == TEST_POOL_THREADS) cnet_loop_stop(arg);
}

void test_pool_block(cnet_loop *loop) {
  ASSERT_EQ(0, setenv("CNET_THREADPOOL_SIZE", STR(TEST_POOL_THREADS), 1));
  arrived = 0;
  for (unsigned i = 0; i < TEST_POOL_THREADS; i++) {
    struct gate *g = &gates[i];
    int fds[2];
    ASSERT_EQ(0, pipe2(fds, O_CLOEXEC));
    int cap = fcntl(fds[1], F_GETPIPE_SZ);
    ASSERT(cap > 0);
    g->rfd = fds[0];
    g->len = 2 * (size_t)cap;
    cnet_fs_stream_options o = {.fd = fds[1]};
    ASSERT_EQ(0, cnet_fs_create_write_stream(loop, NULL, &o, &g->ws));
    char *bytes = calloc(1, g->len);
    ASSERT_NOT_NULL(bytes);
    cnet_stream_write(g->ws, bytes, g->len, NULL, NULL);
    free(bytes);
    ASSERT_EQ(0, cnet_poll_new(loop, g->rfd, &g->arrival));
    ASSERT_EQ(0, cnet_poll_start(g->arrival, CNET_READABLE, on_arrival, loop));
  }
  /* The writes keep the loop alive: it runs until the last one arrives. */
  cnet_loop_run(loop, CNET_RUN_DEFAULT);
  ASSERT_EQ(TEST_POOL_THREADS, arrived);
}

void test_pool_unblock(void) {
  static char sink[16384];
  for (unsigned i = 0; i < TEST_POOL_THREADS; i++) {
    struct gate *g = &gates[i];
    /* Blocking reads: the rest of the write comes as the pipe empties. */
    for (size_t got = 0; got < g->len;) {
      ssize_t n = read(g->rfd, sink, sizeof sink);
      if (n < 0 && errno == EINTR) continue;
      ASSERT(n > 0);
      got += (size_t)n;
    }
    close(g->rfd);
    /* Closes the write end once the write is done (autoClose). */
    cnet_stream_end(g->ws, NULL, 0, NULL, NULL);
  }
}
