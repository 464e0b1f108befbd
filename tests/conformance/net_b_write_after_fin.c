/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* Twin of net_b_write_after_fin.js. */
#include <cnet.h>
#include <stdio.h>
#include <string.h>
#include "trace.h"

static cnet_server *server;
static cnet_socket *client, *ssock;
static char got[64];
static size_t got_len;

static const char *b(bool v) { return v ? "true" : "false"; }
static const char *rs(const cnet_event *ev) { return cnet_socket_ready_state(ev->target); }

static void s_write_cb(void *o, const cnet_error *err, void *arg) {
  (void)o; (void)arg;
  t("S write cb %s %s", cnet_err_name(err->code), err->message);
}
static void s_tick2(void *arg) {
  (void)arg;
  t("S before write %s %s", cnet_socket_ready_state(ssock), b(cnet_socket_writable(ssock)));
  bool r = cnet_socket_write(ssock, "too late", 8, s_write_cb, NULL);
  t("S write returned %s %s", b(r), b(cnet_socket_destroyed(ssock)));
}
static void s_tick1(void *arg) {
  (void)arg;
  cnet_next_tick(cnet_default_loop(), s_tick2, NULL);
}
static void s_data(const cnet_event *ev, void *arg) {
  (void)arg;
  t("S data \"%.*s\"", (int)ev->len, ev->data);
  cnet_socket_end(client, NULL, 0, NULL, NULL);
}
static void s_end(const cnet_event *ev, void *arg) {
  (void)arg;
  t("S end %s", rs(ev));
  cnet_next_tick(cnet_default_loop(), s_tick1, NULL);
}
static void s_error(const cnet_event *ev, void *arg) {
  (void)arg;
  t("S error %s %s %s", cnet_err_name(ev->error->code), ev->error->message,
    ev->error->syscall ? ev->error->syscall : "undefined");
}
static void s_finish(const cnet_event *ev, void *arg) { (void)arg; t("S finish %s", rs(ev)); }
static void s_close(const cnet_event *ev, void *arg) {
  (void)arg;
  t("S close %s %s", b(ev->had_error), rs(ev));
  cnet_server_close(server, NULL, NULL);
}
static void on_connection(const cnet_event *ev, void *arg) {
  (void)arg;
  cnet_socket *s = ssock = ev->object;
  cnet_on(s, CNET_EV_DATA, s_data, NULL);
  cnet_on(s, CNET_EV_END, s_end, NULL);
  cnet_on(s, CNET_EV_ERROR, s_error, NULL);
  cnet_on(s, CNET_EV_FINISH, s_finish, NULL);
  cnet_on(s, CNET_EV_CLOSE, s_close, NULL);
}

static void c_connect(const cnet_event *ev, void *arg) {
  (void)ev; (void)arg;
  cnet_socket_write(client, "ping", 4, NULL, NULL);
}
static void c_data(const cnet_event *ev, void *arg) {
  (void)arg;
  if (got_len + ev->len <= sizeof got) {
    memcpy(got + got_len, ev->data, ev->len);
    got_len += ev->len;
  }
}
static void c_end(const cnet_event *ev, void *arg) {
  (void)ev; (void)arg;
  t("C end \"%.*s\"", (int)got_len, got);
}
static void c_close(const cnet_event *ev, void *arg) { (void)arg; t("C close %s", b(ev->had_error)); }
static void on_server_close(const cnet_event *ev, void *arg) { (void)ev; (void)arg; t("server close"); }

static void listen_cb(const cnet_event *ev, void *arg) {
  (void)ev; (void)arg;
  cnet_address a;
  cnet_server_address(server, &a);
  cnet_connect_options o = {.port = a.port, .host = "127.0.0.1"};
  cnet_connect(cnet_default_loop(), &o, NULL, NULL, &client);
  cnet_on(client, CNET_EV_CONNECT, c_connect, NULL);
  cnet_on(client, CNET_EV_DATA, c_data, NULL);
  cnet_on(client, CNET_EV_END, c_end, NULL);
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
