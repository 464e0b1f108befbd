/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* Twin of net_a_connect_port_zero.js. cnet_error.port is 0 when the error
 * has none (Node: undefined). */
#include <cnet.h>
#include <stdio.h>
#include "trace.h"

static void on_error(const cnet_event *ev, void *arg) {
  (void)arg;
  const cnet_error *e = ev->error;
  if (e->port == 0)
    t("error %s %s %s no port", cnet_err_name(e->code), e->syscall, e->address);
  else
    t("error %s %s %s %d", cnet_err_name(e->code), e->syscall, e->address, e->port);
  t("message %s", e->message);
}
static void on_close(const cnet_event *ev, void *arg) {
  (void)arg;
  t("close %s", ev->had_error ? "true" : "false");
}

int main(void) {
  trace_init();
  cnet_loop *loop = cnet_default_loop();
  cnet_socket *c;
  int r = cnet_connect_port(loop, 0, "127.0.0.1", NULL, NULL, &c);
  if (r) {
    t("connect returned %s", cnet_err_name(r));
  } else {
    cnet_on(c, CNET_EV_ERROR, on_error, NULL);
    cnet_on(c, CNET_EV_CLOSE, on_close, NULL);
  }
  cnet_loop_run(loop, CNET_RUN_DEFAULT);
  return cnet_loop_close(loop) == 0 ? 0 : 1;
}
