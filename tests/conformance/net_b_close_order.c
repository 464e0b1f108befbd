/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* Twin of net_b_close_order.js. */
#include <cnet.h>
#include <stdio.h>
#include "trace.h"

static cnet_server *server;
static cnet_socket *a, *b;
static cnet_immediate im;
static int n;

static const char *bs(bool v) { return v ? "true" : "false"; }

static void tick(void *arg) { (void)arg; t("tick"); }
static void immediate(cnet_immediate *i, void *arg) { (void)i; (void)arg; t("immediate"); }
static void go(void *target, const cnet_error *err, void *arg) {
  (void)target; (void)err; (void)arg;
  if (++n < 2) return;
  cnet_socket_destroy(a, NULL);
  cnet_socket_destroy(b, NULL);
  t("destroyed");
  cnet_next_tick(cnet_default_loop(), tick, NULL);
  cnet_set_immediate(cnet_default_loop(), &im, immediate, NULL);
  cnet_server_close(server, NULL, NULL);
}
static void a_close(const cnet_event *ev, void *arg) { (void)arg; t("a close %s", bs(ev->had_error)); }
static void b_close(const cnet_event *ev, void *arg) { (void)arg; t("b close %s", bs(ev->had_error)); }

static void listen_cb(const cnet_event *ev, void *arg) {
  (void)ev; (void)arg;
  cnet_address addr;
  cnet_server_address(server, &addr);
  cnet_connect_options o = {.port = addr.port, .host = "127.0.0.1"};
  cnet_connect(cnet_default_loop(), &o, go, NULL, &a);
  cnet_connect(cnet_default_loop(), &o, go, NULL, &b);
  cnet_on(a, CNET_EV_CLOSE, a_close, NULL);
  cnet_on(b, CNET_EV_CLOSE, b_close, NULL);
}

int main(void) {
  trace_init();
  cnet_loop *loop = cnet_default_loop();
  cnet_create_server(loop, NULL, NULL, NULL, &server);
  cnet_server_listen(server, 0, "127.0.0.1", 0);
  cnet_once(server, CNET_EV_LISTENING, listen_cb, NULL);
  cnet_loop_run(loop, CNET_RUN_DEFAULT);
  cnet_server_free(server);
  return cnet_loop_close(loop) == 0 ? 0 : 1;
}
