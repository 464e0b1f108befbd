/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* Twin of net_echo_flow.js. */
#include <cnet.h>
#include <stdio.h>
#include <string.h>
#include "trace.h"

static cnet_server *server;
static cnet_socket *client;

static const char *b(bool v) { return v ? "true" : "false"; }

static void json(const char *tag, const cnet_event *ev) {
  t("%s \"%.*s\"", tag, (int)ev->len, ev->data);
}

static void s_data(const cnet_event *ev, void *arg) { (void)arg; json("S data", ev); }
static void s_end(const cnet_event *ev, void *arg) {
  (void)arg;
  t("S end %s", cnet_socket_ready_state(ev->target));
}
static void s_finish(const cnet_event *ev, void *arg) {
  (void)arg;
  t("S finish %s", cnet_socket_ready_state(ev->target));
}
static void s_close(const cnet_event *ev, void *arg) {
  (void)arg;
  t("S close %s %s", b(ev->had_error), cnet_socket_ready_state(ev->target));
  cnet_server_close(server, NULL, NULL);
}
static void s_write_cb(void *o, const cnet_error *err, void *arg) {
  (void)o; (void)err; (void)arg;
  t("S write cb");
}

static void on_connection(const cnet_event *ev, void *arg) {
  (void)arg;
  cnet_socket *s = ev->object;
  t("S connection %s", cnet_socket_ready_state(s));
  cnet_on(s, CNET_EV_DATA, s_data, NULL);
  cnet_on(s, CNET_EV_END, s_end, NULL);
  cnet_on(s, CNET_EV_FINISH, s_finish, NULL);
  cnet_on(s, CNET_EV_CLOSE, s_close, NULL);
  cnet_socket_write(s, "hello", 5, s_write_cb, NULL);
}

static void on_listening(const cnet_event *ev, void *arg) { (void)ev; (void)arg; t("listening"); }
static void on_server_close(const cnet_event *ev, void *arg) { (void)ev; (void)arg; t("server close"); }

static void c_connect_cb(void *target, const cnet_error *err, void *arg) {
  (void)err;
  (void)arg;
  t("C connect cb %s", cnet_socket_ready_state(target));
}
static void c_connect(const cnet_event *ev, void *arg) { (void)ev; (void)arg; t("C connect"); }
static void c_ready(const cnet_event *ev, void *arg) { (void)ev; (void)arg; t("C ready"); }
static void c_end_cb(void *o, const cnet_error *err, void *arg) {
  (void)o; (void)err; (void)arg;
  t("C end cb");
}
static void c_data(const cnet_event *ev, void *arg) {
  (void)arg;
  json("C data", ev);
  cnet_socket_end(ev->target, "bye", 3, c_end_cb, NULL);
}
static void c_end(const cnet_event *ev, void *arg) {
  (void)arg;
  t("C end %s", cnet_socket_ready_state(ev->target));
}
static void c_finish(const cnet_event *ev, void *arg) {
  (void)arg;
  t("C finish %s", cnet_socket_ready_state(ev->target));
}
static void c_close(const cnet_event *ev, void *arg) {
  (void)arg;
  t("C close %s %s", b(ev->had_error), cnet_socket_ready_state(ev->target));
}
static void c_write_cb(void *o, const cnet_error *err, void *arg) {
  (void)o; (void)err; (void)arg;
  t("C write cb");
}

static void listen_cb(const cnet_event *ev, void *arg) {
  (void)ev; (void)arg;
  t("listen cb");
  cnet_address a;
  cnet_server_address(server, &a);
  cnet_connect_options o = {.port = a.port, .host = "127.0.0.1"};
  cnet_connect(cnet_default_loop(), &o, c_connect_cb, NULL, &client);
  t("C after connect %s %s %s", cnet_socket_ready_state(client),
    b(cnet_socket_pending(client)), b(cnet_socket_connecting(client)));
  cnet_on(client, CNET_EV_CONNECT, c_connect, NULL);
  cnet_on(client, CNET_EV_READY, c_ready, NULL);
  cnet_on(client, CNET_EV_DATA, c_data, NULL);
  cnet_on(client, CNET_EV_END, c_end, NULL);
  cnet_on(client, CNET_EV_FINISH, c_finish, NULL);
  cnet_on(client, CNET_EV_CLOSE, c_close, NULL);
  cnet_socket_write(client, "hi", 2, c_write_cb, NULL);
  t("C bufferSize %zu %zu", cnet_socket_buffer_size(client),
    cnet_socket_writable_length(client));
}

int main(void) {
  trace_init();
  cnet_loop *loop = cnet_default_loop();
  cnet_create_server(loop, NULL, on_connection, NULL, &server);
  cnet_on(server, CNET_EV_LISTENING, on_listening, NULL);
  cnet_on(server, CNET_EV_CLOSE, on_server_close, NULL);
  cnet_server_listen(server, 0, "127.0.0.1", 0);
  cnet_once(server, CNET_EV_LISTENING, listen_cb, NULL);
  cnet_loop_run(loop, CNET_RUN_DEFAULT);
  cnet_server_free(server);
  return cnet_loop_close(loop) == 0 ? 0 : 1;
}
