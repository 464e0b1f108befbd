/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* Twin of net_a_econnrefused_states.js. */
#include <cnet.h>
#include <stdio.h>
#include "trace.h"

static cnet_server *probe;
static cnet_socket *c;
static int port;

static const char *b(bool v) { return v ? "true" : "false"; }

static void st(const char *tag, const char *extra) {
  t("%s%s %s %s %s %s", tag, extra, cnet_socket_ready_state(c),
    b(cnet_socket_pending(c)), b(cnet_socket_connecting(c)),
    b(cnet_socket_destroyed(c)));
}

static void on_tick(void *arg) {
  (void)arg;
  st("next tick", "");
}
static void on_error(const cnet_event *ev, void *arg) {
  (void)arg;
  char extra[64];
  snprintf(extra, sizeof extra, " %s", cnet_err_name(ev->error->code));
  st("error", extra);
}
static void on_close(const cnet_event *ev, void *arg) {
  (void)arg;
  st("close", ev->had_error ? " true" : " false");
}

static void probe_closed(void *o, const cnet_error *err, void *arg) {
  (void)o; (void)err; (void)arg;
  cnet_connect_options opts = {.port = port, .host = "127.0.0.1"};
  cnet_connect(cnet_default_loop(), &opts, NULL, NULL, &c);
  st("after connect()", "");
  cnet_next_tick(cnet_default_loop(), on_tick, NULL);
  cnet_on(c, CNET_EV_ERROR, on_error, NULL);
  cnet_on(c, CNET_EV_CLOSE, on_close, NULL);
}

static void on_listening(const cnet_event *ev, void *arg) {
  (void)ev; (void)arg;
  cnet_address a;
  cnet_server_address(probe, &a);
  port = a.port;
  cnet_server_close(probe, probe_closed, NULL);
}

int main(void) {
  trace_init();
  cnet_loop *loop = cnet_default_loop();
  cnet_create_server(loop, NULL, NULL, NULL, &probe);
  cnet_server_listen(probe, 0, "127.0.0.1", 0);
  cnet_once(probe, CNET_EV_LISTENING, on_listening, NULL);
  cnet_loop_run(loop, CNET_RUN_DEFAULT);
  cnet_server_free(probe);
  return cnet_loop_close(loop) == 0 ? 0 : 1;
}
