/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* Twin of net_a_server_unref.js. After the loop has ended by itself, the
 * server is freed and the loop run once more to let it close. */
#include <cnet.h>
#include <stdio.h>
#include "trace.h"

static cnet_server *server;

static const char *b(bool v) { return v ? "true" : "false"; }

static void on_listening(const cnet_event *ev, void *arg) {
  (void)ev; (void)arg;
  t("listening %s", b(cnet_server_listening(server)));
}
static void on_timer(cnet_timer *tm, void *arg) {
  (void)tm; (void)arg;
  t("timer %s", b(cnet_server_listening(server)));
}

int main(void) {
  trace_init();
  cnet_loop *loop = cnet_default_loop();
  cnet_create_server(loop, NULL, NULL, NULL, &server);
  cnet_server_listen(server, 0, "127.0.0.1", 0);
  cnet_once(server, CNET_EV_LISTENING, on_listening, NULL);
  cnet_server_unref(server);
  cnet_timer tm;
  cnet_timer_init(loop, &tm);
  cnet_set_timeout(&tm, on_timer, NULL, 20);
  cnet_loop_run(loop, CNET_RUN_DEFAULT);
  t("exit %s", b(cnet_server_listening(server)));
  cnet_server_free(server);
  cnet_loop_run(loop, CNET_RUN_DEFAULT);
  return cnet_loop_close(loop) == 0 ? 0 : 1;
}
