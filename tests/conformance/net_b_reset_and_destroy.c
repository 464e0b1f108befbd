/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* Twin of net_b_reset_and_destroy.js. */
#include <cnet.h>
#include <stdio.h>
#include "trace.h"

static cnet_server *server;
static cnet_socket *c;

static const char *b(bool v) { return v ? "true" : "false"; }

static void s_data(const cnet_event *ev, void *arg) { (void)ev; (void)arg; }
static void s_end(const cnet_event *ev, void *arg) { (void)ev; (void)arg; t("S end"); }
static void s_error(const cnet_event *ev, void *arg) {
  (void)arg;
  const cnet_error *e = ev->error;
  t("S error %s %d %s %s %s", cnet_err_name(e->code), e->code,
    e->syscall ? e->syscall : "undefined", e->message, cnet_socket_ready_state(ev->target));
}
static void s_close(const cnet_event *ev, void *arg) {
  (void)arg;
  t("S close %s %s", b(ev->had_error), cnet_socket_ready_state(ev->target));
  cnet_server_close(server, NULL, NULL);
}
static void on_connection(const cnet_event *ev, void *arg) {
  (void)arg;
  cnet_socket *s = ev->object;
  cnet_on(s, CNET_EV_DATA, s_data, NULL);
  cnet_socket_write(s, "hi", 2, NULL, NULL);
  cnet_on(s, CNET_EV_END, s_end, NULL);
  cnet_on(s, CNET_EV_ERROR, s_error, NULL);
  cnet_on(s, CNET_EV_CLOSE, s_close, NULL);
}

static void c_data(const cnet_event *ev, void *arg) {
  (void)arg;
  t("C data \"%.*s\"", (int)ev->len, ev->data);
  cnet_socket_reset_and_destroy(c);
  t("C after reset %s %s", b(cnet_socket_destroyed(c)), cnet_socket_ready_state(c));
}
static void c_end(const cnet_event *ev, void *arg) { (void)ev; (void)arg; t("C end"); }
static void c_error(const cnet_event *ev, void *arg) { (void)arg; t("C error %s", cnet_err_name(ev->error->code)); }
static void c_close(const cnet_event *ev, void *arg) { (void)arg; t("C close %s", b(ev->had_error)); }

static void listen_cb(const cnet_event *ev, void *arg) {
  (void)ev; (void)arg;
  cnet_address a;
  cnet_server_address(server, &a);
  cnet_connect_options o = {.port = a.port, .host = "127.0.0.1"};
  cnet_connect(cnet_default_loop(), &o, NULL, NULL, &c);
  cnet_on(c, CNET_EV_DATA, c_data, NULL);
  cnet_on(c, CNET_EV_END, c_end, NULL);
  cnet_on(c, CNET_EV_ERROR, c_error, NULL);
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
