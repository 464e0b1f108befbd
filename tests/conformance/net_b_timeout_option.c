/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* Twin of net_b_timeout_option.js. */
#include <cnet.h>
#include <stdio.h>
#include "trace.h"

static cnet_server *server;
static cnet_socket *c;
static cnet_timer later;

static const char *b(bool v) { return v ? "true" : "false"; }

static void s_end(const cnet_event *ev, void *arg) { (void)ev; (void)arg; t("S end"); }
static void s_close(const cnet_event *ev, void *arg) {
  (void)ev; (void)arg;
  cnet_server_close(server, NULL, NULL);
}
static void on_connection(const cnet_event *ev, void *arg) {
  (void)arg;
  cnet_on(ev->object, CNET_EV_END, s_end, NULL);
  cnet_on(ev->object, CNET_EV_CLOSE, s_close, NULL);
}

static void c_connect(const cnet_event *ev, void *arg) { (void)ev; (void)arg; t("C connect %u", cnet_socket_timeout(c)); }
static void c_timeout(const cnet_event *ev, void *arg) {
  (void)ev; (void)arg;
  t("C timeout event %s %s", cnet_socket_ready_state(c), b(cnet_socket_destroyed(c)));
  cnet_socket_end(c, NULL, 0, NULL, NULL);
}
static void c_close(const cnet_event *ev, void *arg) { (void)arg; t("C close %s", b(ev->had_error)); }

static void make_client(cnet_timer *tm, void *arg) {
  (void)tm; (void)arg;
  cnet_address a;
  cnet_server_address(server, &a);
  cnet_connect_options o = {.port = a.port, .host = "127.0.0.1", .timeout = 60};
  cnet_connect(cnet_default_loop(), &o, NULL, NULL, &c);
  t("C timeout %u", cnet_socket_timeout(c));
  cnet_on(c, CNET_EV_CONNECT, c_connect, NULL);
  cnet_on(c, CNET_EV_TIMEOUT, c_timeout, NULL);
  cnet_on(c, CNET_EV_CLOSE, c_close, NULL);
}

static void listen_cb(const cnet_event *ev, void *arg) {
  (void)ev; (void)arg;
  cnet_timer_init(cnet_default_loop(), &later);
  cnet_set_timeout(&later, make_client, NULL, 0);
}

int main(void) {
  trace_init();
  cnet_loop *loop = cnet_default_loop();
  cnet_create_server(loop, NULL, on_connection, NULL, &server);
  cnet_server_listen(server, 0, "127.0.0.1", 0);
  cnet_once(server, CNET_EV_LISTENING, listen_cb, NULL);
  cnet_loop_run(loop, CNET_RUN_DEFAULT);
  cnet_server_free(server);
  return cnet_loop_close(loop) == 0 ? 0 : 1;
}
