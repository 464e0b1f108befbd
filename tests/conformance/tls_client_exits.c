/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* tls_client_exits.js in cnet: a TLS client's ways out before or around
 * the handshake, one case after another. */
#include <cnet.h>
#include <stdlib.h>

#include "trace.h"
#include "tls_certs.h"

static cnet_server *server;
static int case_no, waiting;

static void next_case(void);

static void free_server(const cnet_event *ev, void *arg) { cnet_server_free(arg); }

static void one_done(void) {
  if (--waiting > 0) return;
  cnet_server_close(server, NULL, NULL);
  next_case();
}

static void on_client(const cnet_event *ev, void *arg) {
  const char *who = arg;
  cnet_socket *c = ev->target;
  switch (ev->type) {
    case CNET_EV_ERROR:
      t("%s error %s %s", who, cnet_err_name(ev->error->code), ev->error->message);
      break;
    case CNET_EV_CLOSE:
      t("%s close %s", who, ev->had_error ? "true" : "false");
      one_done();
      break;
    default:
      t("%s %s", who, cnet_event_name((int)ev->type));
      break;
  }
  if (case_no == 2 && ev->type == CNET_EV_CONNECT) cnet_socket_destroy(c, NULL);
  if (case_no == 3 && ev->type == CNET_EV_TIMEOUT) cnet_socket_destroy(c, NULL);
  if (case_no == 5 && ev->type == CNET_EV_CONNECT) {
    cnet_error err;
    cnet_error_set(&err, CNET_ECONNABORTED, "boom");
    cnet_socket_destroy(c, &err);
  }
}

static void on_write_after_end(void *object, const cnet_error *err, void *arg) {
  t("4C write cb %s", err ? cnet_err_name(err->code) : "null");
}

static void on_secure(void *object, const cnet_error *err, void *arg) {
  if (case_no != 4) return;
  cnet_socket_end_string(object, "a", NULL, NULL, NULL);
  cnet_socket_write_string(object, "b", NULL, on_write_after_end, NULL);
}

static void on_tls_client_error(const cnet_event *ev, void *arg) {
  t("2S tlsClientError %s %s", cnet_err_name(ev->error->code), ev->error->message);
  one_done();
}

static void on_accepted_resume(const cnet_event *ev, void *arg) {
  cnet_socket_resume(cnet_event_socket(ev));
}

static cnet_socket *connect_client(const char *who) {
  cnet_socket *c = tls_client(server, NULL, on_secure, NULL);
  static const cnet_event_type types[] = {CNET_EV_CONNECT, CNET_EV_SECURE_CONNECT,
                                          CNET_EV_END,     CNET_EV_FINISH,
                                          CNET_EV_TIMEOUT, CNET_EV_ERROR,
                                          CNET_EV_CLOSE};
  for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
    cnet_on(c, types[i], on_client, (void *)who);
  return c;
}

static void on_listening(const cnet_event *ev, void *arg) {
  static const char *const who[] = {"", "1C", "2C", "3C", "4C", "5C"};
  cnet_socket *c = connect_client(who[case_no]);
  if (case_no == 1) cnet_socket_destroy(c, NULL);
  if (case_no == 3) cnet_socket_set_timeout(c, 100, NULL, NULL);
}

static void next_case(void) {
  case_no++;
  if (case_no > 5) {
    t("done");
    return;
  }
  waiting = case_no == 2 ? 2 : 1;
  cnet_tls_context_options sec = {.key = key, .cert = cert};
  cnet_tls_server_options o = {.secure = &sec};
  if (case_no == 3) {
    if (cnet_create_server(loop, NULL, on_accepted_resume, NULL, &server) != 0) exit(3);
  } else if (cnet_tls_create_server(loop, &o, case_no == 4 ? on_accepted_resume : NULL, NULL,
                                    &server) != 0) {
    exit(3);
  }
  if (case_no == 2) cnet_on(server, CNET_EV_TLS_CLIENT_ERROR, on_tls_client_error, NULL);
  cnet_on(server, CNET_EV_LISTENING, on_listening, NULL);
  cnet_on(server, CNET_EV_CLOSE, free_server, server);
  cnet_server_listen(server, 0, "127.0.0.1", 0);
}

int main(void) { return tls_scenario(next_case, NULL); }
