/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* Twin of net_a_listen_twice.js. */
#include <cnet.h>
#include <stdio.h>
#include "trace.h"

static cnet_server *server;
static cnet_immediate im;
static int listenings;
static int port;

static const char *b(bool v) { return v ? "true" : "false"; }

static int cur_port(void) {
  cnet_address a;
  return cnet_server_address(server, &a) == 0 ? a.port : -1;
}

static void on_listening(const cnet_event *ev, void *arg) {
  (void)ev; (void)arg;
  t("listening %d", ++listenings);
}
static void on_close(const cnet_event *ev, void *arg) {
  (void)ev; (void)arg;
  t("close");
}

static void later(cnet_immediate *i, void *arg) {
  (void)i; (void)arg;
  t("immediate %d %s", listenings, b(cur_port() == port));
  cnet_server_close(server, NULL, NULL);
}

static void listen_cb(const cnet_event *ev, void *arg) {
  (void)ev; (void)arg;
  port = cur_port();
  int r = cnet_server_listen(server, 0, "127.0.0.1", 0);
  if (r == 0) t("no throw");
  else t("throw %s %s", cnet_err_name(r), cnet_strerror(r));
  t("still %s %s", b(cnet_server_listening(server)), b(cur_port() == port));
  cnet_set_immediate(cnet_default_loop(), &im, later, NULL);
}

int main(void) {
  trace_init();
  cnet_loop *loop = cnet_default_loop();
  cnet_create_server(loop, NULL, NULL, NULL, &server);
  cnet_on(server, CNET_EV_LISTENING, on_listening, NULL);
  cnet_on(server, CNET_EV_CLOSE, on_close, NULL);
  cnet_server_listen(server, 0, "127.0.0.1", 0);
  cnet_once(server, CNET_EV_LISTENING, listen_cb, NULL);
  cnet_loop_run(loop, CNET_RUN_DEFAULT);
  cnet_server_free(server);
  return cnet_loop_close(loop) == 0 ? 0 : 1;
}
