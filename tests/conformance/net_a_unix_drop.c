/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* Twin of net_a_unix_drop.js. Node's 'drop' without an argument is a
 * cnet_event with none of the address fields set (NULL, 0). */
#include <cnet.h>
#include <stdio.h>
#include <string.h>
#include "trace.h"

static cnet_server *server;
static char events[128];

static void push(const char *e) {
  if (events[0]) strcat(events, ",");
  strcat(events, e);
}
static const char *text(const char *s) { return s ? s : "undefined"; }
static const char *family(int f) {
  return f == 6 ? "IPv6" : f == 4 ? "IPv4" : "undefined";
}
/* Ports print as numbers; 0 is no port. */
static const char *port(char *buf, size_t n, int p) {
  if (!p) return "undefined";
  snprintf(buf, n, "%d", p);
  return buf;
}

static void server_closed(void *o, const cnet_error *e, void *arg) {
  (void)o; (void)e; (void)arg;
  t("server closed");
}
static void on_connection(const cnet_event *ev, void *arg) {
  (void)ev; (void)arg;
  t("connection");
}
static void on_drop(const cnet_event *ev, void *arg) {
  (void)arg;
  char buf[16];
  t("drop %s", ev->address || ev->local_address ? "data" : "no data");
  t("drop remote %s %s %s", text(ev->address), port(buf, sizeof buf, ev->port),
    family(ev->family));
  t("drop local %s %s %s", text(ev->local_address),
    port(buf, sizeof buf, ev->local_port), family(ev->local_family));
}

static void c_connect(const cnet_event *ev, void *arg) { (void)ev; (void)arg; push("connect"); }
static void c_end(const cnet_event *ev, void *arg) { (void)ev; (void)arg; push("end"); }
static void c_error(const cnet_event *ev, void *arg) {
  (void)arg;
  char buf[64];
  snprintf(buf, sizeof buf, "error %s", cnet_err_name(ev->error->code));
  push(buf);
}
static void c_close(const cnet_event *ev, void *arg) {
  (void)arg;
  push(ev->had_error ? "close true" : "close false");
  t("C %s", events);
  cnet_server_close(server, server_closed, NULL);
}
static void on_listening(const cnet_event *ev, void *arg) {
  (void)ev; (void)arg;
  cnet_connect_options o = {.path = "drop.sock"};
  cnet_socket *c;
  cnet_connect(cnet_default_loop(), &o, NULL, NULL, &c);
  cnet_on(c, CNET_EV_CONNECT, c_connect, NULL);
  cnet_on(c, CNET_EV_END, c_end, NULL);
  cnet_on(c, CNET_EV_ERROR, c_error, NULL);
  cnet_on(c, CNET_EV_CLOSE, c_close, NULL);
  cnet_socket_resume(c);
}

int main(void) {
  trace_init();
  cnet_loop *loop = cnet_default_loop();
  cnet_create_server(loop, NULL, on_connection, NULL, &server);
  cnet_server_set_max_connections(server, -1);
  cnet_on(server, CNET_EV_DROP, on_drop, NULL);
  cnet_server_listen_path(server, "drop.sock");
  cnet_once(server, CNET_EV_LISTENING, on_listening, NULL);
  cnet_loop_run(loop, CNET_RUN_DEFAULT);
  cnet_server_free(server);
  return cnet_loop_close(loop) == 0 ? 0 : 1;
}
