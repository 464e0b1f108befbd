/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* Twin of net_a_unix_addresses.js. Node's {} / undefined are cnet's error
 * returns (or an empty address). */
#include <cnet.h>
#include <stdio.h>
#include "trace.h"

static cnet_server *server;

static void show(const char *tag, cnet_socket *s) {
  cnet_address a;
  if (cnet_socket_local_address(s, &a) != 0 || !a.address[0])
    t("%s address() {}", tag);
  else
    t("%s address() {\"address\":\"%s\"}", tag, a.address);
  if (cnet_socket_remote_address(s, &a) != 0 || !a.address[0])
    t("%s remote undefined undefined undefined", tag);
  else
    t("%s remote %s %d %s", tag, a.address, a.port, a.family ? a.family : "undefined");
  if (cnet_socket_local_address(s, &a) != 0 || !a.address[0])
    t("%s local undefined undefined", tag);
  else
    t("%s local %s %d", tag, a.address, a.port);
}

static void server_closed(void *o, const cnet_error *e, void *arg) {
  (void)o; (void)e; (void)arg;
  t("server closed");
}
static void s_close(const cnet_event *ev, void *arg) {
  (void)ev; (void)arg;
  cnet_server_close(server, server_closed, NULL);
}
static void on_connection(const cnet_event *ev, void *arg) {
  (void)arg;
  cnet_socket *s = ev->object;
  show("S", s);
  cnet_socket_end(s, NULL, 0, NULL, NULL);
  cnet_socket_resume(s);
  cnet_on(s, CNET_EV_CLOSE, s_close, NULL);
}
static void c_connect(void *target, const cnet_error *err, void *arg) {
  (void)err;
  (void)arg;
  show("C", target);
}
static void c_close(const cnet_event *ev, void *arg) {
  (void)ev; (void)arg;
  t("C close");
}
static void on_listening(const cnet_event *ev, void *arg) {
  (void)ev; (void)arg;
  cnet_connect_options o = {.path = "addr.sock"};
  cnet_socket *c;
  cnet_connect(cnet_default_loop(), &o, c_connect, NULL, &c);
  cnet_socket_resume(c);
  cnet_on(c, CNET_EV_CLOSE, c_close, NULL);
}

int main(void) {
  trace_init();
  cnet_loop *loop = cnet_default_loop();
  cnet_create_server(loop, NULL, on_connection, NULL, &server);
  cnet_server_listen_path(server, "addr.sock");
  cnet_once(server, CNET_EV_LISTENING, on_listening, NULL);
  cnet_loop_run(loop, CNET_RUN_DEFAULT);
  cnet_server_free(server);
  return cnet_loop_close(loop) == 0 ? 0 : 1;
}
