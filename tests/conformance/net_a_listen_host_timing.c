/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* Twin of net_a_listen_host_timing.js. */
#include <cnet.h>
#include <stdio.h>
#include "trace.h"

static cnet_server *server;

static const char *b(bool v) { return v ? "true" : "false"; }

static void closed(void *o, const cnet_error *e, void *arg) {
  (void)o; (void)e; (void)arg;
  t("closed");
}
static void on_listening(const cnet_event *ev, void *arg) {
  (void)ev; (void)arg;
  t("listening %s", b(cnet_server_listening(server)));
  cnet_server_close(server, closed, NULL);
}
static void on_tick(void *arg) {
  (void)arg;
  cnet_address a;
  t("next tick %s %s", b(cnet_server_listening(server)),
    b(cnet_server_address(server, &a) == 0));
}

int main(void) {
  trace_init();
  cnet_loop *loop = cnet_default_loop();
  cnet_create_server(loop, NULL, NULL, NULL, &server);
  cnet_on(server, CNET_EV_LISTENING, on_listening, NULL);
  cnet_server_listen(server, 0, "127.0.0.1", 0);
  cnet_address a;
  t("after listen() %s %s", b(cnet_server_listening(server)),
    cnet_server_address(server, &a) == 0 ? "{...}" : "null");
  cnet_next_tick(loop, on_tick, NULL);
  cnet_loop_run(loop, CNET_RUN_DEFAULT);
  cnet_server_free(server);
  return cnet_loop_close(loop) == 0 ? 0 : 1;
}
