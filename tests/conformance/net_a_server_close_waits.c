/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* Twin of net_a_server_close_waits.js. */
#include <cnet.h>
#include <ctype.h>
#include <stdio.h>
#include "trace.h"

static cnet_server *server;
static cnet_socket *clients[2];
static int nclients, accepted;

static void close_while_connected(void);

static void s_data(const cnet_event *ev, void *arg) {
  int id = (int)(intptr_t)arg;
  t("S data %d %.*s", id, (int)ev->len, ev->data);
  char up[64];
  size_t n = ev->len < sizeof up ? ev->len : sizeof up;
  for (size_t i = 0; i < n; i++) up[i] = (char)toupper((unsigned char)ev->data[i]);
  cnet_socket_write(ev->target, up, n, NULL, NULL);
}
static void s_end(const cnet_event *ev, void *arg) {
  (void)arg;
  cnet_socket_end(ev->target, NULL, 0, NULL, NULL);
}
static void s_close(const cnet_event *ev, void *arg) {
  (void)ev;
  t("S close %d", (int)(intptr_t)arg);
}
static void on_server_close(const cnet_event *ev, void *arg) {
  (void)ev; (void)arg;
  t("server close event");
}
static void close_cb(void *o, const cnet_error *e, void *arg) {
  (void)o; (void)e; (void)arg;
  t("close cb");
}

static void c_data(const cnet_event *ev, void *arg) {
  (void)arg;
  t("C data %.*s", (int)ev->len, ev->data);
  cnet_socket_end(clients[1], NULL, 0, NULL, NULL);
}
static cnet_socket *connect_client(void) {
  cnet_address a;
  cnet_server_address(server, &a);
  cnet_connect_options o = {.port = a.port, .host = "127.0.0.1"};
  cnet_socket *c;
  cnet_connect(cnet_default_loop(), &o, NULL, NULL, &c);
  cnet_socket_set_encoding(c, "utf8");
  cnet_on(c, CNET_EV_DATA, c_data, NULL);
  return c;
}

static void on_connection(const cnet_event *ev, void *arg) {
  (void)arg;
  cnet_socket *s = ev->object;
  intptr_t id = ++accepted;
  t("connection %d", (int)id);
  cnet_socket_set_encoding(s, "utf8");
  cnet_on(s, CNET_EV_DATA, s_data, (void *)id);
  cnet_on(s, CNET_EV_END, s_end, NULL);
  cnet_on(s, CNET_EV_CLOSE, s_close, (void *)id);
  if (id == 1) clients[nclients++] = connect_client();
  else close_while_connected();
}

static void late_error(const cnet_event *ev, void *arg) {
  (void)arg;
  t("late client %s", cnet_err_name(ev->error->code));
}
static void late_close(const cnet_event *ev, void *arg) {
  (void)ev; (void)arg;
  cnet_socket_write(clients[0], "still here", 10, NULL, NULL);
}
static void c2_close(const cnet_event *ev, void *arg) {
  (void)ev; (void)arg;
  t("C2 close");
  cnet_socket_end(clients[0], NULL, 0, NULL, NULL);
}
static void c1_close(const cnet_event *ev, void *arg) {
  (void)ev; (void)arg;
  t("C1 close");
}
static void close_while_connected(void) {
  cnet_address a;
  cnet_server_address(server, &a);
  cnet_server_close(server, close_cb, NULL);
  t("listening %s", cnet_server_listening(server) ? "true" : "false");
  cnet_connect_options o = {.port = a.port, .host = "127.0.0.1"};
  cnet_socket *late;
  cnet_connect(cnet_default_loop(), &o, NULL, NULL, &late);
  cnet_on(late, CNET_EV_ERROR, late_error, NULL);
  cnet_on(late, CNET_EV_CLOSE, late_close, NULL);
  cnet_on(clients[1], CNET_EV_CLOSE, c2_close, NULL);
  cnet_on(clients[0], CNET_EV_CLOSE, c1_close, NULL);
}

static void on_listening(const cnet_event *ev, void *arg) {
  (void)ev; (void)arg;
  clients[nclients++] = connect_client();
}

int main(void) {
  trace_init();
  cnet_loop *loop = cnet_default_loop();
  cnet_create_server(loop, NULL, on_connection, NULL, &server);
  cnet_on(server, CNET_EV_CLOSE, on_server_close, NULL);
  cnet_server_listen(server, 0, "127.0.0.1", 0);
  cnet_once(server, CNET_EV_LISTENING, on_listening, NULL);
  cnet_loop_run(loop, CNET_RUN_DEFAULT);
  cnet_server_free(server);
  return cnet_loop_close(loop) == 0 ? 0 : 1;
}
