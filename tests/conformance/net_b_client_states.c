/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* Twin of net_b_client_states.js. */
#include <cnet.h>
#include <stdio.h>
#include "trace.h"

static cnet_server *server;
static cnet_socket *c;

static const char *b(bool v) { return v ? "true" : "false"; }
static void st(const char *ev) {
  t("C %s %s %s %s %s %s %s", ev, cnet_socket_ready_state(c), b(cnet_socket_pending(c)),
    b(cnet_socket_connecting(c)), b(cnet_socket_readable(c)), b(cnet_socket_writable(c)),
    b(cnet_socket_destroyed(c)));
}

static void s_close(const cnet_event *ev, void *arg) {
  (void)ev; (void)arg;
  cnet_server_close(server, NULL, NULL);
}
static void on_connection(const cnet_event *ev, void *arg) {
  (void)arg;
  cnet_socket_end(ev->object, "bye", 3, NULL, NULL);
  cnet_on(ev->object, CNET_EV_CLOSE, s_close, NULL);
}

static void c_connect(const cnet_event *ev, void *arg) { (void)ev; (void)arg; st("connect"); }
static void c_ready(const cnet_event *ev, void *arg) { (void)ev; (void)arg; st("ready"); }
static void c_data(const cnet_event *ev, void *arg) {
  (void)arg;
  char what[64];
  snprintf(what, sizeof what, "data %.*s", (int)ev->len, ev->data);
  st(what);
}
static void c_end(const cnet_event *ev, void *arg) { (void)ev; (void)arg; st("end"); }
static void c_finish(const cnet_event *ev, void *arg) { (void)ev; (void)arg; st("finish"); }
static void c_close(const cnet_event *ev, void *arg) {
  (void)arg;
  st(ev->had_error ? "close true" : "close false");
}

static void listen_cb(const cnet_event *ev, void *arg) {
  (void)ev; (void)arg;
  cnet_address a;
  cnet_server_address(server, &a);
  cnet_socket_new(cnet_default_loop(), NULL, &c);
  st("new");
  cnet_connect_options o = {.port = a.port, .host = "127.0.0.1"};
  cnet_socket_connect(c, &o, NULL, NULL);
  st("after connect()");
  cnet_on(c, CNET_EV_CONNECT, c_connect, NULL);
  cnet_on(c, CNET_EV_READY, c_ready, NULL);
  cnet_on(c, CNET_EV_DATA, c_data, NULL);
  cnet_on(c, CNET_EV_END, c_end, NULL);
  cnet_on(c, CNET_EV_FINISH, c_finish, NULL);
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
