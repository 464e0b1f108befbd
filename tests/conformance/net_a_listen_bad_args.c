/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* Twin of net_a_listen_bad_args.js. */
#include <cnet.h>
#include <stdio.h>
#include "trace.h"

static cnet_server *server;

static const char *b(bool v) { return v ? "true" : "false"; }

static void report(const char *name, int r) {
  if (r == 0) t("%s no throw", name);
  else t("%s %s %s", name, cnet_err_name(r), b(cnet_server_listening(server)));
}
static void on_error(const cnet_event *ev, void *arg) {
  (void)arg;
  t("error %s", cnet_err_name(ev->error->code));
}
static void closed(void *o, const cnet_error *e, void *arg) {
  (void)o; (void)e; (void)arg;
  t("closed");
}
static void on_listening(const cnet_event *ev, void *arg) {
  (void)ev; (void)arg;
  cnet_address a;
  int r = cnet_server_address(server, &a);
  t("listening %s %s", b(cnet_server_listening(server)), b(r == 0 && a.port > 0));
  cnet_server_close(server, closed, NULL);
}

int main(void) {
  trace_init();
  cnet_loop *loop = cnet_default_loop();
  cnet_create_server(loop, NULL, NULL, NULL, &server);
  cnet_on(server, CNET_EV_ERROR, on_error, NULL);
  report("port -1", cnet_server_listen(server, -1, NULL, 0));
  report("port 65536", cnet_server_listen(server, 65536, NULL, 0));
  report("port -1 with host", cnet_server_listen(server, -1, "127.0.0.1", 0));
  report("options port 65536", cnet_server_listen_options(
                                   server, &(cnet_listen_options){.port = 65536}));
  report("empty path", cnet_server_listen_path(server, ""));
  cnet_server_listen(server, 0, "127.0.0.1", 0);
  cnet_once(server, CNET_EV_LISTENING, on_listening, NULL);
  cnet_loop_run(loop, CNET_RUN_DEFAULT);
  cnet_server_free(server);
  return cnet_loop_close(loop) == 0 ? 0 : 1;
}
