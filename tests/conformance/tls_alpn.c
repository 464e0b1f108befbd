/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* tls_alpn.js in cnet: ALPN's choice, round by round. */
#include <cnet.h>
#include <stdlib.h>

#include "trace.h"
#include "tls_certs.h"

static cnet_server *server;
static int round_no;

static const char *const server_h2_http[] = {"h2", "http/1.1", NULL};
static const char *const client_http_h2[] = {"http/1.1", "h2", NULL};
static const char *const only_h2[] = {"h2", NULL};
static const char *const only_x[] = {"x", NULL};
static const char *const *const rounds[][2] = {
    {server_h2_http, client_http_h2},
    {only_h2, only_x},
    {only_h2, NULL},
};
#define ROUNDS (int)(sizeof rounds / sizeof rounds[0])

static const char *alpn(const cnet_socket *s) {
  const char *p = cnet_tls_socket_alpn_protocol(s);
  return p ? p : "false";
}

static void start_round(void);

static void on_server_close(const cnet_event *ev, void *arg) {
  cnet_server_free(server);
  server = NULL;
  if (++round_no < ROUNDS) start_round();
  else t("done");
}

static void on_secure_connection(const cnet_event *ev, void *arg) {
  cnet_socket *s = cnet_event_socket(ev);
  t("S secureConnection %s", alpn(s));
  cnet_socket_end(s, NULL, 0, NULL, NULL);
}

static void on_client_error(const cnet_event *ev, void *arg) {
  t("S tlsClientError %s", cnet_err_name(ev->error->code));
}

static void on_secure_connect(void *object, const cnet_error *err, void *arg) {
  t("C secureConnect %s", alpn(object));
  cnet_socket_end(object, NULL, 0, NULL, NULL);
}

static void on_client(const cnet_event *ev, void *arg) {
  if (ev->type == CNET_EV_ERROR) t("C error %s", cnet_err_name(ev->error->code));
  else cnet_server_close(server, NULL, NULL);
}

static void on_listening(const cnet_event *ev, void *arg) {
  cnet_tls_context_options sec = {.ca = ca, .alpn_protocols = rounds[round_no][1]};
  cnet_socket *c = tls_client(server, &sec, on_secure_connect, NULL);
  cnet_on(c, CNET_EV_ERROR, on_client, NULL);
  cnet_on(c, CNET_EV_CLOSE, on_client, NULL);
}

static void start_round(void) {
  t("round %d", round_no);
  cnet_tls_context_options sec = {.key = key, .cert = cert,
                                  .alpn_protocols = rounds[round_no][0]};
  cnet_tls_server_options o = {.secure = &sec};
  if (cnet_tls_create_server(loop, &o, on_secure_connection, NULL, &server) != 0) exit(3);
  cnet_on(server, CNET_EV_TLS_CLIENT_ERROR, on_client_error, NULL);
  cnet_on(server, CNET_EV_LISTENING, on_listening, NULL);
  cnet_on(server, CNET_EV_CLOSE, on_server_close, NULL);
  cnet_server_listen(server, 0, "127.0.0.1", 0);
}

int main(void) { return tls_scenario(start_round, NULL); }
