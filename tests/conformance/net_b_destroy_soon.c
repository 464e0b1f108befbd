/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* Twin of net_b_destroy_soon.js. */
#include <cnet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "trace.h"

#define SIZE (16u * 1024 * 1024)

static cnet_server *server;
static cnet_socket *client, *ssock;
static cnet_timer timer;
static int ready;
static unsigned long long total;

static const char *b(bool v) { return v ? "true" : "false"; }

static void resume_later(cnet_timer *tm, void *arg) {
  (void)tm; (void)arg;
  cnet_socket_resume(ssock);
}
static void write_cb(void *o, const cnet_error *err, void *arg) {
  (void)o; (void)arg;
  t("C write cb %s %s", err ? cnet_err_name(err->code) : "null", b(cnet_socket_destroyed(client)));
}
static void both(void) {
  if (++ready < 2) return;
  cnet_socket *c = client;
  char *buf = malloc(SIZE);
  memset(buf, 'q', SIZE);
  bool r = cnet_socket_write(c, buf, SIZE, write_cb, NULL);
  free(buf);
  t("C write %s", b(r));
  cnet_socket_destroy_soon(c);
  t("C after destroySoon %s %s %s %zu", b(cnet_socket_writable(c)), b(cnet_socket_destroyed(c)),
    cnet_socket_ready_state(c), cnet_socket_writable_length(c));
  cnet_set_timeout(&timer, resume_later, NULL, 50);
}

static void s_data(const cnet_event *ev, void *arg) { (void)arg; total += ev->len; }
static void s_end(const cnet_event *ev, void *arg) { (void)ev; (void)arg; t("S end %llu", total); }
static void s_finish(const cnet_event *ev, void *arg) { (void)ev; (void)arg; t("S finish"); }
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
  cnet_on(ssock, CNET_EV_FINISH, s_finish, NULL);
  cnet_on(ssock, CNET_EV_CLOSE, s_close, NULL);
  both();
}

static void c_connect(void *target, const cnet_error *err, void *arg) {
  (void)target; (void)err; (void)arg;
  both();
}
static void c_finish(const cnet_event *ev, void *arg) {
  (void)ev; (void)arg;
  t("C finish %s %s", b(cnet_socket_destroyed(client)), cnet_socket_ready_state(client));
}
static void c_end(const cnet_event *ev, void *arg) { (void)ev; (void)arg; t("C end"); }
static void c_error(const cnet_event *ev, void *arg) { (void)arg; t("C error %s", cnet_err_name(ev->error->code)); }
static void c_close(const cnet_event *ev, void *arg) {
  (void)arg;
  t("C close %s %s", b(ev->had_error), cnet_socket_ready_state(client));
}

static void listen_cb(const cnet_event *ev, void *arg) {
  (void)ev; (void)arg;
  cnet_address a;
  cnet_server_address(server, &a);
  cnet_connect_options o = {.port = a.port, .host = "127.0.0.1"};
  cnet_connect(cnet_default_loop(), &o, c_connect, NULL, &client);
  cnet_on(client, CNET_EV_FINISH, c_finish, NULL);
  cnet_on(client, CNET_EV_END, c_end, NULL);
  cnet_on(client, CNET_EV_ERROR, c_error, NULL);
  cnet_on(client, CNET_EV_CLOSE, c_close, NULL);
}

int main(void) {
  trace_init();
  cnet_loop *loop = cnet_default_loop();
  cnet_timer_init(loop, &timer);
  cnet_create_server(loop, NULL, on_connection, NULL, &server);
  cnet_server_listen(server, 0, "127.0.0.1", 0);
  cnet_once(server, CNET_EV_LISTENING, listen_cb, NULL);
  cnet_loop_run(loop, CNET_RUN_DEFAULT);
  cnet_server_free(server);
  return cnet_loop_close(loop) == 0 ? 0 : 1;
}
