/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* Twin of net_api_getters.js. */
#include <cnet.h>
#include <stdio.h>
#include <string.h>
#include "trace.h"

static cnet_server *srv;

static const char *yes(bool b) { return b ? "true" : "false"; }
static const char *or_null(const char *s) { return s ? s : "null"; }

static void server_closed(void *o, const cnet_error *err, void *arg) {
  (void)o, (void)err, (void)arg;
  t("server closed");
}

static void accepted_error(const cnet_event *ev, void *arg) {
  (void)arg;
  const cnet_error *e = cnet_event_error(ev);
  t("accepted error %s %s %s", e->code ? cnet_err_name(e->code) : "undefined",
    cnet_error_class(e->code), e->message);
}

static void accepted_close(const cnet_event *ev, void *arg) {
  (void)arg;
  const cnet_error *e = cnet_socket_errored(ev->target);
  t("accepted close %s errored %s", yes(ev->had_error), e ? e->message : "null");
  cnet_server_close(srv, server_closed, NULL);
}

static void on_connection(const cnet_event *ev, void *arg) {
  (void)arg;
  cnet_socket *c = cnet_event_socket(ev);
  t("accepted allowHalfOpen %s server %s", yes(cnet_socket_allow_half_open(c)),
    yes(cnet_socket_server(c) == srv));
  cnet_on(c, CNET_EV_ERROR, accepted_error, NULL);
  cnet_on(c, CNET_EV_CLOSE, accepted_close, NULL);
  cnet_error boom = {0};
  snprintf(boom.message, sizeof boom.message, "boom");
  cnet_socket_destroy(c, &boom);
}

static void client_error(const cnet_event *ev, void *arg) {
  (void)arg;
  t("client error %s", cnet_err_name(cnet_event_error(ev)->code));
}

static void client_close(const cnet_event *ev, void *arg) {
  (void)arg;
  const cnet_error *e = cnet_socket_errored(ev->target);
  t("client close errored %s", e ? e->message : "null");
}

static void on_listening(const cnet_event *ev, void *arg) {
  (void)ev, (void)arg;
  cnet_socket *s;
  if (cnet_socket_new(cnet_default_loop(), NULL, &s) != 0) return;
  t("client allowHalfOpen %s encoding %s server %s errored %s",
    yes(cnet_socket_allow_half_open(s)), or_null(cnet_socket_readable_encoding(s)),
    cnet_socket_server(s) ? "set" : "null",
    cnet_socket_errored(s) ? "set" : "null");
  cnet_socket_set_encoding(s, "binary");
  t("encoding %s", or_null(cnet_socket_readable_encoding(s)));
  cnet_socket_set_encoding(s, "UTF-8");
  t("encoding %s", or_null(cnet_socket_readable_encoding(s)));
  cnet_on(s, CNET_EV_ERROR, client_error, NULL);
  cnet_on(s, CNET_EV_CLOSE, client_close, NULL);
  cnet_address a;
  cnet_server_address(srv, &a);
  cnet_socket_connect_port(s, a.port, "127.0.0.1", NULL, NULL);
  cnet_socket_resume(s);
}

int main(void) {
  trace_init();
  cnet_loop *loop = cnet_default_loop();
  cnet_server_options o = {.allow_half_open = true};
  if (cnet_create_server(loop, &o, on_connection, NULL, &srv) != 0) return 1;
  cnet_once(srv, CNET_EV_LISTENING, on_listening, NULL);
  if (cnet_server_listen(srv, 0, "127.0.0.1", 0) != 0) return 1;
  cnet_loop_run(loop, CNET_RUN_DEFAULT);
  cnet_server_free(srv);
  cnet_loop_run(loop, CNET_RUN_DEFAULT);
  return cnet_loop_close(loop) == 0 ? 0 : 1;
}
