/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* Twin of net_api_writes.js. */
#include <cnet.h>
#include <stdio.h>
#include <string.h>
#include "trace.h"

static cnet_server *srv;
static char got[64];
static size_t got_len;

static void on_data(const cnet_event *ev, void *arg) {
  (void)arg;
  if (got_len + ev->len < sizeof got) {
    memcpy(got + got_len, ev->data, ev->len);
    got_len += ev->len;
  }
}

static void on_end(const cnet_event *ev, void *arg) {
  (void)arg;
  t("server got \"%.*s\"", (int)got_len, got);
  cnet_socket_end(ev->target, NULL, 0, NULL, NULL);
  cnet_server_close(srv, NULL, NULL);
}

static void on_connection(const cnet_event *ev, void *arg) {
  (void)arg;
  cnet_socket *c = cnet_event_socket(ev);
  t("accepted hwm %zu", cnet_stream_writable_high_water_mark(c));
  cnet_socket_set_encoding(c, "utf8");
  cnet_on(c, CNET_EV_DATA, on_data, NULL);
  cnet_on(c, CNET_EV_END, on_end, NULL);
}

static void end_cb(void *o, const cnet_error *err, void *arg) {
  (void)o, (void)err, (void)arg;
  t("end cb");
}

static void on_connect(void *s, const cnet_error *err, void *arg) {
  (void)err, (void)arg;
  t("connect");
  t("write %s", cnet_socket_printf(s, "%s=%d;", "n", 42) == 1 ? "true" : "false");
  t("end %s", cnet_socket_end_string(s, "21", "hex", end_cb, NULL) == 0 ? "true"
                                                                          : "false");
}

static void trace_event(const cnet_event *ev, void *arg) {
  (void)ev;
  t("%s", (const char *)arg);
}

static void on_listening(const cnet_event *ev, void *arg) {
  (void)ev, (void)arg;
  cnet_address a;
  cnet_server_address(srv, &a);
  cnet_socket *s;
  if (cnet_connect_port(cnet_default_loop(), a.port, "127.0.0.1", on_connect, NULL,
                        &s) != 0)
    return;
  cnet_on(s, CNET_EV_FINISH, trace_event, "finish");
  cnet_on(s, CNET_EV_CLOSE, trace_event, "close");
  cnet_socket_resume(s);
  cnet_socket *z;
  cnet_socket_options zo = {.has_high_water_mark = true};
  if (cnet_socket_new(cnet_default_loop(), &zo, &z) != 0) return;
  t("client hwm %zu", cnet_stream_writable_high_water_mark(z));
  cnet_socket_destroy(z, NULL);
}

int main(void) {
  trace_init();
  cnet_loop *loop = cnet_default_loop();
  cnet_server_options o = {.has_high_water_mark = true};
  if (cnet_create_server(loop, &o, on_connection, NULL, &srv) != 0) return 1;
  cnet_once(srv, CNET_EV_LISTENING, on_listening, NULL);
  if (cnet_server_listen(srv, 0, "127.0.0.1", 0) != 0) return 1;
  cnet_loop_run(loop, CNET_RUN_DEFAULT);
  cnet_server_free(srv);
  cnet_loop_run(loop, CNET_RUN_DEFAULT);
  return cnet_loop_close(loop) == 0 ? 0 : 1;
}
