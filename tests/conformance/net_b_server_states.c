/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* Twin of net_b_server_states.js. */
#include <cnet.h>
#include <stdio.h>
#include "trace.h"

static cnet_server *server;
static cnet_socket *c;

static const char *b(bool v) { return v ? "true" : "false"; }
static void st(cnet_socket *s, const char *ev) {
  t("S %s %s %s %s %s %s %s", ev, cnet_socket_ready_state(s), b(cnet_socket_pending(s)),
    b(cnet_socket_connecting(s)), b(cnet_socket_readable(s)), b(cnet_socket_writable(s)),
    b(cnet_socket_destroyed(s)));
}

static void s_connect(const cnet_event *ev, void *arg) { (void)arg; st(ev->target, "connect"); }
static void s_ready(const cnet_event *ev, void *arg) { (void)arg; st(ev->target, "ready"); }
static void s_data(const cnet_event *ev, void *arg) {
  (void)arg;
  char what[64];
  snprintf(what, sizeof what, "data %.*s", (int)ev->len, ev->data);
  st(ev->target, what);
}
static void s_end(const cnet_event *ev, void *arg) { (void)arg; st(ev->target, "end"); }
static void s_finish(const cnet_event *ev, void *arg) { (void)arg; st(ev->target, "finish"); }
static void s_close(const cnet_event *ev, void *arg) {
  (void)arg;
  st(ev->target, ev->had_error ? "close true" : "close false");
  cnet_server_close(server, NULL, NULL);
}
static void on_connection(const cnet_event *ev, void *arg) {
  (void)arg;
  cnet_socket *s = ev->object;
  st(s, "connection");
  cnet_on(s, CNET_EV_CONNECT, s_connect, NULL);
  cnet_on(s, CNET_EV_READY, s_ready, NULL);
  cnet_on(s, CNET_EV_DATA, s_data, NULL);
  cnet_on(s, CNET_EV_END, s_end, NULL);
  cnet_on(s, CNET_EV_FINISH, s_finish, NULL);
  cnet_on(s, CNET_EV_CLOSE, s_close, NULL);
}

static void c_connect(void *target, const cnet_error *err, void *arg) {
  (void)target; (void)err; (void)arg;
  cnet_socket_end(c, "hi", 2, NULL, NULL);
}
static void c_close(const cnet_event *ev, void *arg) { (void)arg; t("C close %s", b(ev->had_error)); }

static void listen_cb(const cnet_event *ev, void *arg) {
  (void)ev; (void)arg;
  cnet_address a;
  cnet_server_address(server, &a);
  cnet_connect_options o = {.port = a.port, .host = "127.0.0.1"};
  cnet_connect(cnet_default_loop(), &o, c_connect, NULL, &c);
  cnet_on(c, CNET_EV_CLOSE, c_close, NULL);
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
