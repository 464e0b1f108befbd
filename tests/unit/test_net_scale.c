/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* Scale: 10 000 connections open at once on one cnet server, every one
 * echoed and closed, nothing left behind. The clients run in a child
 * process (cnet too) so that neither process needs more than ~10 000 of
 * the 20 000 fds a process may have here. */
#include "harness.h"

#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#define CONNS 10000
#define CONNECTING_AT_ONCE 256

static int count_fds(void) {
  int n = 0;
  DIR *d = opendir("/proc/self/fd");
  if (!d) return -1;
  while (readdir(d)) n++;
  closedir(d);
  return n;
}

static void raise_fd_limit(void) {
  struct rlimit rl;
  getrlimit(RLIMIT_NOFILE, &rl);
  rl.rlim_cur = rl.rlim_max;
  setrlimit(RLIMIT_NOFILE, &rl);
}

/* ---- the clients (child process) ------------------------------------------ */

static int port;
static cnet_loop *client_loop;
static int started, connected, echoed, closed_ok;
static cnet_socket *clients[CONNS];
static char expect[CONNS][16];

static void start_more(cnet_loop *loop);

static void client_data(const cnet_event *ev, void *arg) {
  intptr_t i = (intptr_t)arg;
  /* The echo of "c<i>\n" is short enough to arrive in one piece. */
  if (ev->len != strlen(expect[i]) || memcmp(ev->data, expect[i], ev->len) != 0)
    _exit(3);
  if (++echoed == CONNS) {
    /* Every connection is open now; end them all. */
    for (int k = 0; k < CONNS; k++) cnet_socket_end(clients[k], NULL, 0, NULL, NULL);
  }
}

static void client_close(const cnet_event *ev, void *arg) {
  (void)arg;
  if (!ev->had_error) closed_ok++;
}

static void client_connect(void *target, const cnet_error *err, void *arg) {
  (void)err;
  intptr_t i = (intptr_t)arg;
  connected++;
  cnet_socket_write(target, expect[i], strlen(expect[i]), NULL, NULL);
  start_more(client_loop);
}

static void start_more(cnet_loop *loop) {
  while (started < CONNS && started - connected < CONNECTING_AT_ONCE) {
    intptr_t i = started++;
    snprintf(expect[i], sizeof expect[i], "c%ld\n", (long)i);
    cnet_connect_options o = {.port = port, .host = "127.0.0.1"};
    if (cnet_connect(loop, &o, client_connect, (void *)i, &clients[i]) != 0) _exit(4);
    cnet_on(clients[i], CNET_EV_DATA, client_data, (void *)i);
    cnet_on(clients[i], CNET_EV_CLOSE, client_close, NULL);
  }
}

static int run_clients(void) {
  raise_fd_limit();
  cnet_loop *loop;
  if (cnet_loop_new(&loop) != 0) return 5;
  client_loop = loop;
  start_more(loop);
  cnet_loop_run(loop, CNET_RUN_DEFAULT);
  if (cnet_loop_close(loop) != 0) return 6;
  return closed_ok == CONNS ? 0 : 7;
}

/* ---- the server ------------------------------------------------------------- */

static cnet_server *server;
static int open_now, peak, accepted, server_closed;

static void server_data(const cnet_event *ev, void *arg) {
  (void)arg;
  cnet_socket_write(ev->target, ev->data, ev->len, NULL, NULL);
}

static void server_sock_close(const cnet_event *ev, void *arg) {
  (void)ev;
  (void)arg;
  open_now--;
  if (++server_closed == CONNS) cnet_server_close(server, NULL, NULL);
}

static void on_connection(const cnet_event *ev, void *arg) {
  (void)arg;
  accepted++;
  if (++open_now > peak) peak = open_now;
  cnet_on(ev->object, CNET_EV_DATA, server_data, NULL);
  cnet_on(ev->object, CNET_EV_CLOSE, server_sock_close, NULL);
}

CNET_TEST(ten_thousand_concurrent_connections_echoed_and_closed) {
  raise_fd_limit();
  int fds_before = count_fds();
  cnet_loop *loop = test_loop();
  cnet_create_server(loop, NULL, on_connection, NULL, &server);
  ASSERT_NOT_NULL(server);
  port = test_listen(loop, server, "127.0.0.1", 4096);
  pid_t child = fork();
  ASSERT(child >= 0);
  if (child == 0) _exit(run_clients());
  test_run(loop);
  int status = 0;
  ASSERT_EQ(child, waitpid(child, &status, 0));
  ASSERT(WIFEXITED(status));
  ASSERT_EQ(0, WEXITSTATUS(status));
  ASSERT_EQ(CONNS, accepted);
  ASSERT_EQ(CONNS, server_closed);
  ASSERT_EQ(CONNS, peak); /* all open at the same time */
  cnet_server_free(server);
  test_loop_close(loop);
  ASSERT_EQ(fds_before, count_fds());
}
