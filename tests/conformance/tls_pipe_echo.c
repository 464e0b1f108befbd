/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* tls_pipe_echo.js in cnet: 1 MiB through a TLS echo (the server pipes
 * the socket into itself) and through a half-open exchange, TLS 1.3 and
 * 1.2, event by event. */
#include <cnet.h>
#include <stdlib.h>
#include <string.h>

#include "trace.h"
#include "tls_certs.h"

static cnet_server *server;
static int round_no, closes;
static bool half;
static size_t s_bytes, c_bytes;
static char big[1 << 20];

static const struct {
  const char *max_version;
  bool half;
} rounds[] = {{"TLSv1.3", false}, {"TLSv1.2", false}, {"TLSv1.3", true}, {"TLSv1.2", true}};

static void closed(void) {
  if (++closes == 2) cnet_server_close(server, NULL, NULL);
}

static void on_server_socket(const cnet_event *ev, void *arg) {
  cnet_socket *s = arg;
  char answer[32];
  switch (ev->type) {
    case CNET_EV_DATA: s_bytes += ev->len; break;
    case CNET_EV_END:
      if (!half) {
        t("S end");
        break;
      }
      t("S end %zu", s_bytes);
      snprintf(answer, sizeof answer, "got %zu", s_bytes);
      cnet_socket_end_string(s, answer, NULL, NULL, NULL);
      break;
    case CNET_EV_FINISH: t("S finish"); break;
    case CNET_EV_CLOSE: t("S close"); closed(); break;
    default: break;
  }
}

static void on_client(const cnet_event *ev, void *arg) {
  switch (ev->type) {
    case CNET_EV_DATA: c_bytes += ev->len; break;
    case CNET_EV_END: t("C end %zu", c_bytes); break;
    case CNET_EV_FINISH: t("C finish"); break;
    case CNET_EV_CLOSE:
      t("C close %s", ev->had_error ? "true" : "false");
      closed();
      break;
    default: break;
  }
}

static void start_round(void);

static void on_server_close(const cnet_event *ev, void *arg) {
  cnet_server_free(server);
  server = NULL;
  if (++round_no < (int)(sizeof rounds / sizeof rounds[0])) start_round();
  else t("done");
}

static void on_secure_connection(const cnet_event *ev, void *arg) {
  cnet_socket *s = cnet_event_socket(ev);
  static const cnet_event_type types[] = {CNET_EV_END, CNET_EV_FINISH, CNET_EV_CLOSE};
  for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
    cnet_on(s, types[i], on_server_socket, s);
  if (half) cnet_on(s, CNET_EV_DATA, on_server_socket, s);
  else cnet_pipe(s, s, NULL);
}

static void on_secure_connect(void *object, const cnet_error *err, void *arg) {
  t("C secureConnect");
  cnet_socket_end(object, big, sizeof big, NULL, NULL);
}

static void on_listening(const cnet_event *ev, void *arg) {
  cnet_address a;
  cnet_server_address(server, &a);
  cnet_connect_options net = {.port = a.port, .host = "127.0.0.1", .allow_half_open = half};
  cnet_tls_context_options sec = {.ca = ca};
  cnet_tls_connect_options o = {.connect = &net, .secure = &sec};
  cnet_socket *c;
  if (cnet_tls_connect(loop, &o, on_secure_connect, NULL, &c) != 0) exit(3);
  static const cnet_event_type types[] = {CNET_EV_DATA, CNET_EV_END, CNET_EV_FINISH,
                                          CNET_EV_CLOSE};
  for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
    cnet_on(c, types[i], on_client, NULL);
}

static void start_round(void) {
  half = rounds[round_no].half;
  t("round %s %s", rounds[round_no].max_version, half ? "half-open" : "pipe");
  closes = 0;
  s_bytes = c_bytes = 0;
  cnet_tls_context_options sec = {.key = key, .cert = cert,
                                  .max_version = rounds[round_no].max_version};
  cnet_server_options net = {.allow_half_open = half};
  cnet_tls_server_options o = {.secure = &sec, .server = &net};
  if (cnet_tls_create_server(loop, &o, on_secure_connection, NULL, &server) != 0) exit(3);
  cnet_on(server, CNET_EV_LISTENING, on_listening, NULL);
  cnet_on(server, CNET_EV_CLOSE, on_server_close, NULL);
  cnet_server_listen(server, 0, "127.0.0.1", 0);
}

static void start(void) {
  memset(big, 'x', sizeof big);
  start_round();
}

int main(void) { return tls_scenario(start, NULL); }
