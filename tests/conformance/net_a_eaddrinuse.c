/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* Twin of net_a_eaddrinuse.js. */
#include <cnet.h>
#include <stdio.h>
#include "trace.h"

static cnet_server *first, *second;
static cnet_immediate im;
static int port;

static const char *b(bool v) { return v ? "true" : "false"; }

static void unexpected(const cnet_event *ev, void *arg) {
  (void)ev; (void)arg;
  t("unexpected listening");
}
static void second_close(const cnet_event *ev, void *arg) {
  (void)ev; (void)arg;
  t("second close");
}
static void first_closed(void *o, const cnet_error *e, void *arg) {
  (void)o; (void)e; (void)arg;
  t("first closed");
}
static void later(cnet_immediate *i, void *arg) {
  (void)i; (void)arg;
  t("immediate");
  cnet_server_close(first, first_closed, NULL);
}

static void on_error(const cnet_event *ev, void *arg) {
  (void)arg;
  const cnet_error *e = ev->error;
  t("error code %s", cnet_err_name(e->code));
  t("error errno %d", e->code);
  t("error syscall %s", e->syscall);
  t("error address %s", e->address);
  t("error port %d %s", e->port, b(e->port == port));
  t("error message %s", e->message);
  cnet_address a;
  t("second %s %s", b(cnet_server_listening(second)),
    cnet_server_address(second, &a) == 0 ? a.address : "null");
  cnet_set_immediate(cnet_default_loop(), &im, later, NULL);
}

static void first_listening(const cnet_event *ev, void *arg) {
  (void)ev; (void)arg;
  cnet_address a;
  cnet_server_address(first, &a);
  port = a.port;
  cnet_create_server(cnet_default_loop(), NULL, NULL, NULL, &second);
  cnet_on(second, CNET_EV_LISTENING, unexpected, NULL);
  cnet_on(second, CNET_EV_CLOSE, second_close, NULL);
  cnet_on(second, CNET_EV_ERROR, on_error, NULL);
  int r = cnet_server_listen(second, port, "127.0.0.1", 0);
  if (r) t("listen returned %s", cnet_err_name(r));
  t("after listen() %s", b(cnet_server_listening(second)));
}

int main(void) {
  trace_init();
  cnet_loop *loop = cnet_default_loop();
  cnet_create_server(loop, NULL, NULL, NULL, &first);
  cnet_server_listen(first, 0, "127.0.0.1", 0);
  cnet_once(first, CNET_EV_LISTENING, first_listening, NULL);
  cnet_loop_run(loop, CNET_RUN_DEFAULT);
  cnet_server_free(first);
  cnet_server_free(second);
  return cnet_loop_close(loop) == 0 ? 0 : 1;
}
