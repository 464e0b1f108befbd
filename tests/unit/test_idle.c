/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* A loop that waits must sleep. Each test puts a server socket in a state
 * where nothing can happen until the peer acts (output queued to a peer
 * that does not read and has sent its FIN, a paused socket with data or a
 * FIN unread, data nobody listens for) and checks that the process uses
 * almost no CPU meanwhile: a level-triggered event left watched with
 * nobody to serve it would wake the loop again at once, for ever.
 *
 * The peer is a plain blocking socket of the test's own, never read. */
#include "harness.h"

#include <netinet/in.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

/* How long the loop is watched, and the CPU it may use meanwhile: 5 %. A
 * loop that spins uses all the CPU it gets (even a loaded machine gives
 * it far more than that); one that sleeps uses next to nothing. */
#define WATCH_MS 1500
#define MAX_CPU_MS (WATCH_MS / 20)

static cnet_loop *loop;
static cnet_server *server;
static cnet_socket *accepted;
static int peer = -1;
static cnet_timer watch;
static double cpu_used_ms = -1;

static double cpu_ms(void) {
  struct rusage ru;
  ASSERT_EQ(0, getrusage(RUSAGE_SELF, &ru));
  return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3 +
         (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3;
}

static double watch_start_cpu;

static void watch_over(cnet_timer *t, void *arg) {
  (void)t, (void)arg;
  cpu_used_ms = cpu_ms() - watch_start_cpu;
  cnet_socket_destroy(accepted, NULL);
  cnet_server_close(server, NULL, NULL);
}

/* From now on the loop should sleep: measure it for WATCH_MS. */
static void start_watching(void) {
  if (cnet_timer_is_active(&watch)) return;
  watch_start_cpu = cpu_ms();
  cnet_timer_start(&watch, watch_over, NULL, WATCH_MS, 0);
}

static void start_watching_on(const cnet_event *ev, void *arg) {
  (void)ev, (void)arg;
  start_watching();
}

/* A server whose connection listener is on_conn, and a peer connected to
 * it with a small receive buffer, so that what the server writes stays
 * queued. */
static void setup(const cnet_server_options *opts, cnet_listener on_conn) {
  loop = test_loop();
  cnet_timer_init(loop, &watch);
  cnet_create_server(loop, opts, on_conn, NULL, &server);
  ASSERT_NOT_NULL(server);
  int port = test_listen(loop, server, "127.0.0.1", 0);
  peer = socket(AF_INET, SOCK_STREAM, 0);
  ASSERT(peer >= 0);
  int small = 4096;
  setsockopt(peer, SOL_SOCKET, SO_RCVBUF, &small, sizeof small);
  struct sockaddr_in sin = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port),
                            .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
  ASSERT_EQ(0, connect(peer, (struct sockaddr *)&sin, sizeof sin));
}

static void peer_send(const char *s) {
  ASSERT_EQ((ssize_t)strlen(s), write(peer, s, strlen(s)));
}

static void finish(void) {
  test_run(loop);
  close(peer);
  cnet_server_free(server);
  test_loop_close(loop);
  ASSERT(cpu_used_ms >= 0);
  if (cpu_used_ms > MAX_CPU_MS)
    fail_msg("the loop used %.0f ms of CPU in %d ms of waiting", cpu_used_ms, WATCH_MS);
}

/* Fills the kernel's buffers towards the peer and queues more. */
static void write_a_lot(cnet_socket *so) {
  static char big[4 << 20];
  ASSERT(!cnet_socket_write(so, big, sizeof big, NULL, NULL));
  ASSERT(cnet_socket_writable_length(so) > 0);
}

static void on_data_ignore(const cnet_event *ev, void *arg) { (void)ev, (void)arg; }

/* ---- the peer half-closes while the server's output is queued ------------- */

static void queue_then_watch_end(const cnet_event *ev, void *arg) {
  (void)arg;
  accepted = ev->object;
  cnet_on(accepted, CNET_EV_DATA, on_data_ignore, NULL);
  cnet_on(accepted, CNET_EV_END, start_watching_on, NULL);
  write_a_lot(accepted);
}

CNET_TEST(half_open_server_sleeps_after_peer_fin_with_output_queued) {
  cnet_server_options o = {.allow_half_open = true};
  setup(&o, queue_then_watch_end);
  ASSERT_EQ(0, shutdown(peer, SHUT_WR));
  finish();
}

CNET_TEST(ending_server_sleeps_after_peer_fin_with_output_queued) {
  setup(NULL, queue_then_watch_end); /* allowHalfOpen false: it ends too */
  ASSERT_EQ(0, shutdown(peer, SHUT_WR));
  finish();
}

/* ---- reads that wait: paused, or nobody listening -------------------------- */

static void pause_and_watch(const cnet_event *ev, void *arg) {
  (void)arg;
  accepted = ev->object;
  cnet_on(accepted, CNET_EV_DATA, on_data_ignore, NULL);
  cnet_socket_pause(accepted);
  start_watching();
}

CNET_TEST(paused_socket_sleeps_while_data_waits_unread) {
  setup(NULL, pause_and_watch);
  peer_send("hello"); /* queued in the kernel before the server accepts */
  finish();
}

CNET_TEST(paused_socket_sleeps_while_data_and_fin_wait_unread) {
  setup(NULL, pause_and_watch);
  peer_send("hello");
  ASSERT_EQ(0, shutdown(peer, SHUT_WR));
  finish();
}

static void no_listener_and_watch(const cnet_event *ev, void *arg) {
  (void)arg;
  accepted = ev->object; /* no 'data' listener: the socket never flows */
  start_watching();
}

CNET_TEST(socket_without_reader_sleeps_while_data_and_fin_wait) {
  setup(NULL, no_listener_and_watch);
  peer_send("hello");
  ASSERT_EQ(0, shutdown(peer, SHUT_WR));
  finish();
}

/* ---- a paused socket still sees the end ------------------------------------ */

/* Node emits 'end' on a paused socket whose peer ended with nothing
 * unread (there is nothing to wait for); cnet too, though it reads
 * nothing while paused. */
static void on_end_record(const cnet_event *ev, void *arg) {
  (void)arg;
  test_trace("end paused=%d", cnet_socket_is_paused(ev->target));
  start_watching();
}

static void pause_and_wait_end(const cnet_event *ev, void *arg) {
  (void)arg;
  accepted = ev->object;
  cnet_on(accepted, CNET_EV_DATA, on_data_ignore, NULL);
  cnet_on(accepted, CNET_EV_END, on_end_record, NULL);
  cnet_socket_pause(accepted);
}

CNET_TEST(paused_socket_gets_end_when_the_peer_ends_with_nothing_unread) {
  test_trace_reset();
  cnet_server_options o = {.allow_half_open = true};
  setup(&o, pause_and_wait_end);
  ASSERT_EQ(0, shutdown(peer, SHUT_WR));
  finish();
  ASSERT_TRACE("end paused=1");
}
