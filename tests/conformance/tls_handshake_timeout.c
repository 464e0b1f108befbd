/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* tls_handshake_timeout.js in cnet: a client that sends nothing, then
 * one that sends half a ClientHello, against handshakeTimeout 200. */
#include <cnet.h>
#include <stdlib.h>

#include "trace.h"
#include "tls_certs.h"

static cnet_server *server;

/* A handshake record that announces 512 bytes, then 40 of them. */
static const char half[40] = {0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, (char)0xfc};

static void on_connection(const cnet_event *ev, void *arg) { t("S connection"); }

static void on_secure_connection(const cnet_event *ev, void *arg) { t("S secureConnection"); }

static void on_tls_client_error(const cnet_event *ev, void *arg) {
  cnet_socket *s = cnet_event_socket(ev);
  t("S tlsClientError %s %s %s", cnet_err_name(ev->error->code), ev->error->message,
    cnet_socket_destroyed(s) ? "true" : "false");
  cnet_socket_destroy(s, NULL);
}

static void on_server_close(const cnet_event *ev, void *arg) { t("done"); }

static void client(intptr_t n);

static void on_client(const cnet_event *ev, void *arg) {
  intptr_t n = (intptr_t)arg;
  switch (ev->type) {
    case CNET_EV_CONNECT:
      t("C connect %d", (int)n);
      if (n == 2) cnet_socket_write(ev->target, half, sizeof half, NULL, NULL);
      break;
    case CNET_EV_DATA: t("C data %zu", ev->len); break;
    case CNET_EV_END: t("C end %d", (int)n); break;
    case CNET_EV_CLOSE:
      t("C close %d", (int)n);
      if (n == 1) client(2);
      else cnet_server_close(server, NULL, NULL);
      break;
    default: break;
  }
}

static void client(intptr_t n) {
  cnet_address a;
  cnet_server_address(server, &a);
  cnet_socket *c;
  if (cnet_connect_port(loop, a.port, "127.0.0.1", NULL, NULL, &c) != 0) exit(3);
  static const int evs[] = {CNET_EV_CONNECT, CNET_EV_DATA, CNET_EV_END, CNET_EV_CLOSE};
  for (size_t i = 0; i < sizeof evs / sizeof evs[0]; i++) cnet_on(c, evs[i], on_client, (void *)n);
}

static void on_listening(const cnet_event *ev, void *arg) { client(1); }

static void start(void) {
  cnet_tls_context_options sec = {.key = key, .cert = cert};
  cnet_tls_server_options o = {.secure = &sec, .handshake_timeout = 200};
  if (cnet_tls_create_server(loop, &o, on_secure_connection, NULL, &server) != 0) exit(3);
  cnet_on(server, CNET_EV_CONNECTION, on_connection, NULL);
  cnet_on(server, CNET_EV_TLS_CLIENT_ERROR, on_tls_client_error, NULL);
  cnet_on(server, CNET_EV_LISTENING, on_listening, NULL);
  cnet_on(server, CNET_EV_CLOSE, on_server_close, NULL);
  cnet_server_listen(server, 0, "127.0.0.1", 0);
}

static void finish(void) {
  cnet_server_free(server);
}

int main(void) { return tls_scenario(start, finish); }
