/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* Twin of net_b_halfopen_client.js. cnet_connect_options has no
 * allow_half_open, so the client is made with cnet_socket_new (Node's
 * new net.Socket({allowHalfOpen})) and then connected. */
#include <cnet.h>
#include <stdio.h>
#include "trace.h"

static cnet_server *server;
static cnet_socket *client;
static int seen;

static const char *b(bool v) { return v ? "true" : "false"; }
static const char *rs(const cnet_event *ev) { return cnet_socket_ready_state(ev->target); }

static void s_end_cb(void *o, const cnet_error *err, void *arg) {
  (void)err; (void)arg;
  t("S end cb %s", cnet_socket_ready_state(o));
}
static void c_end_cb(void *o, const cnet_error *err, void *arg) {
  (void)err; (void)arg;
  t("C end cb %s", cnet_socket_ready_state(o));
}
static void s_data(const cnet_event *ev, void *arg) {
  (void)arg;
  t("S data \"%.*s\" %s", (int)ev->len, ev->data, rs(ev));
  if (++seen == 1) cnet_socket_end(ev->target, NULL, 0, s_end_cb, NULL);
  else cnet_socket_end(client, NULL, 0, c_end_cb, NULL);
}
static void s_end(const cnet_event *ev, void *arg) { (void)arg; t("S end %s", rs(ev)); }
static void s_finish(const cnet_event *ev, void *arg) { (void)arg; t("S finish %s", rs(ev)); }
static void s_close(const cnet_event *ev, void *arg) {
  (void)arg;
  t("S close %s %s", b(ev->had_error), rs(ev));
  cnet_server_close(server, NULL, NULL);
}
static void on_connection(const cnet_event *ev, void *arg) {
  (void)arg;
  cnet_socket *s = ev->object;
  t("S connection %s", cnet_socket_ready_state(s));
  cnet_on(s, CNET_EV_DATA, s_data, NULL);
  cnet_on(s, CNET_EV_END, s_end, NULL);
  cnet_on(s, CNET_EV_FINISH, s_finish, NULL);
  cnet_on(s, CNET_EV_CLOSE, s_close, NULL);
}

static void c_write_cb(void *o, const cnet_error *err, void *arg) {
  (void)err; (void)arg;
  t("C write cb %s", cnet_socket_ready_state(o));
}
static void c_connect(const cnet_event *ev, void *arg) {
  (void)arg;
  t("C connect %s", rs(ev));
  cnet_socket_write(client, "ping", 4, NULL, NULL);
}
static void c_data(const cnet_event *ev, void *arg) {
  (void)arg;
  t("C data \"%.*s\"", (int)ev->len, ev->data);
}
static void c_end(const cnet_event *ev, void *arg) {
  (void)arg;
  t("C end %s %s", rs(ev), b(cnet_socket_writable(ev->target)));
  bool r = cnet_socket_write(client, "late", 4, c_write_cb, NULL);
  t("C write returned %s", b(r));
}
static void c_finish(const cnet_event *ev, void *arg) { (void)arg; t("C finish %s", rs(ev)); }
static void c_close(const cnet_event *ev, void *arg) {
  (void)arg;
  t("C close %s %s", b(ev->had_error), rs(ev));
}
static void on_server_close(const cnet_event *ev, void *arg) { (void)ev; (void)arg; t("server close"); }

static void listen_cb(const cnet_event *ev, void *arg) {
  (void)ev; (void)arg;
  cnet_address a;
  cnet_server_address(server, &a);
  cnet_socket_options so = {.allow_half_open = true};
  cnet_socket_new(cnet_default_loop(), &so, &client);
  cnet_connect_options o = {.port = a.port, .host = "127.0.0.1"};
  cnet_socket_connect(client, &o, NULL, NULL);
  cnet_on(client, CNET_EV_CONNECT, c_connect, NULL);
  cnet_on(client, CNET_EV_DATA, c_data, NULL);
  cnet_on(client, CNET_EV_END, c_end, NULL);
  cnet_on(client, CNET_EV_FINISH, c_finish, NULL);
  cnet_on(client, CNET_EV_CLOSE, c_close, NULL);
}

int main(void) {
  trace_init();
  cnet_loop *loop = cnet_default_loop();
  cnet_create_server(loop, NULL, on_connection, NULL, &server);
  cnet_server_listen(server, 0, "127.0.0.1", 0);
  cnet_once(server, CNET_EV_LISTENING, listen_cb, NULL);
  cnet_on(server, CNET_EV_CLOSE, on_server_close, NULL);
  cnet_loop_run(loop, CNET_RUN_DEFAULT);
  cnet_server_free(server);
  return cnet_loop_close(loop) == 0 ? 0 : 1;
}
