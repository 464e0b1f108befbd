/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* Twin of net_a_socket_connect_bad_port.js. */
#include <cnet.h>
#include <stdio.h>
#include "trace.h"

static const char *b(bool v) { return v ? "true" : "false"; }

static void st(const char *tag, cnet_socket *s) {
  t("%s %s %s %s %s", tag, cnet_socket_ready_state(s), b(cnet_socket_pending(s)),
    b(cnet_socket_connecting(s)), b(cnet_socket_destroyed(s)));
}
static void on_error(const cnet_event *ev, void *arg) {
  (void)arg;
  t("error %s", cnet_err_name(ev->error->code));
}
static void on_close(const cnet_event *ev, void *arg) {
  (void)arg;
  char tag[32];
  snprintf(tag, sizeof tag, "close %s", b(ev->had_error));
  st(tag, ev->target);
}

int main(void) {
  trace_init();
  cnet_loop *loop = cnet_default_loop();
  cnet_socket *s = NULL;
  cnet_socket_new(loop, NULL, &s);
  st("new", s);
  cnet_connect_options o = {.port = -1, .host = "127.0.0.1"};
  int r = cnet_socket_connect(s, &o, NULL, NULL);
  if (r == 0) t("no throw");
  else t("throw %s", cnet_err_name(r));
  st("after throw", s);
  cnet_on(s, CNET_EV_ERROR, on_error, NULL);
  cnet_on(s, CNET_EV_CLOSE, on_close, NULL);
  cnet_socket_destroy(s, NULL);
  st("after destroy", s);
  cnet_loop_run(loop, CNET_RUN_DEFAULT);
  return cnet_loop_close(loop) == 0 ? 0 : 1;
}
