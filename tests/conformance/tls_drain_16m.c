/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* tls_drain_16m.js in cnet: 16 MiB at once on a TLS socket, 'drain'
 * counted. */
#include <cnet.h>
#include <stdlib.h>
#include <string.h>

#include "trace.h"
#include "tls_certs.h"

#define SIZE (16u << 20)

static cnet_server *server;
static char *big;
static size_t total;
static int drains;

static void on_server_socket(const cnet_event *ev, void *arg) {
  if (ev->type == CNET_EV_DATA) {
    total += ev->len;
  } else if (ev->type == CNET_EV_END) {
    t("S end %zu %s", total, total == SIZE ? "true" : "false");
  } else {
    t("S close");
    cnet_server_close(server, NULL, NULL);
  }
}

static void on_secure_connection(const cnet_event *ev, void *arg) {
  cnet_socket *s = cnet_event_socket(ev);
  cnet_on(s, CNET_EV_DATA, on_server_socket, NULL);
  cnet_on(s, CNET_EV_END, on_server_socket, NULL);
  cnet_on(s, CNET_EV_CLOSE, on_server_socket, NULL);
}

static void on_written(void *object, const cnet_error *err, void *arg) {
  t("C write cb %s %zu", err ? err->message : "null", cnet_socket_writable_length(object));
}

static void on_secure_connect(void *object, const cnet_error *err, void *arg) {
  int r = cnet_socket_write(object, big, SIZE, on_written, NULL);
  t("C write %s %zu", r > 0 ? "true" : "false", cnet_socket_writable_length(object));
}

static void on_client(const cnet_event *ev, void *arg) {
  if (ev->type == CNET_EV_DRAIN) {
    drains++;
    t("C drain %zu", cnet_socket_writable_length(ev->target));
    cnet_socket_end(ev->target, NULL, 0, NULL, NULL);
  } else {
    t("C close %d", drains);
  }
}

static void on_listening(const cnet_event *ev, void *arg) {
  cnet_socket *c = tls_client(server, NULL, on_secure_connect, NULL);
  cnet_on(c, CNET_EV_DRAIN, on_client, NULL);
  cnet_on(c, CNET_EV_CLOSE, on_client, NULL);
}

static void start(void) {
  big = malloc(SIZE);
  if (!big) exit(2);
  memset(big, 'x', SIZE);
  cnet_tls_context_options sec = {.key = key, .cert = cert};
  cnet_tls_server_options o = {.secure = &sec};
  if (cnet_tls_create_server(loop, &o, on_secure_connection, NULL, &server) != 0) exit(3);
  cnet_on(server, CNET_EV_LISTENING, on_listening, NULL);
  cnet_server_listen(server, 0, "127.0.0.1", 0);
}

static void finish(void) {
  cnet_server_free(server);
  free(big);
}

int main(void) { return tls_scenario(start, finish); }
