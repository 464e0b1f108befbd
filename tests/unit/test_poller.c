/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* cnet-test-labels: unit threads
 * What every poller backend (epoll, io_uring: -DCNET_BACKEND) must get
 * right beyond plain readiness: an fd reused within one batch, a closed
 * socket let go at once, a half-closed peer, a loop run by two threads in
 * turn. */
#include "harness.h"

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pthread.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static cnet_loop *loop;
static cnet_poll *polls[3];
static int fds[3][2];
static int called[3];

static void count_and_close(cnet_poll *p, int status, int events, void *arg) {
  (void)status;
  (void)events;
  called[(intptr_t)arg]++;
  cnet_poll_close(p);
}

/* Whichever of the two ready watchers comes first closes the other and its
 * fd, and watches a socket that takes over the fd number and is not
 * readable; the closed watcher's event is in this batch already. */
static void close_and_reuse(cnet_poll *p, int status, int events, void *arg) {
  (void)status;
  (void)events;
  int me = (int)(intptr_t)arg, other = 1 - me;
  called[me]++;
  cnet_poll_close(p);
  cnet_poll_close(polls[other]);
  int fd = fds[other][0], sp[2];
  ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_STREAM, 0, sp));
  ASSERT_EQ(fd, dup2(sp[0], fd));
  close(sp[0]);
  fds[2][0] = fd;
  fds[2][1] = sp[1];
  cnet_poll_new(loop, fd, &polls[2]);
  ASSERT_EQ(0, cnet_poll_start(polls[2], CNET_READABLE, count_and_close,
                               (void *)2));
  cnet_poll_unref(polls[2]); /* the loop ends when the batch is done */
}

CNET_TEST(event_of_a_closed_watcher_is_not_given_to_its_fds_next_watcher) {
  loop = test_loop();
  memset(called, 0, sizeof called);
  for (int i = 0; i < 2; i++) {
    ASSERT_EQ(0, pipe(fds[i]));
    ASSERT_EQ(1, write(fds[i][1], "x", 1));
    cnet_poll_new(loop, fds[i][0], &polls[i]);
    ASSERT_EQ(0, cnet_poll_start(polls[i], CNET_READABLE, close_and_reuse,
                                 (void *)(intptr_t)i));
  }
  test_run(loop);
  ASSERT_EQ(1, called[0] + called[1]);
  ASSERT_EQ(0, called[2]);
  cnet_poll_close(polls[2]);
  for (int i = 0; i < 3; i++) {
    close(fds[i][0]);
    close(fds[i][1]);
  }
  test_loop_close(loop);
}

static void on_connection_unused(const cnet_event *ev, void *arg) {
  (void)ev;
  (void)arg;
}

CNET_TEST(closed_server_frees_its_port_before_close_returns) {
  loop = test_loop();
  cnet_server *server = NULL;
  cnet_create_server(loop, NULL, on_connection_unused,
                                           NULL, &server);
  int port = test_listen(loop, server, "127.0.0.1", 0);
  /* One more turn: the server is being watched by the kernel now. */
  cnet_loop_run(loop, CNET_RUN_NOWAIT);
  ASSERT_EQ(0, cnet_server_close(server, NULL, NULL));
  /* As after Node's server.close(): the port can be bound again at once,
   * without SO_REUSEADDR. */
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in sa = {.sin_family = AF_INET,
                           .sin_port = htons((uint16_t)port),
                           .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
  ASSERT_EQ(0, bind(fd, (struct sockaddr *)&sa, sizeof sa));
  close(fd);
  test_run(loop);
  cnet_server_free(server);
  test_loop_close(loop);
}

static cnet_timer timer;
static int turns;

static void drain_peer(cnet_timer *t, void *arg) {
  (void)t;
  (void)arg;
  char buf[4096];
  while (read(fds[0][1], buf, sizeof buf) > 0) {
  }
}

CNET_TEST(writable_watch_on_a_half_closed_socket_waits_for_room) {
  loop = test_loop();
  memset(called, 0, sizeof called);
  ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_STREAM, 0, fds[0]));
  int a = fds[0][0], b = fds[0][1];
  ASSERT_EQ(0, fcntl(a, F_SETFL, O_NONBLOCK));
  ASSERT_EQ(0, fcntl(b, F_SETFL, O_NONBLOCK));
  char buf[4096] = {0};
  while (write(a, buf, sizeof buf) > 0) {
  }
  ASSERT_EQ(EAGAIN, errno);
  /* The peer shuts its side: a sees POLLRDHUP, which it did not ask for,
   * and stays unwritable until the peer reads. */
  ASSERT_EQ(0, shutdown(b, SHUT_WR));
  cnet_poll_new(loop, a, &polls[0]);
  ASSERT_EQ(0, cnet_poll_start(polls[0], CNET_WRITABLE, count_and_close,
                               (void *)0));
  cnet_timer_init(loop, &timer);
  cnet_set_timeout(&timer, drain_peer, NULL, 20);
  /* Until the timer, nothing happens that the watcher asked for: the loop
   * waits (a turn or two) rather than spinning. */
  turns = 0;
  while (called[0] == 0 && cnet_loop_run(loop, CNET_RUN_ONCE) != 0) turns++;
  ASSERT_EQ(1, called[0]);
  ASSERT(turns <= 3);
  close(a);
  close(b);
  test_loop_close(loop);
}

static void *run_loop(void *arg) {
  test_run(arg);
  return NULL;
}

CNET_TEST(loop_run_by_another_thread_then_this_one_sees_its_fds) {
  loop = test_loop();
  memset(called, 0, sizeof called);
  for (int i = 0; i < 2; i++) {
    ASSERT_EQ(0, pipe(fds[i]));
    cnet_poll_new(loop, fds[i][0], &polls[i]);
  }
  /* polls[1] is watched from the start but becomes readable only when
   * this thread runs the loop. */
  ASSERT_EQ(0, cnet_poll_start(polls[1], CNET_READABLE, count_and_close,
                               (void *)1));
  cnet_poll_unref(polls[1]);
  ASSERT_EQ(0, cnet_poll_start(polls[0], CNET_READABLE, count_and_close,
                               (void *)0));
  ASSERT_EQ(1, write(fds[0][1], "x", 1));
  pthread_t th;
  ASSERT_EQ(0, pthread_create(&th, NULL, run_loop, loop));
  ASSERT_EQ(0, pthread_join(th, NULL));
  ASSERT_EQ(1, called[0]);
  ASSERT_EQ(0, called[1]);
  cnet_poll_ref(polls[1]);
  ASSERT_EQ(1, write(fds[1][1], "x", 1));
  test_run(loop);
  ASSERT_EQ(1, called[1]);
  for (int i = 0; i < 2; i++) {
    close(fds[i][0]);
    close(fds[i][1]);
  }
  test_loop_close(loop);
}
