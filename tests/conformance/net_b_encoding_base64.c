/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* Twin of net_b_encoding_base64.js. */
#include <cnet.h>
#include <stdio.h>
#include "trace.h"

static const struct { const char *bytes; size_t len; } chunks[] = {
    {"ab", 2}, {"cde", 3}, {"f", 1}, {"gh", 2},
};
enum { NCHUNKS = sizeof chunks / sizeof chunks[0] };

static cnet_server *server;
static cnet_socket *client, *ssock;
static cnet_immediate poll_im;
static int ready;
static size_t next_chunk, total;

static const char *b(bool v) { return v ? "true" : "false"; }
static unsigned long long nread(void) { return (unsigned long long)cnet_socket_bytes_read(client); }

static void send_next(void);
static void wait_read(cnet_immediate *im, void *arg) {
  (void)arg;
  if (cnet_socket_bytes_read(client) < total) {
    cnet_set_immediate(cnet_default_loop(), im, wait_read, NULL);
    return;
  }
  t("C bytesRead %llu", nread());
  send_next();
}
static void send_next(void) {
  if (next_chunk == NCHUNKS) {
    t("S end");
    cnet_socket_end(ssock, NULL, 0, NULL, NULL);
    return;
  }
  cnet_socket_write(ssock, chunks[next_chunk].bytes, chunks[next_chunk].len, NULL, NULL);
  total += chunks[next_chunk].len;
  next_chunk++;
  wait_read(&poll_im, NULL);
}
static void both(void) {
  if (++ready == 2) send_next();
}

static void s_close(const cnet_event *ev, void *arg) {
  (void)ev; (void)arg;
  cnet_server_close(server, NULL, NULL);
}
static void on_connection(const cnet_event *ev, void *arg) {
  (void)arg;
  ssock = ev->object;
  cnet_on(ssock, CNET_EV_CLOSE, s_close, NULL);
  both();
}

static void c_connect(void *target, const cnet_error *err, void *arg) {
  (void)target; (void)err; (void)arg;
  both();
}
static void c_data(const cnet_event *ev, void *arg) {
  (void)arg;
  t("C data \"%.*s\"", (int)ev->len, ev->data);
}
static void c_end(const cnet_event *ev, void *arg) { (void)ev; (void)arg; t("C end %llu", nread()); }
static void c_close(const cnet_event *ev, void *arg) { (void)arg; t("C close %s", b(ev->had_error)); }

static void listen_cb(const cnet_event *ev, void *arg) {
  (void)ev; (void)arg;
  cnet_address a;
  cnet_server_address(server, &a);
  cnet_connect_options o = {.port = a.port, .host = "127.0.0.1"};
  cnet_connect(cnet_default_loop(), &o, c_connect, NULL, &client);
  cnet_socket_set_encoding(client, "base64");
  cnet_on(client, CNET_EV_DATA, c_data, NULL);
  cnet_on(client, CNET_EV_END, c_end, NULL);
  cnet_on(client, CNET_EV_CLOSE, c_close, NULL);
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
