/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* Twin of net_b_destroy_connecting.js. */
#include <cnet.h>
#include <stdio.h>
#include "trace.h"

static cnet_server *server;
static cnet_socket *c;
static const char *names[] = {"a", "b", "c"};

static const char *b(bool v) { return v ? "true" : "false"; }

static void c_write_cb(void *o, const cnet_error *err, void *arg) {
  (void)o;
  t("C write cb %s %s %s", (const char *)arg, err ? cnet_err_name(err->code) : "null",
    err ? err->message : "null");
}
static void c_end_cb(void *o, const cnet_error *err, void *arg) {
  (void)o; (void)arg;
  t("C end cb %s %s", err ? cnet_err_name(err->code) : "null", err ? err->message : "null");
}
static void tick(void *arg) { (void)arg; t("C tick"); }
static void c_error(const cnet_event *ev, void *arg) { (void)arg; t("C error %s", cnet_err_name(ev->error->code)); }
static void c_close(const cnet_event *ev, void *arg) {
  (void)arg;
  t("C close %s %zu", b(ev->had_error), cnet_socket_writable_length(c));
  cnet_server_close(server, NULL, NULL);
}

static void listen_cb(const cnet_event *ev, void *arg) {
  (void)ev; (void)arg;
  cnet_address a;
  cnet_server_address(server, &a);
  cnet_connect_options o = {.port = a.port, .host = "127.0.0.1"};
  cnet_connect(cnet_default_loop(), &o, NULL, NULL, &c);
  for (int i = 0; i < 3; i++) cnet_socket_write(c, names[i], 1, c_write_cb, (void *)names[i]);
  cnet_socket_end(c, NULL, 0, c_end_cb, NULL);
  t("C before destroy %zu", cnet_socket_writable_length(c));
  cnet_socket_destroy(c, NULL);
  t("C after destroy %zu", cnet_socket_writable_length(c));
  cnet_next_tick(cnet_default_loop(), tick, NULL);
  cnet_on(c, CNET_EV_ERROR, c_error, NULL);
  cnet_on(c, CNET_EV_CLOSE, c_close, NULL);
}

int main(void) {
  trace_init();
  cnet_loop *loop = cnet_default_loop();
  cnet_create_server(loop, NULL, NULL, NULL, &server);
  cnet_server_listen(server, 0, "127.0.0.1", 0);
  cnet_once(server, CNET_EV_LISTENING, listen_cb, NULL);
  cnet_loop_run(loop, CNET_RUN_DEFAULT);
  cnet_server_free(server);
  return cnet_loop_close(loop) == 0 ? 0 : 1;
}
