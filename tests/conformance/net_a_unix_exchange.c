/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* Twin of net_a_unix_exchange.js. */
#include <cnet.h>
#include <stdio.h>
#include "trace.h"

static cnet_server *server;

static const char *b(bool v) { return v ? "true" : "false"; }

static void server_closed(void *o, const cnet_error *e, void *arg) {
  (void)o; (void)e; (void)arg;
  t("server closed");
}
static void s_data(const cnet_event *ev, void *arg) {
  (void)arg;
  t("S data %.*s", (int)ev->len, ev->data);
  cnet_socket_end(ev->target, "pong", 4, NULL, NULL);
}
static void s_end(const cnet_event *ev, void *arg) {
  (void)ev; (void)arg;
  t("S end");
}
static void s_close(const cnet_event *ev, void *arg) {
  (void)arg;
  t("S close %s %llu %llu", b(ev->had_error),
    (unsigned long long)cnet_socket_bytes_read(ev->target),
    (unsigned long long)cnet_socket_bytes_written(ev->target));
  cnet_server_close(server, server_closed, NULL);
}
static void on_connection(const cnet_event *ev, void *arg) {
  (void)arg;
  cnet_socket *s = ev->object;
  t("S connection %s", cnet_socket_ready_state(s));
  cnet_on(s, CNET_EV_DATA, s_data, NULL);
  cnet_on(s, CNET_EV_END, s_end, NULL);
  cnet_on(s, CNET_EV_CLOSE, s_close, NULL);
}

static void c_connect(void *target, const cnet_error *err, void *arg) {
  (void)err;
  (void)arg;
  t("C connect %s", cnet_socket_ready_state(target));
  cnet_socket_write(target, "ping", 4, NULL, NULL);
}
static void c_data(const cnet_event *ev, void *arg) {
  (void)arg;
  t("C data %.*s", (int)ev->len, ev->data);
}
static void c_end(const cnet_event *ev, void *arg) {
  (void)ev; (void)arg;
  t("C end");
}
static void c_close(const cnet_event *ev, void *arg) {
  (void)arg;
  t("C close %s %llu %llu", b(ev->had_error),
    (unsigned long long)cnet_socket_bytes_read(ev->target),
    (unsigned long long)cnet_socket_bytes_written(ev->target));
}

static void on_listening(const cnet_event *ev, void *arg) {
  (void)ev; (void)arg;
  cnet_connect_options o = {.path = "x.sock"};
  cnet_socket *c;
  int r = cnet_connect(cnet_default_loop(), &o, c_connect, NULL, &c);
  if (r) {
    t("connect returned %s", cnet_err_name(r));
    return;
  }
  cnet_on(c, CNET_EV_DATA, c_data, NULL);
  cnet_on(c, CNET_EV_END, c_end, NULL);
  cnet_on(c, CNET_EV_CLOSE, c_close, NULL);
}

int main(void) {
  trace_init();
  cnet_loop *loop = cnet_default_loop();
  cnet_create_server(loop, NULL, on_connection, NULL, &server);
  cnet_server_listen_path(server, "x.sock");
  cnet_once(server, CNET_EV_LISTENING, on_listening, NULL);
  cnet_loop_run(loop, CNET_RUN_DEFAULT);
  cnet_server_free(server);
  return cnet_loop_close(loop) == 0 ? 0 : 1;
}
