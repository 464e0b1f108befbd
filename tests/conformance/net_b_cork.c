/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* Twin of net_b_cork.js. */
#include <cnet.h>
#include <stdio.h>
#include <string.h>
#include "trace.h"

static cnet_server *server;
static cnet_socket *client, *ssock;
static cnet_immediate im;
static int ready, done;
static const char *chunks[] = {"a", "bb", "ccc"};

static const char *b(bool v) { return v ? "true" : "false"; }
static size_t wl(void) { return cnet_socket_writable_length(client); }

static void write_cb(void *o, const cnet_error *err, void *arg) {
  (void)o;
  t("C write cb %s %s %zu", (const char *)arg, err ? cnet_err_name(err->code) : "null", wl());
  if (++done == 3) cnet_socket_resume(ssock);
}
static void tick(void *arg) { (void)arg; t("C tick while corked %zu", wl()); }
static void uncork(cnet_immediate *i, void *arg) {
  (void)i; (void)arg;
  t("C uncork %zu", wl());
  cnet_socket_uncork(client);
  t("C after uncork %zu", wl());
}
static void both(void) {
  if (++ready < 2) return;
  cnet_socket_cork(client);
  for (int i = 0; i < 3; i++) {
    bool r = cnet_socket_write(client, chunks[i], strlen(chunks[i]), write_cb, (void *)chunks[i]);
    t("C write %s %s %zu", chunks[i], b(r), wl());
  }
  cnet_next_tick(cnet_default_loop(), tick, NULL);
  cnet_set_immediate(cnet_default_loop(), &im, uncork, NULL);
}

static void s_data(const cnet_event *ev, void *arg) {
  (void)arg;
  t("S data \"%.*s\"", (int)ev->len, ev->data);
  cnet_socket_end(client, NULL, 0, NULL, NULL);
}
static void s_end(const cnet_event *ev, void *arg) { (void)ev; (void)arg; t("S end"); }
static void s_close(const cnet_event *ev, void *arg) {
  (void)ev; (void)arg;
  cnet_server_close(server, NULL, NULL);
}
static void on_connection(const cnet_event *ev, void *arg) {
  (void)arg;
  ssock = ev->object;
  cnet_on(ssock, CNET_EV_DATA, s_data, NULL);
  cnet_on(ssock, CNET_EV_END, s_end, NULL);
  cnet_on(ssock, CNET_EV_CLOSE, s_close, NULL);
  both();
}

static void c_connect(void *target, const cnet_error *err, void *arg) {
  (void)target; (void)err; (void)arg;
  both();
}
static void c_close(const cnet_event *ev, void *arg) { (void)arg; t("C close %s", b(ev->had_error)); }

static void listen_cb(const cnet_event *ev, void *arg) {
  (void)ev; (void)arg;
  cnet_address a;
  cnet_server_address(server, &a);
  cnet_connect_options o = {.port = a.port, .host = "127.0.0.1"};
  cnet_connect(cnet_default_loop(), &o, c_connect, NULL, &client);
  cnet_on(client, CNET_EV_CLOSE, c_close, NULL);
}

int main(void) {
  trace_init();
  cnet_loop *loop = cnet_default_loop();
  cnet_server_options so = {.pause_on_connect = true};
  cnet_create_server(loop, &so, on_connection, NULL, &server);
  cnet_server_listen(server, 0, "127.0.0.1", 0);
  cnet_once(server, CNET_EV_LISTENING, listen_cb, NULL);
  cnet_loop_run(loop, CNET_RUN_DEFAULT);
  cnet_server_free(server);
  return cnet_loop_close(loop) == 0 ? 0 : 1;
}
