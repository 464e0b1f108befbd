/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* Twin of net_b_destroy_inflight.js. */
#include <cnet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "trace.h"

#define SIZE (16u * 1024 * 1024)

static cnet_server *server;
static cnet_socket *c, *ssock;

static const char *b(bool v) { return v ? "true" : "false"; }
static const char *code(const cnet_error *err) { return err ? cnet_err_name(err->code) : "null"; }

static void s_data(const cnet_event *ev, void *arg) { (void)ev; (void)arg; }
static void s_end(const cnet_event *ev, void *arg) { (void)ev; (void)arg; t("S end"); }
static void s_error(const cnet_event *ev, void *arg) { (void)arg; t("S error %s", code(ev->error)); }
static void s_close(const cnet_event *ev, void *arg) {
  (void)arg;
  t("S close %s", b(ev->had_error));
  cnet_server_close(server, NULL, NULL);
}
static void on_connection(const cnet_event *ev, void *arg) {
  (void)arg;
  ssock = ev->object;
  cnet_socket_pause(ssock);
  cnet_on(ssock, CNET_EV_DATA, s_data, NULL);
  cnet_on(ssock, CNET_EV_END, s_end, NULL);
  cnet_on(ssock, CNET_EV_ERROR, s_error, NULL);
  cnet_on(ssock, CNET_EV_CLOSE, s_close, NULL);
}

static void big_cb(void *o, const cnet_error *err, void *arg) {
  (void)o; (void)arg;
  t("C write cb big %s %zu", code(err), cnet_socket_writable_length(c));
}
static void tail_cb(void *o, const cnet_error *err, void *arg) {
  (void)o; (void)arg;
  t("C write cb tail %s", code(err));
}
static void end_cb(void *o, const cnet_error *err, void *arg) {
  (void)o; (void)arg;
  t("C end cb %s", code(err));
}
static void tick(void *arg) { (void)arg; t("C tick"); }
static void c_connect(void *target, const cnet_error *err, void *arg) {
  (void)target; (void)err; (void)arg;
  char *buf = malloc(SIZE);
  memset(buf, 'x', SIZE);
  cnet_socket_write(c, buf, SIZE, big_cb, NULL);
  free(buf);
  cnet_socket_write(c, "tail", 4, tail_cb, NULL);
  cnet_socket_end(c, NULL, 0, end_cb, NULL);
  t("C before destroy %zu", cnet_socket_writable_length(c));
  cnet_socket_destroy(c, NULL);
  cnet_next_tick(cnet_default_loop(), tick, NULL);
}
static void c_error(const cnet_event *ev, void *arg) { (void)arg; t("C error %s", code(ev->error)); }
static void c_close(const cnet_event *ev, void *arg) {
  (void)arg;
  t("C close %s", b(ev->had_error));
  cnet_socket_resume(ssock);
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
