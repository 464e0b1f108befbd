/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* Twin of net_attempt_per_connect.js. */
#include <cnet.h>
#include <stdio.h>
#include "trace.h"

static cnet_server *server, *probe;
static int open_port, refused_port;

static void on_lookup(const cnet_event *ev, void *arg) {
  (void)arg;
  t("lookup null %s %d %s", ev->address, ev->family, ev->host);
}
static void on_attempt(const cnet_event *ev, void *arg) {
  (void)arg;
  t("attempt %s %d %d", ev->address, ev->port, ev->family);
}
static void on_attempt_failed(const cnet_event *ev, void *arg) {
  (void)arg;
  t("attempt failed %s %d %d %s", ev->address, ev->port, ev->family,
    cnet_err_name(cnet_event_error(ev)->code));
}
static void on_connect(void *c, const cnet_error *err, void *arg) {
  (void)err, (void)arg;
  t("connect");
  cnet_socket_destroy(c, NULL);
}
static void on_error(const cnet_event *ev, void *arg) {
  (void)arg;
  t("error %s", cnet_err_name(cnet_event_error(ev)->code));
}
static void on_close(const cnet_event *ev, void *arg) {
  t("close %s", ev->had_error ? "true" : "false");
  ((void (*)(void))arg)();
}

static void run(const char *label, cnet_connect_options o, void (*done)(void)) {
  t("%s", label);
  cnet_socket *c;
  o.host = "localhost";
  if (cnet_connect(cnet_default_loop(), &o, on_connect, NULL, &c) != 0) return;
  cnet_on(c, CNET_EV_LOOKUP, on_lookup, NULL);
  cnet_on(c, CNET_EV_CONNECTION_ATTEMPT, on_attempt, NULL);
  cnet_on(c, CNET_EV_CONNECTION_ATTEMPT_FAILED, on_attempt_failed, NULL);
  cnet_on(c, CNET_EV_ERROR, on_error, NULL);
  cnet_on(c, CNET_EV_CLOSE, on_close, (void *)done);
}

static void all_done(void) {
  t("done");
  cnet_server_close(server, NULL, NULL);
}
static void second(void) {
  cnet_set_default_auto_select_family(false);
  run("on for this connect",
      (cnet_connect_options){.port = open_port, .has_auto_select_family = true,
                             .auto_select_family = true,
                             .auto_select_family_attempt_timeout = 5},
      all_done);
}

static void probe_closed(void *o, const cnet_error *err, void *arg) {
  (void)o, (void)err, (void)arg;
  run("off for this connect",
      (cnet_connect_options){.port = refused_port, .has_auto_select_family = true,
                             .auto_select_family = false},
      second);
}

static int port_of(cnet_server *s) {
  cnet_address a;
  cnet_server_address(s, &a);
  return a.port;
}

static void probe_listening(const cnet_event *ev, void *arg) {
  (void)ev, (void)arg;
  open_port = port_of(server);
  refused_port = port_of(probe);
  cnet_server_close(probe, probe_closed, NULL);
}

static void server_listening(const cnet_event *ev, void *arg) {
  (void)ev, (void)arg;
  cnet_once(probe, CNET_EV_LISTENING, probe_listening, NULL);
  cnet_server_listen(probe, 0, "127.0.0.1", 0);
}

static void on_connection(const cnet_event *ev, void *arg) {
  (void)arg;
  cnet_socket_destroy(cnet_event_socket(ev), NULL);
}

int main(void) {
  trace_init();
  cnet_loop *loop = cnet_default_loop();
  if (cnet_create_server(loop, NULL, on_connection, NULL, &server) != 0 ||
      cnet_create_server(loop, NULL, NULL, NULL, &probe) != 0)
    return 1;
  cnet_once(server, CNET_EV_LISTENING, server_listening, NULL);
  cnet_server_listen(server, 0, "127.0.0.1", 0);
  cnet_loop_run(loop, CNET_RUN_DEFAULT);
  cnet_server_free(probe);
  cnet_server_free(server);
  return cnet_loop_close(loop) == 0 ? 0 : 1;
}
