/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* Twin of net_a_address_after_close.js. */
#include <cnet.h>
#include <stdio.h>
#include "trace.h"

static cnet_server *server;
static int port;

static const char *b(bool v) { return v ? "true" : "false"; }

static void server_closed(void *o, const cnet_error *e, void *arg) {
  (void)o; (void)e; (void)arg;
  t("server closed");
}
static void s_end(const cnet_event *ev, void *arg) {
  (void)arg;
  cnet_socket_end(ev->target, NULL, 0, NULL, NULL);
}
static void s_close(const cnet_event *ev, void *arg) {
  (void)ev; (void)arg;
  cnet_server_close(server, server_closed, NULL);
}
static void on_connection(const cnet_event *ev, void *arg) {
  (void)arg;
  cnet_socket_resume(ev->object);
  cnet_on(ev->object, CNET_EV_END, s_end, NULL);
  cnet_on(ev->object, CNET_EV_CLOSE, s_close, NULL);
}
static void remote(const char *tag, cnet_socket *c) {
  cnet_address a;
  if (cnet_socket_remote_address(c, &a) == 0)
    t("%s %s %s %s", tag, a.address, b(a.port == port), a.family);
  else
    t("%s undefined false undefined", tag);
}
static void c_connect(void *target, const cnet_error *err, void *arg) {
  (void)err;
  (void)arg;
  remote("connect", target);
  cnet_socket_end(target, NULL, 0, NULL, NULL);
}
static void c_close(const cnet_event *ev, void *arg) {
  (void)arg;
  cnet_address a;
  if (cnet_socket_local_address(ev->target, &a) == 0)
    t("close address() %s %s %d", a.address, a.address, a.port);
  else
    t("close address() {} undefined undefined");
  remote("close remote", ev->target);
}
static void on_listening(const cnet_event *ev, void *arg) {
  (void)ev; (void)arg;
  cnet_address a;
  cnet_server_address(server, &a);
  port = a.port;
  cnet_connect_options o = {.port = port, .host = "127.0.0.1"};
  cnet_socket *c;
  cnet_connect(cnet_default_loop(), &o, c_connect, NULL, &c);
  cnet_socket_resume(c);
  cnet_on(c, CNET_EV_CLOSE, c_close, NULL);
}

int main(void) {
  trace_init();
  cnet_loop *loop = cnet_default_loop();
  cnet_create_server(loop, NULL, on_connection, NULL, &server);
  cnet_server_listen(server, 0, "127.0.0.1", 0);
  cnet_once(server, CNET_EV_LISTENING, on_listening, NULL);
  cnet_loop_run(loop, CNET_RUN_DEFAULT);
  cnet_server_free(server);
  return cnet_loop_close(loop) == 0 ? 0 : 1;
}
