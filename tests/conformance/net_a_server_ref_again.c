/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* Twin of net_a_server_ref_again.js. */
#include <cnet.h>
#include <stdio.h>
#include "trace.h"

static cnet_server *server;
static cnet_timer tm;

static void closed(void *o, const cnet_error *e, void *arg) {
  (void)o; (void)e; (void)arg;
  t("closed");
}
static void on_timer(cnet_timer *timer, void *arg) {
  (void)timer; (void)arg;
  t("timer");
  cnet_server_close(server, closed, NULL);
}
static void on_listening(const cnet_event *ev, void *arg) {
  (void)ev; (void)arg;
  t("listening");
  cnet_timer_init(cnet_default_loop(), &tm);
  cnet_set_timeout(&tm, on_timer, NULL, 20);
  cnet_timer_unref(&tm);
}

int main(void) {
  trace_init();
  cnet_loop *loop = cnet_default_loop();
  cnet_create_server(loop, NULL, NULL, NULL, &server);
  cnet_server_listen(server, 0, "127.0.0.1", 0);
  cnet_once(server, CNET_EV_LISTENING, on_listening, NULL);
  cnet_server_unref(server);
  cnet_server_ref(server);
  cnet_loop_run(loop, CNET_RUN_DEFAULT);
  t("exit %s", cnet_server_listening(server) ? "true" : "false");
  cnet_server_free(server);
  return cnet_loop_close(loop) == 0 ? 0 : 1;
}
