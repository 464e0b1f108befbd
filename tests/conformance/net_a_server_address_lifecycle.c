/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* Twin of net_a_server_address_lifecycle.js. */
#include <cnet.h>
#include <stdio.h>
#include "trace.h"

static cnet_server *server;

static const char *b(bool v) { return v ? "true" : "false"; }

/* JSON.stringify(server.address()) for the null case, else the fields. */
static void show(const char *tag) {
  cnet_address a;
  if (cnet_server_address(server, &a) != 0)
    t("%s null %s", tag, b(cnet_server_listening(server)));
  else
    t("%s {\"address\":\"%s\",...} %s", tag, a.address,
      b(cnet_server_listening(server)));
}

static void close_cb(void *o, const cnet_error *err, void *arg) {
  (void)o; (void)err; (void)arg;
  show("close cb");
}

static void on_listening(const cnet_event *ev, void *arg) {
  (void)ev; (void)arg;
  cnet_address a;
  int r = cnet_server_address(server, &a);
  t("listening %s %s %s %s", r ? "?" : a.address, r ? "?" : a.family,
    b(r == 0 && a.port > 0), b(cnet_server_listening(server)));
  cnet_server_close(server, close_cb, NULL);
  show("after close()");
}

static void on_close(const cnet_event *ev, void *arg) {
  (void)ev; (void)arg;
  show("close");
}

int main(void) {
  trace_init();
  cnet_loop *loop = cnet_default_loop();
  cnet_create_server(loop, NULL, NULL, NULL, &server);
  show("before");
  cnet_on(server, CNET_EV_LISTENING, on_listening, NULL);
  cnet_on(server, CNET_EV_CLOSE, on_close, NULL);
  cnet_server_listen(server, 0, "127.0.0.1", 0);
  cnet_loop_run(loop, CNET_RUN_DEFAULT);
  cnet_server_free(server);
  return cnet_loop_close(loop) == 0 ? 0 : 1;
}
