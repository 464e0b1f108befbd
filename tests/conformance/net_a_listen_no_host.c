/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* Twin of net_a_listen_no_host.js. */
#include <cnet.h>
#include <stdio.h>
#include "trace.h"

static cnet_server *server;

static const char *b(bool v) { return v ? "true" : "false"; }

static void closed(void *o, const cnet_error *e, void *arg) {
  (void)o; (void)e; (void)arg;
  t("closed");
}
static void s_close(const cnet_event *ev, void *arg) {
  (void)ev; (void)arg;
  cnet_server_close(server, closed, NULL);
}
static void on_connection(const cnet_event *ev, void *arg) {
  (void)arg;
  cnet_socket *s = ev->object;
  cnet_address r, l;
  cnet_socket_remote_address(s, &r);
  cnet_socket_local_address(s, &l);
  t("connection %s %s %s", r.address, r.family, l.address);
  cnet_socket_end(s, NULL, 0, NULL, NULL);
  cnet_socket_resume(s);
  cnet_on(s, CNET_EV_CLOSE, s_close, NULL);
}
static void c_close(const cnet_event *ev, void *arg) {
  (void)arg;
  t("client close %s", b(ev->had_error));
}
static void on_listening(const cnet_event *ev, void *arg) {
  (void)ev; (void)arg;
  cnet_address a;
  cnet_server_address(server, &a);
  t("listening %s %s", a.address, a.family);
  cnet_connect_options o = {.port = a.port, .host = "127.0.0.1"};
  cnet_socket *c;
  cnet_connect(cnet_default_loop(), &o, NULL, NULL, &c);
  cnet_socket_resume(c);
  cnet_on(c, CNET_EV_CLOSE, c_close, NULL);
}

int main(void) {
  trace_init();
  cnet_loop *loop = cnet_default_loop();
  cnet_create_server(loop, NULL, on_connection, NULL, &server);
  cnet_on(server, CNET_EV_LISTENING, on_listening, NULL);
  cnet_server_listen(server, 0, NULL, 0);
  cnet_address a;
  int r = cnet_server_address(server, &a);
  t("after listen() %s %s %s %s", b(cnet_server_listening(server)),
    r ? "?" : a.address, r ? "?" : a.family, b(r == 0 && a.port > 0));
  cnet_loop_run(loop, CNET_RUN_DEFAULT);
  cnet_server_free(server);
  return cnet_loop_close(loop) == 0 ? 0 : 1;
}
