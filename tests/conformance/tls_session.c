/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* tls_session.js in cnet: sessions given, resumed and refused, TLS 1.3
 * then 1.2, with each side's key log labels. */
#include <cnet.h>
#include <stdlib.h>
#include <string.h>

#include "trace.h"
#include "tls_certs.h"

static cnet_server *server;
static unsigned char last[16384];
static size_t last_len;
static int round_no;

static const char *yes(bool b) { return b ? "true" : "false"; }

/* The label, and '?' when the line does not end in a newline. */
static void label(const char *who, const cnet_event *ev, const char *tail) {
  const char *sp = memchr(ev->data, ' ', ev->len);
  int n = sp ? (int)(sp - ev->data) : (int)ev->len;
  t("%s keylog %.*s%s%s", who, n, ev->data, ev->len && ev->data[ev->len - 1] == '\n' ? "" : "?",
    tail);
}

static void on_server_keylog(const cnet_event *ev, void *arg) {
  label("S", ev, cnet_tls_socket_encrypted(cnet_event_socket(ev)) ? " true" : " false");
}

static void on_server_end(const cnet_event *ev, void *arg) {
  cnet_socket_end(ev->target, NULL, 0, NULL, NULL);
}

static void on_secure_connection(const cnet_event *ev, void *arg) {
  cnet_socket *s = cnet_event_socket(ev);
  t("S secureConnection %s %s", cnet_tls_socket_get_protocol(s),
    yes(cnet_tls_socket_is_session_reused(s)));
  cnet_socket_write_string(s, "hi", NULL, NULL, NULL);
  cnet_on(s, CNET_EV_END, on_server_end, NULL);
}

static void connect_n(intptr_t n, const void *session, size_t len);

static void on_client(const cnet_event *ev, void *arg) {
  intptr_t n = (intptr_t)arg;
  switch (ev->type) {
    case CNET_EV_SESSION:
      t("C session %d %d", (int)n, ev->len ? (unsigned char)ev->data[0] : -1);
      if (ev->len <= sizeof last) {
        memcpy(last, ev->data, ev->len);
        last_len = ev->len;
      }
      break;
    case CNET_EV_KEYLOG: label("C", ev, ""); break;
    case CNET_EV_DATA:
      t("C data %.*s", (int)ev->len, ev->data);
      cnet_socket_end(ev->target, NULL, 0, NULL, NULL);
      break;
    case CNET_EV_CLOSE:
      t("C close %d", (int)n);
      if (n == 1) connect_n(2, last, last_len);
      else if (n == 2) connect_n(3, "no session", 10);
      else cnet_server_close(server, NULL, NULL);
      break;
    default: break;
  }
}

static void on_secure_connect(void *object, const cnet_error *err, void *arg) {
  cnet_socket *c = object;
  t("C secureConnect %d %s %s %s", (int)(intptr_t)arg, cnet_tls_socket_get_protocol(c),
    yes(cnet_tls_socket_is_session_reused(c)), yes(cnet_tls_socket_authorized(c)));
}

static void connect_n(intptr_t n, const void *session, size_t len) {
  cnet_address a;
  cnet_server_address(server, &a);
  cnet_connect_options net = {.port = a.port, .host = "127.0.0.1"};
  cnet_tls_context_options sec = {.ca = ca};
  cnet_tls_connect_options o = {.connect = &net, .secure = &sec, .session = session,
                                .session_len = len};
  cnet_socket *c;
  if (cnet_tls_connect(loop, &o, on_secure_connect, (void *)n, &c) != 0) exit(3);
  static const int evs[] = {CNET_EV_SESSION, CNET_EV_KEYLOG, CNET_EV_DATA, CNET_EV_CLOSE};
  for (size_t i = 0; i < sizeof evs / sizeof evs[0]; i++) cnet_on(c, evs[i], on_client, (void *)n);
}

static void on_listening(const cnet_event *ev, void *arg) { connect_n(1, NULL, 0); }

static void start_round(const char *max_version);

static void on_server_close(const cnet_event *ev, void *arg) {
  cnet_server_free(server);
  server = NULL;
  if (++round_no == 1) start_round("TLSv1.2");
  else t("done");
}

static void start_round(const char *max_version) {
  cnet_tls_context_options sec = {.key = key, .cert = cert, .max_version = max_version};
  cnet_tls_server_options o = {.secure = &sec};
  if (cnet_tls_create_server(loop, &o, on_secure_connection, NULL, &server) != 0) exit(3);
  cnet_on(server, CNET_EV_KEYLOG, on_server_keylog, NULL);
  cnet_on(server, CNET_EV_LISTENING, on_listening, NULL);
  cnet_on(server, CNET_EV_CLOSE, on_server_close, NULL);
  cnet_server_listen(server, 0, "127.0.0.1", 0);
}

static void start(void) {
  start_round("TLSv1.3");
}

int main(void) { return tls_scenario(start, NULL); }
