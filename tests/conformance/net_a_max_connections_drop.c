/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* Twin of net_a_max_connections_drop.js. cnet's 'drop' carries the peer
 * (address, port, family) and the server's end (local_*). */
#include <cnet.h>
#include <stdio.h>
#include <string.h>
#include "trace.h"

static cnet_server *server;
static cnet_socket *first, *c2;
static int drop_port;
static char events[256];

static const char *b(bool v) { return v ? "true" : "false"; }
static void push(const char *e) {
  if (events[0]) strcat(events, ",");
  strcat(events, e);
}
static int server_port(void) {
  cnet_address a;
  return cnet_server_address(server, &a) == 0 ? a.port : -1;
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
  t("S close");
  cnet_server_close(server, server_closed, NULL);
}

static void on_count(void *s, const cnet_error *err, void *arg) {
  int n = cnet_server_connection_count(s);
  (void)arg;
  t("getConnections %s %d", err ? cnet_err_name(err->code) : "null", n);
  cnet_socket_end(first, NULL, 0, NULL, NULL);
}
static int c2_local_port;
static void c2_connect(const cnet_event *ev, void *arg) {
  (void)arg;
  push("connect");
  cnet_address local;
  if (cnet_socket_local_address(ev->target, &local) == 0) c2_local_port = local.port;
}
static void c2_data(const cnet_event *ev, void *arg) {
  (void)arg;
  char buf[32];
  snprintf(buf, sizeof buf, "data %zu", ev->len);
  push(buf);
}
static void c2_end(const cnet_event *ev, void *arg) { (void)ev; (void)arg; push("end"); }
static void c2_error(const cnet_event *ev, void *arg) {
  (void)arg;
  char buf[64];
  snprintf(buf, sizeof buf, "error %s", cnet_err_name(ev->error->code));
  push(buf);
}
static void c2_close(const cnet_event *ev, void *arg) {
  (void)arg;
  push(ev->had_error ? "close true" : "close false");
  t("C2 %s", events);
  t("drop port is C2 local port %s", b(c2_local_port == drop_port));
  cnet_server_get_connections(server, on_count, NULL);
}

static void connect_second(void) {
  cnet_connect_options o = {.port = server_port(), .host = "127.0.0.1"};
  cnet_connect(cnet_default_loop(), &o, NULL, NULL, &c2);
  cnet_on(c2, CNET_EV_CONNECT, c2_connect, NULL);
  cnet_on(c2, CNET_EV_DATA, c2_data, NULL);
  cnet_on(c2, CNET_EV_END, c2_end, NULL);
  cnet_on(c2, CNET_EV_ERROR, c2_error, NULL);
  cnet_on(c2, CNET_EV_CLOSE, c2_close, NULL);
}

static void on_connection(const cnet_event *ev, void *arg) {
  (void)arg;
  cnet_socket *s = ev->object;
  t("connection");
  cnet_socket_resume(s);
  cnet_on(s, CNET_EV_END, s_end, NULL);
  cnet_on(s, CNET_EV_CLOSE, s_close, NULL);
  connect_second();
}
static void on_drop(const cnet_event *ev, void *arg) {
  (void)arg;
  drop_port = ev->port;
  t("drop %s %s", ev->address, ev->family == 6 ? "IPv6" : "IPv4");
  t("drop local %s %s %s", ev->local_address, ev->local_family == 6 ? "IPv6" : "IPv4",
    b(ev->local_port == server_port()));
}
static void c1_close(const cnet_event *ev, void *arg) {
  (void)arg;
  t("C1 close %s", b(ev->had_error));
}
static void on_listening(const cnet_event *ev, void *arg) {
  (void)ev; (void)arg;
  cnet_connect_options o = {.port = server_port(), .host = "127.0.0.1"};
  cnet_connect(cnet_default_loop(), &o, NULL, NULL, &first);
  cnet_socket_resume(first);
  cnet_on(first, CNET_EV_CLOSE, c1_close, NULL);
}

int main(void) {
  trace_init();
  cnet_loop *loop = cnet_default_loop();
  cnet_create_server(loop, NULL, on_connection, NULL, &server);
  cnet_server_set_max_connections(server, 1);
  cnet_on(server, CNET_EV_DROP, on_drop, NULL);
  cnet_server_listen(server, 0, "127.0.0.1", 0);
  cnet_once(server, CNET_EV_LISTENING, on_listening, NULL);
  cnet_loop_run(loop, CNET_RUN_DEFAULT);
  cnet_server_free(server);
  return cnet_loop_close(loop) == 0 ? 0 : 1;
}
