/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* tls_socket_api.js in cnet: net.Socket's getters on TLS sockets. */
#include <cnet.h>
#include <inttypes.h>
#include <stdlib.h>

#include "trace.h"
#include "tls_certs.h"

static cnet_server *server;

static const char *yn(bool b) { return b ? "true" : "false"; }
static unsigned long long in(cnet_socket *s) { return cnet_socket_bytes_read(s); }
static unsigned long long out(cnet_socket *s) { return cnet_socket_bytes_written(s); }

static void on_server_socket(const cnet_event *ev, void *arg) {
  cnet_socket *s = arg;
  switch (ev->type) {
    case CNET_EV_DATA:
      t("S data %zu %llu", ev->len, in(s));
      cnet_socket_write(s, ev->data, ev->len, NULL, NULL);
      t("S written %llu %zu", out(s), cnet_socket_writable_length(s));
      break;
    case CNET_EV_END:
      t("S end %llu %llu", in(s), out(s));
      cnet_socket_end(s, NULL, 0, NULL, NULL);
      break;
    case CNET_EV_CLOSE:
      t("S close %llu %llu", in(s), out(s));
      cnet_server_close(server, NULL, NULL);
      break;
    default: break;
  }
}

static void on_client(const cnet_event *ev, void *arg) {
  cnet_socket *c = arg;
  switch (ev->type) {
    case CNET_EV_CONNECT:
      t("C connect %llu %llu %s %s", in(c), out(c), cnet_socket_ready_state(c),
        yn(cnet_socket_connecting(c)));
      break;
    case CNET_EV_DATA: t("C data %zu %llu", ev->len, in(c)); break;
    case CNET_EV_FINISH:
      t("C finish %llu %zu %s", out(c), cnet_socket_writable_length(c),
        cnet_socket_ready_state(c));
      break;
    case CNET_EV_CLOSE:
      t("C close %llu %llu %s", in(c), out(c), cnet_socket_ready_state(c));
      break;
    default: break;
  }
}

static void on_secure_connection(const cnet_event *ev, void *arg) {
  cnet_socket *s = cnet_event_socket(ev);
  t("S secure %llu %llu %s %s %s", in(s), out(s), cnet_socket_ready_state(s),
    yn(cnet_socket_pending(s)), yn(cnet_socket_connecting(s)));
  static const cnet_event_type types[] = {CNET_EV_DATA, CNET_EV_END, CNET_EV_CLOSE};
  for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
    cnet_on(s, types[i], on_server_socket, s);
}

static void on_secure_connect(void *object, const cnet_error *err, void *arg) {
  cnet_socket *c = object;
  t("C secure %llu %llu %s %s %s %zu", in(c), out(c), cnet_socket_ready_state(c),
    yn(cnet_socket_pending(c)), yn(cnet_socket_connecting(c)),
    cnet_socket_writable_length(c));
  cnet_socket_end_string(c, "hello", NULL, NULL, NULL);
}

static void on_listening(const cnet_event *ev, void *arg) {
  cnet_socket *c = tls_client(server, NULL, on_secure_connect, NULL);
  t("C start %s %s %s %llu", cnet_socket_ready_state(c), yn(cnet_socket_pending(c)),
    yn(cnet_socket_connecting(c)), out(c));
  cnet_socket_write_string(c, "early", NULL, NULL, NULL);
  t("C early %llu %zu", out(c), cnet_socket_writable_length(c));
  static const cnet_event_type types[] = {CNET_EV_CONNECT, CNET_EV_DATA, CNET_EV_FINISH,
                                          CNET_EV_CLOSE};
  for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
    cnet_on(c, types[i], on_client, c);
}

static void start(void) {
  cnet_tls_context_options sec = {.key = key, .cert = cert};
  cnet_tls_server_options o = {.secure = &sec};
  if (cnet_tls_create_server(loop, &o, on_secure_connection, NULL, &server) != 0) exit(3);
  cnet_on(server, CNET_EV_LISTENING, on_listening, NULL);
  cnet_server_listen(server, 0, "127.0.0.1", 0);
}

static void finish(void) { cnet_server_free(server); }

int main(void) { return tls_scenario(start, finish); }
