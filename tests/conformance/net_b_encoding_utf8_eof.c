/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* Twin of net_b_encoding_utf8_eof.js. */
#include <cnet.h>
#include <stdio.h>
#include "trace.h"

static cnet_server *server;

static const char *b(bool v) { return v ? "true" : "false"; }

static void s_close(const cnet_event *ev, void *arg) {
  (void)ev; (void)arg;
  cnet_server_close(server, NULL, NULL);
}
static void on_connection(const cnet_event *ev, void *arg) {
  (void)arg;
  cnet_socket_end(ev->object, "\x61\xe2\x82", 3, NULL, NULL);
  cnet_on(ev->object, CNET_EV_CLOSE, s_close, NULL);
}

static void c_data(const cnet_event *ev, void *arg) {
  (void)arg;
  char hex[64] = "";
  for (size_t i = 0; i < ev->len && i < 31; i++)
    snprintf(hex + 2 * i, 3, "%02x", (unsigned char)ev->data[i]);
  t("C data \"%.*s\" %s", (int)ev->len, ev->data, hex);
}
static void c_end(const cnet_event *ev, void *arg) {
  (void)arg;
  t("C end %llu", (unsigned long long)cnet_socket_bytes_read(ev->target));
}
static void c_close(const cnet_event *ev, void *arg) { (void)arg; t("C close %s", b(ev->had_error)); }

static void listen_cb(const cnet_event *ev, void *arg) {
  (void)ev; (void)arg;
  cnet_address a;
  cnet_server_address(server, &a);
  cnet_socket *c;
  cnet_connect_options o = {.port = a.port, .host = "127.0.0.1"};
  cnet_connect(cnet_default_loop(), &o, NULL, NULL, &c);
  cnet_socket_set_encoding(c, "utf8");
  cnet_on(c, CNET_EV_DATA, c_data, NULL);
  cnet_on(c, CNET_EV_END, c_end, NULL);
  cnet_on(c, CNET_EV_CLOSE, c_close, NULL);
}

int main(void) {
  trace_init();
  cnet_loop *loop = cnet_default_loop();
  cnet_create_server(loop, NULL, on_connection, NULL, &server);
  cnet_server_listen(server, 0, "127.0.0.1", 0);
  cnet_once(server, CNET_EV_LISTENING, listen_cb, NULL);
  cnet_loop_run(loop, CNET_RUN_DEFAULT);
  cnet_server_free(server);
  return cnet_loop_close(loop) == 0 ? 0 : 1;
}
