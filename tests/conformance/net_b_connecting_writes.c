/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* Twin of net_b_connecting_writes.js. */
#include <cnet.h>
#include <stdio.h>
#include <string.h>
#include "trace.h"

static cnet_server *server;
static cnet_socket *c;
static char got[64];
static size_t got_len;
static int ids[3] = {0, 1, 2};

static const char *b(bool v) { return v ? "true" : "false"; }
static size_t wl(void) { return cnet_socket_writable_length(c); }
static size_t bs(void) { return cnet_socket_buffer_size(c); }
static unsigned long long bw(void) { return (unsigned long long)cnet_socket_bytes_written(c); }

static void s_data(const cnet_event *ev, void *arg) {
  (void)arg;
  if (got_len + ev->len <= sizeof got) {
    memcpy(got + got_len, ev->data, ev->len);
    got_len += ev->len;
  }
}
static void s_end(const cnet_event *ev, void *arg) {
  (void)ev; (void)arg;
  t("S end \"%.*s\"", (int)got_len, got);
}
static void s_close(const cnet_event *ev, void *arg) {
  (void)ev; (void)arg;
  cnet_server_close(server, NULL, NULL);
}
static void on_connection(const cnet_event *ev, void *arg) {
  (void)arg;
  cnet_on(ev->object, CNET_EV_DATA, s_data, NULL);
  cnet_on(ev->object, CNET_EV_END, s_end, NULL);
  cnet_on(ev->object, CNET_EV_CLOSE, s_close, NULL);
}

static void c_connect_cb(void *target, const cnet_error *err, void *arg) {
  (void)target; (void)err; (void)arg;
  t("C connect cb %zu %zu %llu", bs(), wl(), bw());
}
static void c_write_cb(void *o, const cnet_error *err, void *arg) {
  (void)o;
  t("C write cb %d %s %zu", *(int *)arg, err ? cnet_err_name(err->code) : "null", wl());
}
static void c_connect(const cnet_event *ev, void *arg) { (void)ev; (void)arg; t("C connect %zu %zu", bs(), wl()); }
static void c_ready(const cnet_event *ev, void *arg) { (void)ev; (void)arg; t("C ready %zu %zu", bs(), wl()); }
static void c_drain(const cnet_event *ev, void *arg) { (void)ev; (void)arg; t("C drain"); }
static void c_end_cb(void *o, const cnet_error *err, void *arg) {
  (void)o; (void)err; (void)arg;
  t("C end cb %llu", bw());
}
static void c_close(const cnet_event *ev, void *arg) { (void)arg; t("C close %s", b(ev->had_error)); }

static void listen_cb(const cnet_event *ev, void *arg) {
  (void)ev; (void)arg;
  cnet_address a;
  cnet_server_address(server, &a);
  cnet_connect_options o = {.port = a.port, .host = "127.0.0.1"};
  cnet_connect(cnet_default_loop(), &o, c_connect_cb, NULL, &c);
  t("C connecting %s %zu %zu", b(cnet_socket_connecting(c)), bs(), wl());
  const char *chunks[] = {"aa", "bbb", "cccc"};
  for (int i = 0; i < 3; i++) {
    bool r = cnet_socket_write(c, chunks[i], strlen(chunks[i]), c_write_cb, &ids[i]);
    t("C write %d %s %zu %zu %llu", i, b(r), bs(), wl(), bw());
  }
  cnet_on(c, CNET_EV_CONNECT, c_connect, NULL);
  cnet_on(c, CNET_EV_READY, c_ready, NULL);
  cnet_on(c, CNET_EV_DRAIN, c_drain, NULL);
  cnet_socket_end(c, NULL, 0, c_end_cb, NULL);
  t("C after end %zu", wl());
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
