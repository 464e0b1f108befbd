/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* Twin of net_a_max_connections_zero.js. */
#include <cnet.h>
#include <stdio.h>
#include "trace.h"

static cnet_server *server;

static void server_closed(void *o, const cnet_error *e, void *arg) {
  (void)o; (void)e; (void)arg;
  t("server closed");
}
static void on_connection(const cnet_event *ev, void *arg) {
  (void)arg;
  t("connection");
  cnet_socket_destroy(ev->object, NULL);
  cnet_server_close(server, server_closed, NULL);
}
static void on_drop(const cnet_event *ev, void *arg) {
  (void)ev; (void)arg;
  t("drop");
  cnet_server_close(server, server_closed, NULL);
}
static void c_error(const cnet_event *ev, void *arg) {
  (void)arg;
  t("client error %s", cnet_err_name(ev->error->code));
}
static void c_close(const cnet_event *ev, void *arg) {
  (void)ev; (void)arg;
  t("client close");
}
static void on_listening(const cnet_event *ev, void *arg) {
  (void)ev; (void)arg;
  cnet_address a;
  cnet_server_address(server, &a);
  cnet_connect_options o = {.port = a.port, .host = "127.0.0.1"};
  cnet_socket *c;
  cnet_connect(cnet_default_loop(), &o, NULL, NULL, &c);
  cnet_on(c, CNET_EV_ERROR, c_error, NULL);
  cnet_on(c, CNET_EV_CLOSE, c_close, NULL);
}

int main(void) {
  trace_init();
  cnet_loop *loop = cnet_default_loop();
  cnet_create_server(loop, NULL, on_connection, NULL, &server);
  cnet_server_set_max_connections(server, 0);
  cnet_on(server, CNET_EV_DROP, on_drop, NULL);
  cnet_server_listen(server, 0, "127.0.0.1", 0);
  cnet_once(server, CNET_EV_LISTENING, on_listening, NULL);
  cnet_loop_run(loop, CNET_RUN_DEFAULT);
  cnet_server_free(server);
  return cnet_loop_close(loop) == 0 ? 0 : 1;
}
