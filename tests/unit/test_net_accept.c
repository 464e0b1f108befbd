/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* A server that cannot accept: out of descriptors (EMFILE), memory
 * (ENOBUFS, ENOMEM). Waiting connections are shed with libuv's reserve
 * descriptor so that their peers are told; the error is reported as
 * Node's onconnection words it ("accept EMFILE"); the server keeps
 * listening; and a connection that has to wait never makes the loop spin.
 * Each test lowers RLIMIT_NOFILE in its own process, or makes accept4 fail
 * through the interposer below. */
#include "harness.h"

#include <errno.h>
#include <stdio.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <unistd.h>

/* The library is linked statically, so this definition is the accept4 its
 * server calls: it counts the calls and fails them with inject_errno while
 * that is set. */
static int inject_errno;
static int accept_calls;

int accept4(int fd, struct sockaddr *addr, socklen_t *len, int flags) {
  accept_calls++;
  if (inject_errno) {
    errno = inject_errno;
    return -1;
  }
  return (int)syscall(SYS_accept4, fd, addr, len, flags);
}

/* ---- descriptors ---------------------------------------------------------- */

#define NOFILE 64
static int fillers[NOFILE];
static int fillers_n;

static void lower_nofile(void) {
  struct rlimit rl;
  ASSERT_EQ(0, getrlimit(RLIMIT_NOFILE, &rl));
  rl.rlim_cur = NOFILE;
  ASSERT_EQ(0, setrlimit(RLIMIT_NOFILE, &rl));
}

/* Takes every free descriptor, as a busy server would have. */
static void fill_fds(void) {
  int fd;
  while ((fd = dup(STDIN_FILENO)) >= 0) {
    ASSERT(fillers_n < NOFILE);
    fillers[fillers_n++] = fd;
  }
  ASSERT_EQ(EMFILE, errno);
}

static void free_fds(void) {
  while (fillers_n > 0) close(fillers[--fillers_n]);
}

/* A blocking client: connect() completes in the kernel, queued in the
 * server's backlog until it accepts. */
static int client_connect(int fd, int port) {
  struct sockaddr_in sin = {.sin_family = AF_INET,
                            .sin_port = htons((uint16_t)port),
                            .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
  struct timeval tv = {.tv_sec = 10};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  ASSERT_EQ(0, connect(fd, (struct sockaddr *)&sin, sizeof sin));
  return fd;
}

static int client(int port) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  ASSERT(fd >= 0);
  return client_connect(fd, port);
}

/* What the peer of a shed connection sees: the connection ends. */
static void assert_ended(int fd) {
  char b;
  ssize_t n = recv(fd, &b, 1, 0);
  ASSERT(n == 0 || (n < 0 && errno == ECONNRESET));
  close(fd);
}

static uint64_t cpu_us(void) {
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  return (uint64_t)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000u +
         (uint64_t)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec);
}

/* ---- the server ----------------------------------------------------------- */

static cnet_server *server;
static cnet_loop *loop;
static int port;
static int errors;
static int last_client = -1;

static void on_connection(const cnet_event *ev, void *arg) {
  (void)arg;
  test_trace("connection");
  cnet_socket_destroy(ev->object, NULL);
  cnet_server_close(server, NULL, NULL);
}

static void start_server(void) {
  loop = test_loop();
  cnet_create_server(loop, NULL, on_connection, NULL, &server);
  ASSERT_NOT_NULL(server);
}

static void finish(void) {
  cnet_server_free(server);
  test_loop_close(loop);
}

/* The first error frees the descriptors and connects one more client,
 * which the server then accepts: it is still listening. */
static void on_error_then_serve(const cnet_event *ev, void *arg) {
  (void)arg;
  errors++;
  test_trace("error '%s' %s %s", ev->error->message,
             cnet_err_name(ev->error->code), ev->error->syscall);
  ASSERT(cnet_server_listening(server));
  free_fds();
  last_client = client(port);
}

CNET_TEST(emfile_sheds_waiting_connections_and_keeps_listening) {
  lower_nofile();
  start_server();
  cnet_on(server, CNET_EV_ERROR, on_error_then_serve, NULL);
  port = test_listen(loop, server, "127.0.0.1", 0);
  int waiting[3];
  for (int i = 0; i < 3; i++) waiting[i] = client(port);
  fill_fds();
  test_run(loop);
  /* One report for the three, then the next client is served. */
  ASSERT_TRACE("error 'accept EMFILE' EMFILE accept connection");
  for (int i = 0; i < 3; i++) assert_ended(waiting[i]);
  assert_ended(last_client);
  finish();
}

CNET_TEST(accept_error_without_listener_is_printed_and_server_kept) {
  lower_nofile();
  start_server();
  port = test_listen(loop, server, "127.0.0.1", 0);
  int waiting = client(port);
  test_stderr_begin(); /* its file is opened before the descriptors run out */
  fill_fds();
  cnet_loop_run(loop, CNET_RUN_ONCE);
  free_fds();
  const char *err = test_stderr_end();
  ASSERT_NOT_NULL(strstr(err, "unhandled 'error' event on server"));
  ASSERT_NOT_NULL(strstr(err, ": accept EMFILE (EMFILE)\n"));
  assert_ended(waiting);
  /* Still listening: the next client is served. */
  ASSERT(cnet_server_listening(server));
  last_client = client(port);
  test_run(loop);
  ASSERT_TRACE("connection");
  assert_ended(last_client);
  finish();
}

static cnet_socket *last_socket;

static void on_connection_keep(const cnet_event *ev, void *arg) {
  (void)arg;
  test_trace("connection");
  last_socket = ev->object;
}

static void on_error_trace(const cnet_event *ev, void *arg) {
  (void)arg;
  test_trace("error '%s'", ev->error->message);
}

/* The connection takes the last descriptor: the accept() after it fails
 * with EMFILE though nothing waits (Linux takes the descriptor first).
 * Nothing is shed, nothing reported. */
CNET_TEST(last_descriptor_taken_is_not_an_error) {
  lower_nofile();
  loop = test_loop();
  cnet_create_server(loop, NULL, on_connection_keep, NULL, &server);
  ASSERT_NOT_NULL(server);
  cnet_on(server, CNET_EV_ERROR, on_error_trace, NULL);
  port = test_listen(loop, server, "127.0.0.1", 0);
  int c = client(port);
  fill_fds();
  close(fillers[--fillers_n]); /* the connection's */
  while (!last_socket) cnet_loop_run(loop, CNET_RUN_ONCE);
  cnet_loop_run(loop, CNET_RUN_NOWAIT);
  ASSERT_TRACE("connection");
  free_fds();
  cnet_socket_destroy(last_socket, NULL);
  cnet_server_close(server, NULL, NULL);
  test_run(loop);
  assert_ended(c);
  finish();
}

/* ---- back-off ----------------------------------------------------------- */

static cnet_timer relief;
static int errors_at_relief;
static uint64_t cpu_at_first_error, cpu_at_relief;

/* The shortage ends: descriptors come back, accept4 works again. */
static void on_relief(cnet_timer *t, void *arg) {
  (void)t, (void)arg;
  test_trace("relief");
  errors_at_relief = errors;
  cpu_at_relief = cpu_us();
  free_fds();
  inject_errno = 0;
}

/* Counts the errors of a shortage that lasts RELIEF_MS. */
#define RELIEF_MS 300
static void on_error_count(const cnet_event *ev, void *arg) {
  (void)arg;
  if (errors++ == 0) {
    test_trace("error '%s'", ev->error->message);
    cpu_at_first_error = cpu_us();
    cnet_timer_init(loop, &relief);
    cnet_timer_start(&relief, on_relief, NULL, RELIEF_MS, 0);
  }
  ASSERT(cnet_server_listening(server));
}

/* With back-off from 5 ms doubling, a shortage of RELIEF_MS is retried
 * at about 5, 15, 35, 75 and 155 ms: 6 errors in all on a quiet machine,
 * fewer on a loaded one. A loop that woke on the waiting connection
 * would report thousands, and burn the CPU meanwhile. */
static void assert_backed_off(void) {
  ASSERT(errors_at_relief >= 2);
  ASSERT(errors_at_relief <= 8);
  ASSERT_EQ(errors, errors_at_relief);
  uint64_t cpu = cpu_at_relief - cpu_at_first_error;
  printf("%d errors in %d ms, %llu us of CPU\n", errors, RELIEF_MS,
         (unsigned long long)cpu);
  ASSERT(cpu < 100000);
}

static void injected_backs_off(int code, const char *message) {
  start_server();
  cnet_on(server, CNET_EV_ERROR, on_error_count, NULL);
  port = test_listen(loop, server, "127.0.0.1", 0);
  int waiting = client(port);
  inject_errno = code;
  accept_calls = 0;
  test_run(loop);
  char expect[64];
  snprintf(expect, sizeof expect, "error '%s' relief connection", message);
  ASSERT_TRACE(expect);
  assert_backed_off();
  /* One accept per try, and the one that worked. */
  ASSERT_EQ(errors + 1, accept_calls);
  assert_ended(waiting);
  finish();
}

CNET_TEST(enobufs_backs_off_until_accept_works) {
  injected_backs_off(ENOBUFS, "accept ENOBUFS");
}

CNET_TEST(enomem_backs_off_until_accept_works) {
  injected_backs_off(ENOMEM, "accept ENOMEM");
}

/* No reserve to shed with (it could not be opened at listen): the
 * connection waits, and the server backs off until descriptors free up. */
CNET_TEST(emfile_without_reserve_backs_off_until_fds_free) {
  lower_nofile();
  start_server();
  cnet_on(server, CNET_EV_ERROR, on_error_count, NULL);
  int waiting = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  ASSERT(waiting >= 0);
  fill_fds();
  close(fillers[--fillers_n]); /* the listening socket's, and no more */
  port = test_listen(loop, server, "127.0.0.1", 0);
  client_connect(waiting, port);
  test_run(loop);
  ASSERT_TRACE("error 'accept EMFILE' relief connection");
  assert_backed_off();
  assert_ended(waiting);
  finish();
}

static void close_on_error(const cnet_event *ev, void *arg) {
  (void)ev, (void)arg;
  errors++;
  cnet_server_close(server, NULL, NULL);
}

static void on_close(const cnet_event *ev, void *arg) {
  (void)ev, (void)arg;
  test_trace("close");
}

/* Closing while backing off: 'close' comes, and nothing tries to accept
 * again or keeps the loop running. */
CNET_TEST(close_while_backing_off) {
  start_server();
  cnet_on(server, CNET_EV_ERROR, close_on_error, NULL);
  cnet_on(server, CNET_EV_CLOSE, on_close, NULL);
  port = test_listen(loop, server, "127.0.0.1", 0);
  int waiting = client(port);
  inject_errno = ENOBUFS;
  accept_calls = 0;
  test_run(loop);
  ASSERT_TRACE("close");
  ASSERT_EQ(1, errors);
  ASSERT_EQ(1, accept_calls);
  assert_ended(waiting);
  finish();
}
