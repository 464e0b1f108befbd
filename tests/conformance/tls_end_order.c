/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* tls_end_order.js in cnet: a TLS exchange, TLS 1.3 then 1.2, event by
 * event. */
#include <cnet.h>
#include <stdlib.h>

#include "trace.h"
#include "tls_certs.h"

static cnet_server *server;
static int round_no, closes;

static const char *str(const char *s) { return s ? s : "null"; }

static void on_event(const cnet_event *ev, void *arg) {
  const char *who = arg;
  switch (ev->type) {
    case CNET_EV_DATA: t("%s data %.*s", who, (int)ev->len, ev->data); break;
    case CNET_EV_CLOSE:
      if (*who == 'C') t("C close %s", ev->had_error ? "true" : "false");
      else t("S close");
      if (++closes == 2) cnet_server_close(server, NULL, NULL);
      break;
    default: t("%s %s", who, cnet_event_name((int)ev->type)); break;
  }
}

static void start_round(const char *max_version);

static void on_server_close(const cnet_event *ev, void *arg) {
  cnet_server_free(server);
  server = NULL;
  if (++round_no == 1) start_round("TLSv1.2");
  else t("done");
}

static void on_secure_connection(const cnet_event *ev, void *arg) {
  cnet_socket *s = cnet_event_socket(ev);
  t("S secureConnection %s %s %s", cnet_tls_socket_get_protocol(s),
    cnet_tls_socket_alpn_protocol(s) ? cnet_tls_socket_alpn_protocol(s) : "false",
    cnet_tls_socket_authorized(s) ? "true" : "false");
  cnet_on(s, CNET_EV_DATA, on_event, "S");
  cnet_on(s, CNET_EV_END, on_event, "S");
  cnet_on(s, CNET_EV_FINISH, on_event, "S");
  cnet_on(s, CNET_EV_CLOSE, on_event, "S");
}

static void on_secure_connect(void *object, const cnet_error *err, void *arg) {
  cnet_socket *c = object;
  cnet_tls_cipher cipher;
  cnet_tls_socket_get_cipher(c, &cipher);
  const cnet_error *ae = cnet_tls_socket_authorization_error(c);
  t("C secureConnect %s %s %s %s %s", cnet_tls_socket_get_protocol(c),
    cnet_tls_socket_authorized(c) ? "true" : "false", ae ? ae->message : "null",
    cnet_tls_socket_alpn_protocol(c) ? cnet_tls_socket_alpn_protocol(c) : "false",
    str(cipher.version));
  cnet_socket_end_string(c, "bye", NULL, NULL, NULL);
}

static void on_listening(const cnet_event *ev, void *arg) {
  static const char *const alpn[] = {"x", "http/1.1", NULL};
  cnet_tls_context_options sec = {.ca = ca, .alpn_protocols = alpn};
  cnet_socket *c = tls_client(server, &sec, on_secure_connect, NULL);
  cnet_socket_write_string(c, "early", NULL, NULL, NULL);
  cnet_on(c, CNET_EV_CONNECT, on_event, "C");
  cnet_on(c, CNET_EV_DATA, on_event, "C");
  cnet_on(c, CNET_EV_END, on_event, "C");
  cnet_on(c, CNET_EV_FINISH, on_event, "C");
  cnet_on(c, CNET_EV_CLOSE, on_event, "C");
}

static void start_round(const char *max_version) {
  static const char *const alpn[] = {"h2", "http/1.1", NULL};
  closes = 0;
  cnet_tls_context_options sec = {.key = key, .cert = cert, .max_version = max_version,
                                  .alpn_protocols = alpn};
  cnet_tls_server_options o = {.secure = &sec};
  if (cnet_tls_create_server(loop, &o, on_secure_connection, NULL, &server) != 0) exit(3);
  cnet_on(server, CNET_EV_LISTENING, on_listening, NULL);
  cnet_on(server, CNET_EV_CLOSE, on_server_close, NULL);
  cnet_server_listen(server, 0, "127.0.0.1", 0);
}

static void start(void) {
  start_round("TLSv1.3");
}

int main(void) { return tls_scenario(start, NULL); }
