/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* Twin of net_a_unix_eaddrinuse.js. */
#include <cnet.h>
#include <stdio.h>
#include <unistd.h>
#include "trace.h"

static cnet_server *first, *second;

static const char *b(bool v) { return v ? "true" : "false"; }
static bool exists(const char *p) { return access(p, F_OK) == 0; }

static void unexpected(const cnet_event *ev, void *arg) {
  (void)ev; (void)arg;
  t("unexpected listening");
}
static void first_closed(void *o, const cnet_error *e, void *arg) {
  (void)o; (void)e; (void)arg;
  t("first closed %s", b(exists("busy.sock")));
}
static void on_error(const cnet_event *ev, void *arg) {
  (void)arg;
  const cnet_error *e = ev->error;
  t("error code %s", cnet_err_name(e->code));
  t("error errno %d", e->code);
  t("error syscall %s", e->syscall);
  t("error address %s", e->address);
  t("error message %s", e->message);
  t("second listening %s file %s", b(cnet_server_listening(second)),
    b(exists("busy.sock")));
  cnet_server_close(first, first_closed, NULL);
}
static void first_listening(const cnet_event *ev, void *arg) {
  (void)ev; (void)arg;
  cnet_create_server(cnet_default_loop(), NULL, NULL, NULL, &second);
  cnet_on(second, CNET_EV_LISTENING, unexpected, NULL);
  cnet_on(second, CNET_EV_ERROR, on_error, NULL);
  int r = cnet_server_listen_path(second, "busy.sock");
  if (r) t("listen returned %s", cnet_err_name(r));
}

int main(void) {
  trace_init();
  cnet_loop *loop = cnet_default_loop();
  cnet_create_server(loop, NULL, NULL, NULL, &first);
  cnet_server_listen_path(first, "busy.sock");
  cnet_once(first, CNET_EV_LISTENING, first_listening, NULL);
  cnet_loop_run(loop, CNET_RUN_DEFAULT);
  cnet_server_free(first);
  cnet_server_free(second);
  return cnet_loop_close(loop) == 0 ? 0 : 1;
}
