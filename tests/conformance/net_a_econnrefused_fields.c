/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* Twin of net_a_econnrefused_fields.js. */
#include <cnet.h>
#include <stdio.h>
#include "trace.h"

static cnet_server *probe;
static int port;

static const char *b(bool v) { return v ? "true" : "false"; }

static void unexpected(const cnet_event *ev, void *arg) {
  (void)ev; (void)arg;
  t("unexpected connect");
}
static void on_error(const cnet_event *ev, void *arg) {
  (void)arg;
  const cnet_error *e = ev->error;
  t("error code %s", cnet_err_name(e->code));
  t("error errno %d", e->code);
  t("error syscall %s", e->syscall);
  t("error address %s", e->address);
  t("error port %d %s", e->port, b(e->port == port));
  t("error message %s", e->message);
}
static void on_close(const cnet_event *ev, void *arg) {
  (void)arg;
  t("close %s", b(ev->had_error));
}

static void probe_closed(void *o, const cnet_error *err, void *arg) {
  (void)o; (void)err; (void)arg;
  cnet_connect_options opts = {.port = port, .host = "127.0.0.1"};
  cnet_socket *c;
  int r = cnet_connect(cnet_default_loop(), &opts, NULL, NULL, &c);
  if (r) {
    t("connect returned %s", cnet_err_name(r));
    return;
  }
  cnet_on(c, CNET_EV_CONNECT, unexpected, NULL);
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
