/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* Twin of net_b_end_cb_order.js. */
#include <cnet.h>
#include <stdio.h>
#include <string.h>
#include "trace.h"

static cnet_server *server;
static cnet_socket *c;
static char got[64];
static size_t got_len;

static const char *b(bool v) { return v ? "true" : "false"; }
static const char *code(const cnet_error *err) { return err ? cnet_err_name(err->code) : "null"; }

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

static void write_cb(void *o, const cnet_error *err, void *arg) {
  (void)o; (void)arg;
  t("C write cb %s", code(err));
}
static void end_cb1(void *o, const cnet_error *err, void *arg) {
  (void)o; (void)arg;
  t("C end cb 1 %s %s", code(err), cnet_socket_ready_state(c));
}
static void end_cb2(void *o, const cnet_error *err, void *arg) {
  (void)o; (void)arg;
  t("C end cb 2 %s", code(err));
}
static void end_cb3(void *o, const cnet_error *err, void *arg) {
  (void)o; (void)arg;
  t("C end cb 3 %s %s", code(err), err ? err->message : "null");
}
static void tick(void *arg) { (void)arg; t("C tick after finish"); }
static void c_connect(void *target, const cnet_error *err, void *arg) {
  (void)target; (void)err; (void)arg;
  cnet_socket_write(c, "a", 1, write_cb, NULL);
  cnet_socket_end(c, "b", 1, end_cb1, NULL);
  t("C after end %s %zu %s", b(cnet_socket_writable(c)), cnet_socket_writable_length(c),
    cnet_socket_ready_state(c));
  cnet_socket_end(c, NULL, 0, end_cb2, NULL);
  t("C after second end %s %s", b(cnet_socket_writable(c)), b(cnet_socket_destroyed(c)));
}
static void c_finish(const cnet_event *ev, void *arg) {
  (void)ev; (void)arg;
  t("C finish %s", cnet_socket_ready_state(c));
  cnet_socket_end(c, NULL, 0, end_cb3, NULL);
  cnet_next_tick(cnet_default_loop(), tick, NULL);
}
static void c_error(const cnet_event *ev, void *arg) { (void)arg; t("C error %s", code(ev->error)); }
static void c_end(const cnet_event *ev, void *arg) { (void)ev; (void)arg; t("C end"); }
static void c_close(const cnet_event *ev, void *arg) { (void)arg; t("C close %s", b(ev->had_error)); }

static void listen_cb(const cnet_event *ev, void *arg) {
  (void)ev; (void)arg;
  cnet_address a;
  cnet_server_address(server, &a);
  cnet_connect_options o = {.port = a.port, .host = "127.0.0.1"};
  cnet_connect(cnet_default_loop(), &o, c_connect, NULL, &c);
  cnet_on(c, CNET_EV_FINISH, c_finish, NULL);
  cnet_on(c, CNET_EV_ERROR, c_error, NULL);
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
