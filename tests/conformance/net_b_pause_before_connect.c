/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* Twin of net_b_pause_before_connect.js. */
#include <cnet.h>
#include <stdio.h>
#include "trace.h"

static cnet_server *server;
static cnet_socket *client, *ssock;
static cnet_timer timer;
static int ready;

static const char *b(bool v) { return v ? "true" : "false"; }

static void resume_later(cnet_timer *tm, void *arg) {
  (void)tm; (void)arg;
  t("C resume %s %llu", b(cnet_socket_is_paused(client)),
    (unsigned long long)cnet_socket_bytes_read(client));
  cnet_socket_resume(client);
  t("C after resume %s", b(cnet_socket_is_paused(client)));
}
static void s_write_cb(void *o, const cnet_error *err, void *arg) {
  (void)o; (void)err; (void)arg;
  t("S write cb");
  cnet_set_timeout(&timer, resume_later, NULL, 50);
}
static void both(void) {
  if (++ready < 2) return;
  cnet_socket_write(ssock, "greeting", 8, s_write_cb, NULL);
}

static void s_end(const cnet_event *ev, void *arg) { (void)ev; (void)arg; t("S end"); }
static void s_close(const cnet_event *ev, void *arg) {
  (void)ev; (void)arg;
  cnet_server_close(server, NULL, NULL);
}
static void on_connection(const cnet_event *ev, void *arg) {
  (void)arg;
  ssock = ev->object;
  cnet_on(ssock, CNET_EV_END, s_end, NULL);
  cnet_on(ssock, CNET_EV_CLOSE, s_close, NULL);
  both();
}

static void c_pause(const cnet_event *ev, void *arg) { (void)ev; (void)arg; t("C pause event"); }
static void c_resume(const cnet_event *ev, void *arg) {
  (void)arg;
  t("C resume event %s", b(cnet_socket_is_paused(ev->target)));
}
static void c_data(const cnet_event *ev, void *arg) {
  (void)arg;
  t("C data \"%.*s\" %llu", (int)ev->len, ev->data,
    (unsigned long long)cnet_socket_bytes_read(ev->target));
  cnet_socket_end(client, NULL, 0, NULL, NULL);
}
static void c_connect(void *target, const cnet_error *err, void *arg) {
  (void)err;
  (void)arg;
  t("C connect %s %llu", b(cnet_socket_is_paused(target)),
    (unsigned long long)cnet_socket_bytes_read(target));
  both();
}
static void c_end(const cnet_event *ev, void *arg) { (void)ev; (void)arg; t("C end"); }
static void c_close(const cnet_event *ev, void *arg) { (void)arg; t("C close %s", b(ev->had_error)); }

static void listen_cb(const cnet_event *ev, void *arg) {
  (void)ev; (void)arg;
  cnet_address a;
  cnet_server_address(server, &a);
  cnet_socket_new(cnet_default_loop(), NULL, &client);
  cnet_on(client, CNET_EV_PAUSE, c_pause, NULL);
  cnet_on(client, CNET_EV_RESUME, c_resume, NULL);
  t("C new %s", b(cnet_socket_is_paused(client)));
  cnet_socket_pause(client);
  t("C after pause %s", b(cnet_socket_is_paused(client)));
  cnet_socket_pause(client);
  t("C after second pause %s", b(cnet_socket_is_paused(client)));
  cnet_on(client, CNET_EV_DATA, c_data, NULL);
  t("C after on data %s", b(cnet_socket_is_paused(client)));
  cnet_connect_options o = {.port = a.port, .host = "127.0.0.1"};
  cnet_socket_connect(client, &o, c_connect, NULL);
  cnet_on(client, CNET_EV_END, c_end, NULL);
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
