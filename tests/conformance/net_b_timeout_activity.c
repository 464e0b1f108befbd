/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* Twin of net_b_timeout_activity.js. */
#include <cnet.h>
#include <stdio.h>
#include <time.h>
#include "trace.h"

static cnet_server *server;
static cnet_socket *c, *ssock;
static cnet_timer activity;
static long mark;

static const char *b(bool v) { return v ? "true" : "false"; }

/* Date.now()-style: a clock of its own, not the loop's. */
static long now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}
static void busy(long ms) {
  long end = now_ms() + ms;
  while (now_ms() < end);
}

static void s_close(const cnet_event *ev, void *arg) {
  (void)ev; (void)arg;
  cnet_server_close(server, NULL, NULL);
}
static void on_connection(const cnet_event *ev, void *arg) {
  (void)arg;
  ssock = ev->object;
  cnet_socket_resume(ssock);
  cnet_on(ssock, CNET_EV_CLOSE, s_close, NULL);
}

static void make_activity(cnet_timer *tm, void *arg) {
  (void)tm; (void)arg;
  mark = now_ms();
  t("C write");
  cnet_socket_write(c, "c", 1, NULL, NULL);
  t("S write");
  cnet_socket_write(ssock, "s", 1, NULL, NULL);
  busy(70); /* the client reads once the period from its write ran out */
}
static void c_connect(void *target, const cnet_error *err, void *arg) {
  (void)target; (void)err; (void)arg;
  /* Started before the idle timeout with a shorter delay: the pass after
   * the wait runs it before it looks at the timeout. */
  cnet_set_timeout(&activity, make_activity, NULL, 1);
  cnet_socket_set_timeout(c, 50, NULL, NULL);
  t("C timeout set %u", cnet_socket_timeout(c));
  busy(70); /* the write comes once the first period ran out */
}
static void c_data(const cnet_event *ev, void *arg) {
  (void)arg;
  t("C data \"%.*s\"", (int)ev->len, ev->data);
}
static void c_timeout(const cnet_event *ev, void *arg) {
  (void)ev; (void)arg;
  /* The read came at least 70 ms after mark, the timeout 50 ms after it. */
  t("C timeout, a whole period after the read: %s", b(now_ms() - mark >= 115));
  cnet_socket_end(c, NULL, 0, NULL, NULL);
}
static void c_close(const cnet_event *ev, void *arg) {
  (void)arg;
  t("C close %s", b(ev->had_error));
}

static void listen_cb(const cnet_event *ev, void *arg) {
  (void)ev; (void)arg;
  cnet_address a;
  cnet_server_address(server, &a);
  cnet_connect_options o = {.port = a.port, .host = "127.0.0.1"};
  cnet_connect(cnet_default_loop(), &o, c_connect, NULL, &c);
  cnet_on(c, CNET_EV_DATA, c_data, NULL);
  cnet_on(c, CNET_EV_TIMEOUT, c_timeout, NULL);
  cnet_on(c, CNET_EV_CLOSE, c_close, NULL);
}

int main(void) {
  trace_init();
  cnet_loop *loop = cnet_default_loop();
  cnet_timer_init(loop, &activity);
  cnet_create_server(loop, NULL, on_connection, NULL, &server);
  cnet_server_listen(server, 0, "127.0.0.1", 0);
  cnet_once(server, CNET_EV_LISTENING, listen_cb, NULL);
  cnet_loop_run(loop, CNET_RUN_DEFAULT);
  cnet_server_free(server);
  return cnet_loop_close(loop) == 0 ? 0 : 1;
}
