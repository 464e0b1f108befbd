/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* Twin of net_b_destroy.js. */
#include <cnet.h>
#include <stdio.h>
#include "trace.h"

static cnet_server *server;
static cnet_socket *c;

static const char *b(bool v) { return v ? "true" : "false"; }
static const char *rs(const cnet_event *ev) { return cnet_socket_ready_state(ev->target); }

static void s_end(const cnet_event *ev, void *arg) { (void)arg; t("S end %s", rs(ev)); }
static void s_finish(const cnet_event *ev, void *arg) { (void)arg; t("S finish %s", rs(ev)); }
static void s_error(const cnet_event *ev, void *arg) { (void)arg; t("S error %s", cnet_err_name(ev->error->code)); }
static void s_close(const cnet_event *ev, void *arg) {
  (void)arg;
  t("S close %s %s", b(ev->had_error), rs(ev));
  cnet_server_close(server, NULL, NULL);
}
static void on_connection(const cnet_event *ev, void *arg) {
  (void)arg;
  cnet_socket *s = ev->object;
  cnet_socket_write(s, "hi", 2, NULL, NULL);
  cnet_on(s, CNET_EV_END, s_end, NULL);
  cnet_on(s, CNET_EV_FINISH, s_finish, NULL);
  cnet_on(s, CNET_EV_ERROR, s_error, NULL);
  cnet_on(s, CNET_EV_CLOSE, s_close, NULL);
}

static void tick(void *arg) { (void)arg; t("C tick after destroy"); }
static void c_data(const cnet_event *ev, void *arg) {
  (void)arg;
  t("C data \"%.*s\"", (int)ev->len, ev->data);
  cnet_socket_destroy(c, NULL);
  t("C after destroy %s %s %s %s %s", b(cnet_socket_destroyed(c)), cnet_socket_ready_state(c),
    b(cnet_socket_writable(c)), b(cnet_socket_readable(c)), b(cnet_socket_pending(c)));
  cnet_next_tick(cnet_default_loop(), tick, NULL);
  cnet_socket_destroy(c, NULL);
  t("C after second destroy %s", b(cnet_socket_destroyed(c)));
}
static void c_end(const cnet_event *ev, void *arg) { (void)ev; (void)arg; t("C end"); }
static void c_finish(const cnet_event *ev, void *arg) { (void)ev; (void)arg; t("C finish"); }
static void c_error(const cnet_event *ev, void *arg) { (void)arg; t("C error %s", cnet_err_name(ev->error->code)); }
static void c_close(const cnet_event *ev, void *arg) {
  (void)arg;
  t("C close %s %s %s", b(ev->had_error), rs(ev), b(cnet_socket_destroyed(c)));
}

static void listen_cb(const cnet_event *ev, void *arg) {
  (void)ev; (void)arg;
  cnet_address a;
  cnet_server_address(server, &a);
  cnet_connect_options o = {.port = a.port, .host = "127.0.0.1"};
  cnet_connect(cnet_default_loop(), &o, NULL, NULL, &c);
  cnet_on(c, CNET_EV_DATA, c_data, NULL);
  cnet_on(c, CNET_EV_END, c_end, NULL);
  cnet_on(c, CNET_EV_FINISH, c_finish, NULL);
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
