/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* Twin of net_b_cork_nested.js. */
#include <cnet.h>
#include <stdio.h>
#include <string.h>
#include "trace.h"

static cnet_server *server;
static cnet_socket *c;
static cnet_immediate im;
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

static void cb_x(void *o, const cnet_error *err, void *arg) { (void)o; (void)arg; t("C write cb x %s", code(err)); }
static void cb_yy(void *o, const cnet_error *err, void *arg) { (void)o; (void)arg; t("C write cb yy %s", code(err)); }
static void end_cb(void *o, const cnet_error *err, void *arg) { (void)o; (void)arg; t("C end cb %s", code(err)); }
static void later(cnet_immediate *i, void *arg) {
  (void)i; (void)arg;
  t("C immediate %zu", cnet_socket_writable_length(c));
  cnet_socket_end(c, "z", 1, end_cb, NULL);
  t("C after end %zu", cnet_socket_writable_length(c));
}
static void c_connect(void *target, const cnet_error *err, void *arg) {
  (void)target; (void)err; (void)arg;
  cnet_socket_cork(c);
  cnet_socket_cork(c);
  cnet_socket_write(c, "x", 1, cb_x, NULL);
  cnet_socket_write(c, "yy", 2, cb_yy, NULL);
  cnet_socket_uncork(c);
  t("C after one uncork %zu", cnet_socket_writable_length(c));
  cnet_set_immediate(cnet_default_loop(), &im, later, NULL);
}
static void c_finish(const cnet_event *ev, void *arg) { (void)ev; (void)arg; t("C finish"); }
static void c_close(const cnet_event *ev, void *arg) { (void)arg; t("C close %s", b(ev->had_error)); }

static void listen_cb(const cnet_event *ev, void *arg) {
  (void)ev; (void)arg;
  cnet_address a;
  cnet_server_address(server, &a);
  cnet_connect_options o = {.port = a.port, .host = "127.0.0.1"};
  cnet_connect(cnet_default_loop(), &o, c_connect, NULL, &c);
  cnet_on(c, CNET_EV_FINISH, c_finish, NULL);
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
