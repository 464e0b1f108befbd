/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* Twin of net_a_addresses_ipv4.js. */
#include <cnet.h>
#include <stdio.h>
#include "trace.h"

static cnet_server *server;
static cnet_socket *accepted;
static int port;

static const char *b(bool v) { return v ? "true" : "false"; }

static void show(const char *tag, cnet_socket *s) {
  cnet_address a;
  if (cnet_socket_local_address(s, &a) == 0) {
    t("%s address() %s %s %d", tag, a.address, a.family, a.port);
    t("%s local %s %d %s", tag, a.address, a.port, a.family);
  } else {
    t("%s address() undefined undefined undefined", tag);
    t("%s local undefined undefined undefined", tag);
  }
  if (cnet_socket_remote_address(s, &a) == 0)
    t("%s remote %s %d %s", tag, a.address, a.port, a.family);
  else
    t("%s remote undefined undefined undefined", tag);
}
static int local_port(cnet_socket *s) {
  cnet_address a;
  return cnet_socket_local_address(s, &a) == 0 ? a.port : -1;
}
static int remote_port(cnet_socket *s) {
  cnet_address a;
  return cnet_socket_remote_address(s, &a) == 0 ? a.port : -2;
}

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
  accepted = ev->object;
  show("S", accepted);
  cnet_socket_resume(accepted);
  cnet_on(accepted, CNET_EV_END, s_end, NULL);
  cnet_on(accepted, CNET_EV_CLOSE, s_close, NULL);
}
static void c_connect(void *target, const cnet_error *err, void *arg) {
  (void)err;
  (void)arg;
  cnet_socket *c = target;
  show("C", c);
  t("C remotePort is the server port %s", b(remote_port(c) == port));
  t("S localPort is the server port %s", b(local_port(accepted) == port));
  t("C localPort is S remotePort %s", b(local_port(c) == remote_port(accepted)));
  cnet_socket_end(c, NULL, 0, NULL, NULL);
}
static void on_listening(const cnet_event *ev, void *arg) {
  (void)ev; (void)arg;
  cnet_address a;
  cnet_server_address(server, &a);
  port = a.port;
  cnet_connect_options o = {.port = port, .host = "127.0.0.1"};
  cnet_socket *c;
  cnet_connect(cnet_default_loop(), &o, c_connect, NULL, &c);
  bool l = cnet_socket_local_address(c, &a) == 0;
  bool r = cnet_socket_remote_address(c, &a) == 0;
  t("C connecting %s %s %s %s %s %s", l ? "?" : "{}", l ? "?" : "undefined",
    l ? "?" : "undefined", r ? "?" : "undefined", r ? "?" : "undefined",
    r ? "?" : "undefined");
  cnet_socket_resume(c);
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
