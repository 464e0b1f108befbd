/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* Twin of net_attempt_refused.js. */
#include <cnet.h>
#include <stdio.h>
#include "trace.h"

static cnet_server *probe;
static int port;

static void on_tick(void *arg) { (void)arg; t("tick"); }
static void on_lookup(const cnet_event *ev, void *arg) { (void)ev; (void)arg; t("lookup"); }
static void on_attempt(const cnet_event *ev, void *arg) {
  (void)arg;
  t("attempt %s %d %d", ev->address, ev->port, ev->family);
}
static void on_attempt_failed(const cnet_event *ev, void *arg) {
  (void)arg;
  t("attempt failed %s %d %d %s %s", ev->address, ev->port, ev->family,
    cnet_err_name(ev->error->code), ev->error->message);
}
static void on_attempt_timeout(const cnet_event *ev, void *arg) {
  (void)arg;
  t("attempt timeout %s %d %d", ev->address, ev->port, ev->family);
}
static void unexpected(const cnet_event *ev, void *arg) { (void)ev; (void)arg; t("unexpected connect"); }
static void on_error(const cnet_event *ev, void *arg) {
  (void)arg;
  t("error %s %s", cnet_err_name(ev->error->code), ev->error->message);
}

static void run(const char *label, cnet_listener done);

static void all_done(const cnet_event *ev, void *arg) { (void)ev; (void)arg; t("done"); }
static void second(const cnet_event *ev, void *arg) {
  (void)ev; (void)arg;
  cnet_set_default_auto_select_family(false);
  run("autoSelectFamily false", all_done);
}

static void on_close(const cnet_event *ev, void *arg) {
  t("close %s", ev->had_error ? "true" : "false");
  ((cnet_listener)arg)(ev, NULL);
}

static void run(const char *label, cnet_listener done) {
  t("%s", label);
  cnet_socket *c;
  cnet_connect_options o = {.port = port, .host = "127.0.0.1"};
  if (cnet_connect(cnet_default_loop(), &o, NULL, NULL, &c) != 0) return;
  cnet_next_tick(cnet_default_loop(), on_tick, NULL);
  cnet_on(c, CNET_EV_LOOKUP, on_lookup, NULL);
  cnet_on(c, CNET_EV_CONNECTION_ATTEMPT, on_attempt, NULL);
  cnet_on(c, CNET_EV_CONNECTION_ATTEMPT_FAILED, on_attempt_failed, NULL);
  cnet_on(c, CNET_EV_CONNECTION_ATTEMPT_TIMEOUT, on_attempt_timeout, NULL);
  cnet_on(c, CNET_EV_CONNECT, unexpected, NULL);
  cnet_on(c, CNET_EV_ERROR, on_error, NULL);
  cnet_on(c, CNET_EV_CLOSE, on_close, (void *)done);
}

static void probe_closed(void *o, const cnet_error *err, void *arg) {
  (void)o; (void)err; (void)arg;
  run("default", second);
}

static void on_listening(const cnet_event *ev, void *arg) {
  (void)ev; (void)arg;
  cnet_address a;
  cnet_server_address(probe, &a);
  port = a.port;
  cnet_server_close(probe, probe_closed, NULL);
}

int main(void) {
  trace_init();
  cnet_loop *loop = cnet_default_loop();
  cnet_create_server(loop, NULL, NULL, NULL, &probe);
  cnet_server_listen(probe, 0, "127.0.0.1", 0);
  cnet_once(probe, CNET_EV_LISTENING, on_listening, NULL);
  cnet_loop_run(loop, CNET_RUN_DEFAULT);
  cnet_server_free(probe);
  return cnet_loop_close(loop) == 0 ? 0 : 1;
}
