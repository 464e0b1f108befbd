/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* Twin of net_b_pause_on_connect.js. */
#include <cnet.h>
#include <stdio.h>
#include "trace.h"

static cnet_server *server;
static cnet_socket *client, *ssock;
static cnet_timer timer;
static int connected;

static const char *b(bool v) { return v ? "true" : "false"; }
static unsigned long long nread(cnet_socket *s) { return (unsigned long long)cnet_socket_bytes_read(s); }

static void resume_later(cnet_timer *tm, void *arg) {
  (void)tm; (void)arg;
  t("S resume %s %llu", b(cnet_socket_is_paused(ssock)), nread(ssock));
  cnet_socket_resume(ssock);
  t("S after resume %s %llu", b(cnet_socket_is_paused(ssock)), nread(ssock));
}
static void c_write_cb(void *o, const cnet_error *err, void *arg) {
  (void)o; (void)err; (void)arg;
  t("C write cb");
  cnet_set_timeout(&timer, resume_later, NULL, 50);
}
static void both(void) {
  if (++connected < 2) return;
  cnet_socket_write(client, "hello", 5, c_write_cb, NULL);
}

static void s_data(const cnet_event *ev, void *arg) {
  (void)arg;
  t("S data \"%.*s\" %llu %s", (int)ev->len, ev->data, nread(ev->target),
    b(cnet_socket_is_paused(ev->target)));
  cnet_socket_end(client, NULL, 0, NULL, NULL);
}
static void s_pause(const cnet_event *ev, void *arg) { (void)ev; (void)arg; t("S pause"); }
static void s_resume(const cnet_event *ev, void *arg) {
  (void)arg;
  t("S resume event %llu", nread(ev->target));
}
static void s_end(const cnet_event *ev, void *arg) { (void)arg; t("S end %llu", nread(ev->target)); }
static void s_close(const cnet_event *ev, void *arg) {
  (void)arg;
  t("S close %s", b(ev->had_error));
  cnet_server_close(server, NULL, NULL);
}
static void on_connection(const cnet_event *ev, void *arg) {
  (void)arg;
  cnet_socket *s = ssock = ev->object;
  t("S connection %s %s %llu", b(cnet_socket_is_paused(s)), cnet_socket_ready_state(s), nread(s));
  cnet_on(s, CNET_EV_DATA, s_data, NULL);
  t("S after on data %s", b(cnet_socket_is_paused(s)));
  cnet_on(s, CNET_EV_PAUSE, s_pause, NULL);
  cnet_on(s, CNET_EV_RESUME, s_resume, NULL);
  cnet_on(s, CNET_EV_END, s_end, NULL);
  cnet_on(s, CNET_EV_CLOSE, s_close, NULL);
  both();
}

static void c_connect(void *target, const cnet_error *err, void *arg) {
  (void)target; (void)err; (void)arg;
  both();
}
static void c_close(const cnet_event *ev, void *arg) { (void)arg; t("C close %s", b(ev->had_error)); }

static void listen_cb(const cnet_event *ev, void *arg) {
  (void)ev; (void)arg;
  cnet_address a;
  cnet_server_address(server, &a);
  cnet_connect_options o = {.port = a.port, .host = "127.0.0.1"};
  cnet_connect(cnet_default_loop(), &o, c_connect, NULL, &client);
  cnet_on(client, CNET_EV_CLOSE, c_close, NULL);
}

int main(void) {
  trace_init();
  cnet_loop *loop = cnet_default_loop();
  cnet_timer_init(loop, &timer);
  cnet_server_options so = {.pause_on_connect = true};
  cnet_create_server(loop, &so, on_connection, NULL, &server);
  cnet_server_listen(server, 0, "127.0.0.1", 0);
  cnet_once(server, CNET_EV_LISTENING, listen_cb, NULL);
  cnet_loop_run(loop, CNET_RUN_DEFAULT);
  cnet_server_free(server);
  return cnet_loop_close(loop) == 0 ? 0 : 1;
}
