/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* Twin of net_b_pause_resume_events.js. (Node reads the greeting into its
 * buffer while paused between the resumes; cnet leaves it in the kernel.
 * bytesRead is not printed, so the traces agree.) */
#include <cnet.h>
#include <stdio.h>
#include "trace.h"

static cnet_server *server;
static cnet_socket *c;
static cnet_immediate later;
static int resumes;

static const char *b(bool v) { return v ? "true" : "false"; }
static const char *paused(void) { return b(cnet_socket_is_paused(c)); }

static void s_close(const cnet_event *ev, void *arg) {
  (void)ev; (void)arg;
  cnet_server_close(server, NULL, NULL);
}
static void on_connection(const cnet_event *ev, void *arg) {
  (void)arg;
  cnet_socket_end(ev->object, "greeting", 8, NULL, NULL);
  cnet_on(ev->object, CNET_EV_CLOSE, s_close, NULL);
}

static void tick(void *arg) { (void)arg; t("C tick %s", paused()); }
static void c_connect(void *target, const cnet_error *err, void *arg) {
  (void)target; (void)err; (void)arg;
  t("C connect %s", paused());
  cnet_socket_pause(c);
  t("C after pause %s", paused());
  cnet_socket_pause(c);
  t("C after second pause %s", paused());
  cnet_socket_resume(c);
  t("C after resume %s", paused());
  cnet_socket_resume(c);
  t("C after second resume %s", paused());
  cnet_next_tick(cnet_default_loop(), tick, NULL);
}
static void c_pause(const cnet_event *ev, void *arg) { (void)ev; (void)arg; t("C pause event %s", paused()); }
static void c_data(const cnet_event *ev, void *arg) {
  (void)arg;
  t("C data \"%.*s\"", (int)ev->len, ev->data);
}
static void flow_now(cnet_immediate *im, void *arg) {
  (void)im; (void)arg;
  cnet_on(c, CNET_EV_DATA, c_data, NULL);
  t("C on data %s", paused());
  cnet_socket_resume(c);
}
static void c_resume(const cnet_event *ev, void *arg) {
  (void)ev; (void)arg;
  resumes++;
  t("C resume event %d %s", resumes, paused());
  if (resumes == 1) {
    cnet_socket_pause(c);
    cnet_socket_resume(c);
    cnet_socket_pause(c);
    t("C pause resume pause %s", paused());
  } else if (resumes == 2) {
    cnet_set_immediate(cnet_default_loop(), &later, flow_now, NULL);
  }
}
static void c_end(const cnet_event *ev, void *arg) { (void)ev; (void)arg; t("C end"); }
static void c_close(const cnet_event *ev, void *arg) { (void)arg; t("C close %s", b(ev->had_error)); }

static void listen_cb(const cnet_event *ev, void *arg) {
  (void)ev; (void)arg;
  cnet_address a;
  cnet_server_address(server, &a);
  cnet_connect_options o = {.port = a.port, .host = "127.0.0.1"};
  cnet_connect(cnet_default_loop(), &o, c_connect, NULL, &c);
  cnet_on(c, CNET_EV_PAUSE, c_pause, NULL);
  cnet_on(c, CNET_EV_RESUME, c_resume, NULL);
  cnet_on(c, CNET_EV_END, c_end, NULL);
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
