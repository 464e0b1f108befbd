/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* Twin of net_b_end_while_connecting.js. */
#include <cnet.h>
#include <stdio.h>
#include <string.h>
#include "trace.h"

static cnet_server *server;
static cnet_socket *c;
static char got[64];
static size_t got_len;

static const char *b(bool v) { return v ? "true" : "false"; }
static const char *rs(void) { return cnet_socket_ready_state(c); }

static void s_data(const cnet_event *ev, void *arg) {
  (void)arg;
  if (got_len + ev->len <= sizeof got) {
    memcpy(got + got_len, ev->data, ev->len);
    got_len += ev->len;
  }
}
static void s_end(const cnet_event *ev, void *arg) {
  (void)ev; (void)arg;
  t("S end \"%.*s\"", (int)got_len, got);
}
static void s_close(const cnet_event *ev, void *arg) {
  (void)ev; (void)arg;
  cnet_server_close(server, NULL, NULL);
}
static void on_connection(const cnet_event *ev, void *arg) {
  (void)arg;
  cnet_on(ev->object, CNET_EV_DATA, s_data, NULL);
  cnet_on(ev->object, CNET_EV_END, s_end, NULL);
  cnet_on(ev->object, CNET_EV_CLOSE, s_close, NULL);
}

static void end_cb(void *o, const cnet_error *err, void *arg) {
  (void)o; (void)arg;
  t("C end cb %s %s", err ? cnet_err_name(err->code) : "null", rs());
}
static void c_connect(const cnet_event *ev, void *arg) {
  (void)ev; (void)arg;
  t("C connect %s %zu", rs(), cnet_socket_writable_length(c));
}
static void c_ready(const cnet_event *ev, void *arg) { (void)ev; (void)arg; t("C ready %s", rs()); }
static void c_finish(const cnet_event *ev, void *arg) {
  (void)ev; (void)arg;
  t("C finish %s %llu", rs(), (unsigned long long)cnet_socket_bytes_written(c));
}
static void c_end(const cnet_event *ev, void *arg) { (void)ev; (void)arg; t("C end %s", rs()); }
static void c_close(const cnet_event *ev, void *arg) { (void)arg; t("C close %s", b(ev->had_error)); }

static void listen_cb(const cnet_event *ev, void *arg) {
  (void)ev; (void)arg;
  cnet_address a;
  cnet_server_address(server, &a);
  cnet_connect_options o = {.port = a.port, .host = "127.0.0.1"};
  cnet_connect(cnet_default_loop(), &o, NULL, NULL, &c);
  cnet_socket_end(c, "early", 5, end_cb, NULL);
  t("C after end %s %s %zu %llu", rs(), b(cnet_socket_writable(c)),
    cnet_socket_writable_length(c), (unsigned long long)cnet_socket_bytes_written(c));
  cnet_on(c, CNET_EV_CONNECT, c_connect, NULL);
  cnet_on(c, CNET_EV_READY, c_ready, NULL);
  cnet_on(c, CNET_EV_FINISH, c_finish, NULL);
  cnet_on(c, CNET_EV_END, c_end, NULL);
  cnet_on(c, CNET_EV_CLOSE, c_close, NULL);
}

int main(void) {
  trace_init();
  cnet_loop *loop = cnet_default_loop();
  cnet_create_server(loop, NULL, on_connection, NULL, &server);
  cnet_server_listen(server, 0, "127.0.0.1", 0);
  cnet_once(server, CNET_EV_LISTENING, listen_cb, NULL);
  cnet_loop_run(loop, CNET_RUN_DEFAULT);
  cnet_server_free(server);
  return cnet_loop_close(loop) == 0 ? 0 : 1;
}
