/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* Twin of net_a_reconnect_50.js. */
#include <cnet.h>
#include <stdio.h>
#include "trace.h"

enum { ROUNDS = 50 };
static cnet_server *server;
static int port, round_;
static struct {
  int connection, connect, ready, data, end, finish, close, had_error, error;
} n;

static const char *b(bool v) { return v ? "true" : "false"; }

static void on_connection(const cnet_event *ev, void *arg) {
  (void)arg;
  n.connection++;
  cnet_socket_end(ev->object, "x", 1, NULL, NULL);
  cnet_socket_resume(ev->object);
}
static void server_closed(void *o, const cnet_error *e, void *arg) {
  (void)o; (void)e; (void)arg;
  t("server closed");
}

static void connect_again(cnet_socket *c) {
  cnet_connect_options o = {.port = port, .host = "127.0.0.1"};
  int r = cnet_socket_connect(c, &o, NULL, NULL);
  if (r) t("connect returned %s", cnet_err_name(r));
}
static void c_connect(const cnet_event *ev, void *arg) {
  (void)arg;
  cnet_socket *c = ev->target;
  n.connect++;
  if (cnet_socket_connecting(c) || cnet_socket_pending(c) ||
      cnet_socket_ready_state(c)[0] != 'o' || cnet_socket_ready_state(c)[1] != 'p' ||
      cnet_socket_ready_state(c)[2] != 'e')
    t("bad state %d %s", round_, cnet_socket_ready_state(c));
}
static void c_ready(const cnet_event *ev, void *arg) { (void)ev; (void)arg; n.ready++; }
static void c_data(const cnet_event *ev, void *arg) { (void)ev; (void)arg; n.data++; }
static void c_end(const cnet_event *ev, void *arg) { (void)ev; (void)arg; n.end++; }
static void c_finish(const cnet_event *ev, void *arg) { (void)ev; (void)arg; n.finish++; }
static void c_error(const cnet_event *ev, void *arg) {
  (void)arg;
  n.error++;
  t("error %d %s", round_, cnet_err_name(ev->error->code));
}
static void c_close(const cnet_event *ev, void *arg) {
  (void)arg;
  cnet_socket *c = ev->target;
  n.close++;
  if (ev->had_error) n.had_error++;
  if (++round_ < ROUNDS) {
    connect_again(c);
    return;
  }
  t("rounds %d destroyed %s %s", round_, b(cnet_socket_destroyed(c)),
    cnet_socket_ready_state(c));
  t("connection %d", n.connection);
  t("connect %d", n.connect);
  t("ready %d", n.ready);
  t("data %d", n.data);
  t("end %d", n.end);
  t("finish %d", n.finish);
  t("close %d", n.close);
  t("had_error %d", n.had_error);
  t("error %d", n.error);
  cnet_server_close(server, server_closed, NULL);
}

static void on_listening(const cnet_event *ev, void *arg) {
  (void)ev; (void)arg;
  cnet_address a;
  cnet_server_address(server, &a);
  port = a.port;
  cnet_socket *c = NULL;
  cnet_socket_new(cnet_default_loop(), NULL, &c);
  cnet_on(c, CNET_EV_CONNECT, c_connect, NULL);
  cnet_on(c, CNET_EV_READY, c_ready, NULL);
  cnet_on(c, CNET_EV_DATA, c_data, NULL);
  cnet_on(c, CNET_EV_END, c_end, NULL);
  cnet_on(c, CNET_EV_FINISH, c_finish, NULL);
  cnet_on(c, CNET_EV_ERROR, c_error, NULL);
  cnet_on(c, CNET_EV_CLOSE, c_close, NULL);
  connect_again(c);
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
