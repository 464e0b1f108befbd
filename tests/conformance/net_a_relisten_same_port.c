/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* Twin of net_a_relisten_same_port.js. */
#include <cnet.h>
#include <stdio.h>
#include "trace.h"

static cnet_server *server;
static int port, listenings, closes;

static const char *b(bool v) { return v ? "true" : "false"; }

static void on_connection(const cnet_event *ev, void *arg) {
  (void)arg;
  t("connection");
  cnet_socket_end(ev->object, "bye", 3, NULL, NULL);
}
static void on_close(const cnet_event *ev, void *arg) {
  (void)ev; (void)arg;
  t("close event %d", ++closes);
}
static void on_listening(const cnet_event *ev, void *arg) {
  (void)ev; (void)arg;
  t("listening %d", ++listenings);
}
static void closed_again(void *o, const cnet_error *e, void *arg) {
  (void)o; (void)e; (void)arg;
  t("closed again");
}
static void c_data(const cnet_event *ev, void *arg) {
  (void)arg;
  t("client data %.*s", (int)ev->len, ev->data);
}
static void c_close(const cnet_event *ev, void *arg) {
  (void)ev; (void)arg;
  cnet_server_close(server, closed_again, NULL);
}
static void again(const cnet_event *ev, void *arg) {
  (void)ev; (void)arg;
  cnet_address a;
  int r = cnet_server_address(server, &a);
  t("again %s %s", b(cnet_server_listening(server)), b(r == 0 && a.port == port));
  cnet_connect_options o = {.port = port, .host = "127.0.0.1"};
  cnet_socket *c;
  cnet_connect(cnet_default_loop(), &o, NULL, NULL, &c);
  cnet_socket_set_encoding(c, "utf8");
  cnet_on(c, CNET_EV_DATA, c_data, NULL);
  cnet_on(c, CNET_EV_CLOSE, c_close, NULL);
}
static void closed(void *o, const cnet_error *e, void *arg) {
  (void)o; (void)e; (void)arg;
  t("closed %s", b(cnet_server_listening(server)));
  int r = cnet_server_listen(server, port, "127.0.0.1", 0);
  if (r) {
    t("listen returned %s", cnet_err_name(r));
    return;
  }
  cnet_once(server, CNET_EV_LISTENING, again, NULL);
}
static void first_listening(const cnet_event *ev, void *arg) {
  (void)ev; (void)arg;
  cnet_address a;
  cnet_server_address(server, &a);
  port = a.port;
  cnet_server_close(server, closed, NULL);
}

int main(void) {
  trace_init();
  cnet_loop *loop = cnet_default_loop();
  cnet_create_server(loop, NULL, on_connection, NULL, &server);
  cnet_on(server, CNET_EV_CLOSE, on_close, NULL);
  cnet_on(server, CNET_EV_LISTENING, on_listening, NULL);
  cnet_server_listen(server, 0, "127.0.0.1", 0);
  cnet_once(server, CNET_EV_LISTENING, first_listening, NULL);
  cnet_loop_run(loop, CNET_RUN_DEFAULT);
  cnet_server_free(server);
  return cnet_loop_close(loop) == 0 ? 0 : 1;
}
