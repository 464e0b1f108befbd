/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* Twin of net_a_unix_address_after_close.js. */
#include <cnet.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>
#include "trace.h"

static cnet_server *server;

static const char *b(bool v) { return v ? "true" : "false"; }
static bool exists(const char *p) { return access(p, F_OK) == 0; }
static bool is_sock(const char *p) {
  struct stat st;
  return stat(p, &st) == 0 && S_ISSOCK(st.st_mode);
}
/* JSON.stringify(server.address()): null, or the path as a string. */
static const char *addr_json(char *buf, size_t n) {
  cnet_address a;
  if (cnet_server_address(server, &a) != 0) return "null";
  snprintf(buf, n, "\"%s\"", a.address);
  return buf;
}

static void close_cb(void *o, const cnet_error *e, void *arg) {
  (void)o; (void)e; (void)arg;
  char buf[128];
  t("close cb %s %s", addr_json(buf, sizeof buf), b(exists("srv.sock")));
}
static void on_listening(const cnet_event *ev, void *arg) {
  (void)ev; (void)arg;
  char buf[128];
  t("listening %s %s %s", addr_json(buf, sizeof buf),
    b(cnet_server_listening(server)), b(is_sock("srv.sock")));
  cnet_server_close(server, close_cb, NULL);
  t("after close() %s %s", b(cnet_server_listening(server)), b(exists("srv.sock")));
}

int main(void) {
  trace_init();
  cnet_loop *loop = cnet_default_loop();
  cnet_create_server(loop, NULL, NULL, NULL, &server);
  char buf[128];
  t("before %s %s", addr_json(buf, sizeof buf), b(is_sock("srv.sock")));
  int r = cnet_server_listen_path(server, "srv.sock");
  if (r) t("listen returned %s", cnet_err_name(r));
  cnet_once(server, CNET_EV_LISTENING, on_listening, NULL);
  cnet_loop_run(loop, CNET_RUN_DEFAULT);
  cnet_server_free(server);
  return cnet_loop_close(loop) == 0 ? 0 : 1;
}
