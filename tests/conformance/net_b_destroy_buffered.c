/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* Twin of net_b_destroy_buffered.js. */
#include <cnet.h>
#include <stdio.h>
#include "trace.h"

static cnet_server *server;
static cnet_socket *c;
static const char *names[] = {"a", "b", "c"};

static const char *b(bool v) { return v ? "true" : "false"; }

static void s_data(const cnet_event *ev, void *arg) { (void)arg; t("S data \"%.*s\"", (int)ev->len, ev->data); }
static void s_end(const cnet_event *ev, void *arg) { (void)ev; (void)arg; t("S end"); }
static void s_close(const cnet_event *ev, void *arg) {
  (void)arg;
  t("S close %s", b(ev->had_error));
  cnet_server_close(server, NULL, NULL);
}
static void on_connection(const cnet_event *ev, void *arg) {
  (void)arg;
  cnet_socket *s = ev->object;
  cnet_on(s, CNET_EV_DATA, s_data, NULL);
  cnet_on(s, CNET_EV_END, s_end, NULL);
  cnet_on(s, CNET_EV_CLOSE, s_close, NULL);
}

static void c_write_cb(void *o, const cnet_error *err, void *arg) {
  (void)o;
  t("C write cb %s %s %s %zu", (const char *)arg, err ? cnet_err_name(err->code) : "null",
    err ? err->message : "null", cnet_socket_writable_length(c));
}
static void tick(void *arg) { (void)arg; t("C tick"); }
static void c_connect(void *target, const cnet_error *err, void *arg) {
  (void)target; (void)err; (void)arg;
  cnet_socket_cork(c);
  for (int i = 0; i < 3; i++) cnet_socket_write(c, names[i], 1, c_write_cb, (void *)names[i]);
  t("C before destroy %zu", cnet_socket_writable_length(c));
  cnet_socket_destroy(c, NULL);
  t("C after destroy %zu", cnet_socket_writable_length(c));
  cnet_next_tick(cnet_default_loop(), tick, NULL);
}
static void c_error(const cnet_event *ev, void *arg) { (void)arg; t("C error %s", cnet_err_name(ev->error->code)); }
static void c_close(const cnet_event *ev, void *arg) {
  (void)arg;
  t("C close %s %zu", b(ev->had_error), cnet_socket_writable_length(c));
}

static void listen_cb(const cnet_event *ev, void *arg) {
  (void)ev; (void)arg;
  cnet_address a;
  cnet_server_address(server, &a);
  cnet_connect_options o = {.port = a.port, .host = "127.0.0.1"};
  cnet_connect(cnet_default_loop(), &o, c_connect, NULL, &c);
  cnet_on(c, CNET_EV_ERROR, c_error, NULL);
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
