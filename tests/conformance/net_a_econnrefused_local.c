/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* Twin of net_a_econnrefused_local.js. */
#include <cnet.h>
#include <stdio.h>
#include <string.h>
#include "trace.h"

static cnet_server *a, *b;
static int target, local;

static const char *yn(bool v) { return v ? "true" : "false"; }

static void on_error(const cnet_event *ev, void *arg) {
  (void)arg;
  const cnet_error *e = ev->error;
  t("error %s %s %s %s", cnet_err_name(e->code), e->syscall, e->address,
    yn(e->port == target));
  t("message %s", e->message);
  char want[128];
  snprintf(want, sizeof want, "connect ECONNREFUSED 127.0.0.1:%d - Local (127.0.0.1:%d)",
           target, local);
  t("message has both ports %s", yn(strcmp(e->message, want) == 0));
}
static void on_close(const cnet_event *ev, void *arg) {
  (void)arg;
  t("close %s", yn(ev->had_error));
}
static void b_closed(void *o, const cnet_error *e, void *arg) {
  (void)o; (void)e; (void)arg;
  cnet_connect_options o2 = {.port = target, .host = "127.0.0.1",
                             .local_address = "127.0.0.1", .local_port = local};
  cnet_socket *c;
  int r = cnet_connect(cnet_default_loop(), &o2, NULL, NULL, &c);
  if (r) {
    t("connect returned %s", cnet_err_name(r));
    return;
  }
  cnet_on(c, CNET_EV_ERROR, on_error, NULL);
  cnet_on(c, CNET_EV_CLOSE, on_close, NULL);
}
static void a_closed(void *o, const cnet_error *e, void *arg) {
  (void)o; (void)e; (void)arg;
  cnet_server_close(b, b_closed, NULL);
}
static void b_listening(const cnet_event *ev, void *arg) {
  (void)ev; (void)arg;
  cnet_address x;
  cnet_server_address(a, &x);
  target = x.port;
  cnet_server_address(b, &x);
  local = x.port;
  cnet_server_close(a, a_closed, NULL);
}
static void a_listening(const cnet_event *ev, void *arg) {
  (void)ev; (void)arg;
  cnet_server_listen(b, 0, "127.0.0.1", 0);
  cnet_once(b, CNET_EV_LISTENING, b_listening, NULL);
}

int main(void) {
  trace_init();
  cnet_loop *loop = cnet_default_loop();
  cnet_create_server(loop, NULL, NULL, NULL, &a);
  cnet_create_server(loop, NULL, NULL, NULL, &b);
  cnet_server_listen(a, 0, "127.0.0.1", 0);
  cnet_once(a, CNET_EV_LISTENING, a_listening, NULL);
  cnet_loop_run(loop, CNET_RUN_DEFAULT);
  cnet_server_free(a);
  cnet_server_free(b);
  return cnet_loop_close(loop) == 0 ? 0 : 1;
}
