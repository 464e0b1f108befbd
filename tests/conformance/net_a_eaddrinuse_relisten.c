/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* Twin of net_a_eaddrinuse_relisten.js. */
#include <cnet.h>
#include <stdio.h>
#include "trace.h"

static cnet_server *first, *server;
static int busy;

static const char *b(bool v) { return v ? "true" : "false"; }

static void on_connection(const cnet_event *ev, void *arg) {
  (void)arg;
  t("connection");
  cnet_socket_resume(ev->object);
  cnet_socket_end(ev->object, "x", 1, NULL, NULL);
}
static void first_closed(void *o, const cnet_error *e, void *arg) {
  (void)o; (void)e; (void)arg;
  t("first closed");
}
static void server_closed(void *o, const cnet_error *e, void *arg) {
  (void)o; (void)e; (void)arg;
  t("server closed");
  cnet_server_close(first, first_closed, NULL);
}
static void c_data(const cnet_event *ev, void *arg) {
  (void)arg;
  t("client data %.*s", (int)ev->len, ev->data);
}
static void c_close(const cnet_event *ev, void *arg) {
  (void)ev; (void)arg;
  t("client close");
  cnet_server_close(server, server_closed, NULL);
}
static void on_listening(const cnet_event *ev, void *arg) {
  (void)ev; (void)arg;
  cnet_address a;
  cnet_server_address(server, &a);
  t("listening %s %s %s", b(cnet_server_listening(server)), a.address,
    b(a.port != busy));
  cnet_socket *c;
  cnet_connect_options o = {.port = a.port, .host = "127.0.0.1"};
  cnet_connect(cnet_default_loop(), &o, NULL, NULL, &c);
  cnet_on(c, CNET_EV_DATA, c_data, NULL);
  cnet_on(c, CNET_EV_CLOSE, c_close, NULL);
}
static void on_error(const cnet_event *ev, void *arg) {
  (void)arg;
  t("error %s %s", cnet_err_name(ev->error->code), b(cnet_server_listening(server)));
  int r = cnet_server_listen(server, 0, "127.0.0.1", 0);
  if (r) t("listen returned %s", cnet_err_name(r));
}

static void first_listening(const cnet_event *ev, void *arg) {
  (void)ev; (void)arg;
  cnet_address a;
  cnet_server_address(first, &a);
  busy = a.port;
  cnet_create_server(cnet_default_loop(), NULL, on_connection, NULL, &server);
  cnet_on(server, CNET_EV_LISTENING, on_listening, NULL);
  cnet_once(server, CNET_EV_ERROR, on_error, NULL);
  cnet_server_listen(server, busy, "127.0.0.1", 0);
}

int main(void) {
  trace_init();
  cnet_loop *loop = cnet_default_loop();
  cnet_create_server(loop, NULL, NULL, NULL, &first);
  cnet_server_listen(first, 0, "127.0.0.1", 0);
  cnet_once(first, CNET_EV_LISTENING, first_listening, NULL);
  cnet_loop_run(loop, CNET_RUN_DEFAULT);
  cnet_server_free(first);
  cnet_server_free(server);
  return cnet_loop_close(loop) == 0 ? 0 : 1;
}
