/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* Twin of net_a_close_twice.js. */
#include <cnet.h>
#include <stdio.h>
#include "trace.h"

static cnet_server *server;
static cnet_immediate im;
static int closes;

static const char *b(bool v) { return v ? "true" : "false"; }

static void on_close(const cnet_event *ev, void *arg) {
  (void)ev; (void)arg;
  t("close event %d", ++closes);
}

static void cb(void *o, const cnet_error *e, void *arg) {
  (void)o;
  const char *tag = arg;
  if (tag[2] == '2')
    t("%s %s %s", tag, e ? cnet_err_name(e->code) : "none", e ? e->message : "");
  else
    t("%s %s", tag, e ? cnet_err_name(e->code) : "none");
}

static void later(cnet_immediate *i, void *arg) {
  (void)i; (void)arg;
  t("immediate %d", closes);
  cnet_server_close(server, cb, "cb3");
}

static void listen_cb(const cnet_event *ev, void *arg) {
  (void)ev; (void)arg;
  cnet_server_close(server, cb, "cb1");
  cnet_server_close(server, cb, "cb2");
  t("after two closes %s", b(cnet_server_listening(server)));
  cnet_set_immediate(cnet_default_loop(), &im, later, NULL);
}

int main(void) {
  trace_init();
  cnet_loop *loop = cnet_default_loop();
  cnet_create_server(loop, NULL, NULL, NULL, &server);
  cnet_on(server, CNET_EV_CLOSE, on_close, NULL);
  cnet_server_listen(server, 0, "127.0.0.1", 0);
  cnet_once(server, CNET_EV_LISTENING, listen_cb, NULL);
  cnet_loop_run(loop, CNET_RUN_DEFAULT);
  cnet_server_free(server);
  return cnet_loop_close(loop) == 0 ? 0 : 1;
}
