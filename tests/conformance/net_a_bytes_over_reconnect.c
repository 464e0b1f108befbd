/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* Twin of net_a_bytes_over_reconnect.js. */
#include <cnet.h>
#include <stdio.h>
#include "trace.h"

static cnet_server *server;
static cnet_socket *c;
static int port, round_;

static void bytes(const char *tag) {
  t("%s %d %llu %llu", tag, round_, (unsigned long long)cnet_socket_bytes_read(c),
    (unsigned long long)cnet_socket_bytes_written(c));
}

static void s_end(const cnet_event *ev, void *arg) {
  (void)arg;
  cnet_socket_end(ev->target, NULL, 0, NULL, NULL);
}
static void on_connection(const cnet_event *ev, void *arg) {
  (void)arg;
  cnet_socket *s = ev->object;
  cnet_socket_write(s, "hi", 2, NULL, NULL);
  cnet_socket_resume(s);
  cnet_on(s, CNET_EV_END, s_end, NULL);
}
static void server_closed(void *o, const cnet_error *e, void *arg) {
  (void)o; (void)e; (void)arg;
  t("server closed");
}

static void connect_again(void) {
  cnet_connect_options o = {.port = port, .host = "127.0.0.1"};
  int r = cnet_socket_connect(c, &o, NULL, NULL);
  if (r) t("connect returned %s", cnet_err_name(r));
}
static void c_connect(const cnet_event *ev, void *arg) {
  (void)ev; (void)arg;
  bytes("connect");
  cnet_socket_end(c, "abc", 3, NULL, NULL);
  bytes("after end");
}
static void c_data(const cnet_event *ev, void *arg) {
  (void)arg;
  char tag[64];
  snprintf(tag, sizeof tag, "data %.*s", (int)ev->len, ev->data);
  bytes(tag);
}
static void c_end(const cnet_event *ev, void *arg) {
  (void)ev; (void)arg;
  bytes("end");
}
static void c_close(const cnet_event *ev, void *arg) {
  (void)ev; (void)arg;
  bytes("close");
  if (++round_ < 3) {
    connect_again();
    bytes("reconnecting");
  } else {
    cnet_server_close(server, server_closed, NULL);
  }
}

static void on_listening(const cnet_event *ev, void *arg) {
  (void)ev; (void)arg;
  cnet_address a;
  cnet_server_address(server, &a);
  port = a.port;
  cnet_socket_new(cnet_default_loop(), NULL, &c);
  bytes("new");
  cnet_on(c, CNET_EV_CONNECT, c_connect, NULL);
  cnet_on(c, CNET_EV_DATA, c_data, NULL);
  cnet_on(c, CNET_EV_END, c_end, NULL);
  cnet_on(c, CNET_EV_CLOSE, c_close, NULL);
  connect_again();
  cnet_socket_write(c, "w", 1, NULL, NULL);
  bytes("connecting");
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
