/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* Twin of net_b_write_empty.js. Node's write('') and write(Buffer.alloc(0))
 * are both a zero-length write here. */
#include <cnet.h>
#include <stdio.h>
#include "trace.h"

static cnet_server *server;
static cnet_socket *c;
static int ids[3] = {1, 2, 3};

static const char *b(bool v) { return v ? "true" : "false"; }
static const char *code(const cnet_error *err) { return err ? cnet_err_name(err->code) : "null"; }

static void s_data(const cnet_event *ev, void *arg) { (void)arg; t("S data %zu", ev->len); }
static void s_end(const cnet_event *ev, void *arg) { (void)ev; (void)arg; t("S end"); }
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
  (void)o;
  t("C write cb %d %s", *(int *)arg, code(err));
}
static void end_cb(void *o, const cnet_error *err, void *arg) {
  (void)o; (void)arg;
  t("C end cb %s %llu", code(err), (unsigned long long)cnet_socket_bytes_written(c));
}
static void c_connect(void *target, const cnet_error *err, void *arg) {
  (void)target; (void)err; (void)arg;
  bool r = cnet_socket_write(c, "", 0, write_cb, &ids[0]);
  t("C write %s %zu", b(r), cnet_socket_writable_length(c));
  r = cnet_socket_write(c, NULL, 0, write_cb, &ids[1]);
  t("C write %s %zu", b(r), cnet_socket_writable_length(c));
  r = cnet_socket_write(c, "z", 1, write_cb, &ids[2]);
  t("C write %s %zu", b(r), cnet_socket_writable_length(c));
  cnet_socket_end(c, NULL, 0, end_cb, NULL);
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
