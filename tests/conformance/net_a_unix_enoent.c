/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* Twin of net_a_unix_enoent.js. */
#include <cnet.h>
#include <stdio.h>
#include "trace.h"

static const char *b(bool v) { return v ? "true" : "false"; }

static void unexpected(const cnet_event *ev, void *arg) {
  (void)ev; (void)arg;
  t("unexpected connect");
}
static void on_error(const cnet_event *ev, void *arg) {
  (void)arg;
  const cnet_error *e = ev->error;
  cnet_socket *c = ev->target;
  t("error code %s", cnet_err_name(e->code));
  t("error errno %d", e->code);
  t("error syscall %s", e->syscall);
  t("error address %s", e->address);
  if (e->port) t("error port %d", e->port);
  else t("error port none");
  t("error message %s", e->message);
  t("state %s %s %s", cnet_socket_ready_state(c), b(cnet_socket_connecting(c)),
    b(cnet_socket_destroyed(c)));
}
static void on_close(const cnet_event *ev, void *arg) {
  (void)arg;
  t("close %s", b(ev->had_error));
}

int main(void) {
  trace_init();
  cnet_loop *loop = cnet_default_loop();
  cnet_socket *c;
  cnet_connect_options o = {.path = "missing.sock"};
  int r = cnet_connect(loop, &o, NULL, NULL, &c);
  if (r) {
    t("connect returned %s", cnet_err_name(r));
  } else {
    t("after connect() %s %s", cnet_socket_ready_state(c), b(cnet_socket_connecting(c)));
    cnet_on(c, CNET_EV_CONNECT, unexpected, NULL);
    cnet_on(c, CNET_EV_ERROR, on_error, NULL);
    cnet_on(c, CNET_EV_CLOSE, on_close, NULL);
  }
  cnet_loop_run(loop, CNET_RUN_DEFAULT);
  return cnet_loop_close(loop) == 0 ? 0 : 1;
}
