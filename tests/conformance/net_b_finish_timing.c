/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* Twin of net_b_finish_timing.js. */
#include <cnet.h>
#include <stdio.h>
#include "trace.h"

static cnet_server *server;
static cnet_socket *c, *ssock;
static cnet_immediate im;

static const char *b(bool v) { return v ? "true" : "false"; }

static void s_data(const cnet_event *ev, void *arg) { (void)arg; t("S data \"%.*s\"", (int)ev->len, ev->data); }
static void s_end_later(cnet_immediate *i, void *arg) {
  (void)i; (void)arg;
  cnet_socket_end(ssock, NULL, 0, NULL, NULL);
}
static void s_end(const cnet_event *ev, void *arg) {
  (void)arg;
  t("S end %s", cnet_socket_ready_state(ev->target));
  cnet_set_immediate(cnet_default_loop(), &im, s_end_later, NULL);
}
static void s_finish(const cnet_event *ev, void *arg) { (void)ev; (void)arg; t("S finish"); }
static void s_close(const cnet_event *ev, void *arg) {
  (void)arg;
  t("S close %s", b(ev->had_error));
  cnet_server_close(server, NULL, NULL);
}
static void on_connection(const cnet_event *ev, void *arg) {
  (void)arg;
  ssock = ev->object;
  cnet_on(ssock, CNET_EV_DATA, s_data, NULL);
  cnet_on(ssock, CNET_EV_END, s_end, NULL);
  cnet_on(ssock, CNET_EV_FINISH, s_finish, NULL);
  cnet_on(ssock, CNET_EV_CLOSE, s_close, NULL);
}

static void c_connect(void *target, const cnet_error *err, void *arg) {
  (void)target; (void)err; (void)arg;
  cnet_socket_end(c, "x", 1, NULL, NULL);
}
static void c_finish(const cnet_event *ev, void *arg) {
  (void)ev; (void)arg;
  t("C finish %s", cnet_socket_ready_state(c));
  cnet_socket_destroy(c, NULL);
}
static void c_close(const cnet_event *ev, void *arg) { (void)arg; t("C close %s", b(ev->had_error)); }

static void listen_cb(const cnet_event *ev, void *arg) {
  (void)ev; (void)arg;
  cnet_address a;
  cnet_server_address(server, &a);
  cnet_connect_options o = {.port = a.port, .host = "127.0.0.1"};
  cnet_connect(cnet_default_loop(), &o, c_connect, NULL, &c);
  cnet_on(c, CNET_EV_FINISH, c_finish, NULL);
  cnet_on(c, CNET_EV_CLOSE, c_close, NULL);
}

int main(void) {
  trace_init();
  cnet_loop *loop = cnet_default_loop();
  cnet_server_options so = {.allow_half_open = true};
  cnet_create_server(loop, &so, on_connection, NULL, &server);
  cnet_server_listen(server, 0, "127.0.0.1", 0);
  cnet_once(server, CNET_EV_LISTENING, listen_cb, NULL);
  cnet_loop_run(loop, CNET_RUN_DEFAULT);
  cnet_server_free(server);
  return cnet_loop_close(loop) == 0 ? 0 : 1;
}
