/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* Twin of net_b_timeout_idle.js. */
#include <cnet.h>
#include <stdio.h>
#include "trace.h"

static cnet_server *server;
static cnet_socket *c, *ssock;
static cnet_timer timer;
static int timeouts;

static const char *b(bool v) { return v ? "true" : "false"; }

static void s_close(const cnet_event *ev, void *arg) {
  (void)ev; (void)arg;
  cnet_server_close(server, NULL, NULL);
}
static void on_connection(const cnet_event *ev, void *arg) {
  (void)arg;
  ssock = ev->object;
  cnet_on(ssock, CNET_EV_CLOSE, s_close, NULL);
}

static void set_timeout_cb(const cnet_event *ev, void *arg) { (void)ev; (void)arg; t("C setTimeout cb"); }
static void c_connect(void *target, const cnet_error *err, void *arg) {
  (void)target; (void)err; (void)arg;
  cnet_socket_set_timeout(c, 40, set_timeout_cb, NULL);
  t("C timeout set %u", cnet_socket_timeout(c));
}
static void still(cnet_timer *tm, void *arg) {
  (void)tm; (void)arg;
  t("C still %d %s", timeouts, cnet_socket_ready_state(c));
  cnet_socket_write(ssock, "ping", 4, NULL, NULL);
}
static void c_timeout(const cnet_event *ev, void *arg) {
  (void)ev; (void)arg;
  timeouts++;
  t("C timeout %d %s %s", timeouts, cnet_socket_ready_state(c), b(cnet_socket_destroyed(c)));
  if (timeouts == 1)
    cnet_set_timeout(&timer, still, NULL, 150);
  else
    cnet_socket_end(c, NULL, 0, NULL, NULL);
}
static void c_data(const cnet_event *ev, void *arg) {
  (void)arg;
  t("C data \"%.*s\" %d", (int)ev->len, ev->data, timeouts);
}
static void c_close(const cnet_event *ev, void *arg) {
  (void)arg;
  t("C close %s %d", b(ev->had_error), timeouts);
}

static void listen_cb(const cnet_event *ev, void *arg) {
  (void)ev; (void)arg;
  cnet_address a;
  cnet_server_address(server, &a);
  cnet_connect_options o = {.port = a.port, .host = "127.0.0.1"};
  cnet_connect(cnet_default_loop(), &o, c_connect, NULL, &c);
  cnet_on(c, CNET_EV_TIMEOUT, c_timeout, NULL);
  cnet_on(c, CNET_EV_DATA, c_data, NULL);
  cnet_on(c, CNET_EV_CLOSE, c_close, NULL);
}

int main(void) {
  trace_init();
  cnet_loop *loop = cnet_default_loop();
  cnet_timer_init(loop, &timer);
  cnet_create_server(loop, NULL, on_connection, NULL, &server);
  cnet_server_listen(server, 0, "127.0.0.1", 0);
  cnet_once(server, CNET_EV_LISTENING, listen_cb, NULL);
  cnet_loop_run(loop, CNET_RUN_DEFAULT);
  cnet_server_free(server);
  return cnet_loop_close(loop) == 0 ? 0 : 1;
}
