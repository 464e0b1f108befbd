/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* Twin of net_a_socket_unref.js. Once the loop has ended by itself, the
 * sockets are destroyed and the loop run again (silently) to free them. */
#include <cnet.h>
#include <stdio.h>
#include "trace.h"

static cnet_server *server;
static cnet_socket *c, *accepted;
static bool ended;

static const char *b(bool v) { return v ? "true" : "false"; }

static void server_closed(void *o, const cnet_error *e, void *arg) {
  (void)o; (void)e; (void)arg;
  if (!ended) t("server closed");
}
static void s_close(const cnet_event *ev, void *arg) {
  (void)ev; (void)arg;
  if (!ended) t("S close");
}
static void on_connection(const cnet_event *ev, void *arg) {
  (void)arg;
  accepted = ev->object;
  t("connection");
  cnet_on(accepted, CNET_EV_CLOSE, s_close, NULL);
  cnet_socket_unref(accepted);
  cnet_server_close(server, server_closed, NULL);
  t("server listening %s", b(cnet_server_listening(server)));
}
static void c_connect(void *target, const cnet_error *err, void *arg) {
  (void)target; (void)err; (void)arg;
  t("connect");
  cnet_socket_unref(c);
}
static void c_close(const cnet_event *ev, void *arg) {
  (void)ev; (void)arg;
  if (!ended) t("C close");
}
static void on_listening(const cnet_event *ev, void *arg) {
  (void)ev; (void)arg;
  cnet_address a;
  cnet_server_address(server, &a);
  cnet_connect_options o = {.port = a.port, .host = "127.0.0.1"};
  cnet_connect(cnet_default_loop(), &o, c_connect, NULL, &c);
  cnet_on(c, CNET_EV_CLOSE, c_close, NULL);
}

int main(void) {
  trace_init();
  cnet_loop *loop = cnet_default_loop();
  cnet_create_server(loop, NULL, on_connection, NULL, &server);
  cnet_server_listen(server, 0, "127.0.0.1", 0);
  cnet_once(server, CNET_EV_LISTENING, on_listening, NULL);
  cnet_loop_run(loop, CNET_RUN_DEFAULT);
  t("exit %s %s", cnet_socket_ready_state(c), b(cnet_socket_destroyed(c)));
  ended = true;
  cnet_socket_destroy(c, NULL);
  cnet_socket_destroy(accepted, NULL);
  cnet_loop_run(loop, CNET_RUN_DEFAULT);
  cnet_server_free(server);
  return cnet_loop_close(loop) == 0 ? 0 : 1;
}
