/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* Twin of net_a_close_never_listened.js. */
#include <cnet.h>
#include <stdio.h>
#include "trace.h"

static cnet_server *server;

static const char *b(bool v) { return v ? "true" : "false"; }

static void on_close(const cnet_event *ev, void *arg) {
  (void)ev; (void)arg;
  t("close event %s", b(cnet_server_listening(server)));
}
static void cb(void *o, const cnet_error *e, void *arg) {
  (void)o; (void)arg;
  t("cb %s %s", cnet_err_name(e->code), e->message);
}
static void tick(void *arg) {
  (void)arg;
  t("tick");
}

int main(void) {
  trace_init();
  cnet_loop *loop = cnet_default_loop();
  cnet_create_server(loop, NULL, NULL, NULL, &server);
  cnet_on(server, CNET_EV_CLOSE, on_close, NULL);
  int r = cnet_server_close(server, cb, NULL);
  cnet_address a;
  t("after close() %s %s", b(cnet_server_listening(server)),
    cnet_server_address(server, &a) == 0 ? a.address : "null");
  if (r) t("close returned %s", cnet_err_name(r));
  cnet_next_tick(loop, tick, NULL);
  cnet_loop_run(loop, CNET_RUN_DEFAULT);
  cnet_server_free(server);
  return cnet_loop_close(loop) == 0 ? 0 : 1;
}
