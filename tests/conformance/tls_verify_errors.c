/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* tls_verify_errors.js in cnet: a client that rejects the server's
 * certificate, case after case, with Node's codes and messages. */
#include <cnet.h>
#include <stdlib.h>
#include <string.h>

#include "trace.h"

static cnet_loop *loop;
static cnet_server *server;
static int pending, current;

static const struct {
  const char *name, *certs[2], *key, *ca, *servername;
  bool keep;
} cases[] = {
    {"no ca", {"server.pem"}, "server.key", NULL, NULL, false},
    {"self-signed", {"self.pem"}, "self.key", "ca.pem", NULL, false},
    {"root in chain", {"server.pem", "ca.pem"}, "server.key", "self.pem", NULL, false},
    {"expired", {"expired.pem"}, "expired.key", "ca.pem", NULL, false},
    {"altname", {"server.pem"}, "server.key", "ca.pem", "foo.example", false},
    {"signature", {"tampered.pem"}, "server.key", "ca.pem", NULL, false},
    {"not a ca", {"notca.pem", "server.pem"}, "notca.key", "ca.pem", NULL, false},
    {"purpose", {"client.pem"}, "client.key", "ca.pem", NULL, false},
    {"not rejected", {"self.pem"}, "self.key", "ca.pem", NULL, true},
};
#define N_CASES (sizeof cases / sizeof cases[0])

/* path's text appended to buf (64 KiB). */
static void slurp(char *buf, const char *path) {
  FILE *f = fopen(path, "r");
  if (!f) exit(2);
  size_t len = strlen(buf);
  buf[len + fread(buf + len, 1, (1 << 16) - 1 - len, f)] = '\0';
  fclose(f);
}

static void run(int i);

static void on_server_closed(void *object, const cnet_error *err, void *arg) {
  cnet_server_free(server);
  run(current + 1);
}

static void next(void) {
  if (--pending == 0) cnet_server_close(server, on_server_closed, NULL);
}

static void on_close(const cnet_event *ev, void *arg) {
  if (arg) t("C close");
  next();
}

static void on_secure_connection(const cnet_event *ev, void *arg) {
  t("S secureConnection");
  cnet_socket *s = cnet_event_socket(ev);
  cnet_on(s, CNET_EV_CLOSE, on_close, NULL);
  cnet_socket_end(s, NULL, 0, NULL, NULL);
}

static void on_tls_client_error(const cnet_event *ev, void *arg) {
  t("S tlsClientError %s %s", cnet_err_name(ev->error->code), ev->error->message);
  next();
}

static void on_error(const cnet_event *ev, void *arg) {
  t("C error %s %s", cnet_err_name(ev->error->code), ev->error->message);
}

static void on_secure_connect(void *object, const cnet_error *err, void *arg) {
  const cnet_error *ae = cnet_tls_socket_authorization_error(object);
  t("C secureConnect %s %s", cnet_tls_socket_authorized(object) ? "true" : "false",
    ae ? cnet_err_name(ae->code) : "null");
}

static void on_listening(const cnet_event *ev, void *arg) {
  char *ca = calloc(1, 1 << 16);
  if (!ca) exit(2);
  if (cases[current].ca) slurp(ca, cases[current].ca);
  cnet_address a;
  cnet_server_address(server, &a);
  cnet_connect_options net = {.port = a.port, .host = "127.0.0.1"};
  cnet_tls_context_options sec = {.ca = cases[current].ca ? ca : NULL};
  cnet_tls_connect_options o = {.connect = &net, .secure = &sec,
                                .servername = cases[current].servername,
                                .has_reject_unauthorized = cases[current].keep,
                                .reject_unauthorized = !cases[current].keep};
  cnet_socket *c;
  if (cnet_tls_connect(loop, &o, on_secure_connect, NULL, &c) != 0) exit(3);
  free(ca);
  cnet_on(c, CNET_EV_ERROR, on_error, NULL);
  cnet_on(c, CNET_EV_CLOSE, on_close, "C");
}

static void run(int i) {
  current = i;
  if (i == (int)N_CASES) {
    t("done");
    return;
  }
  t("case %s", cases[i].name);
  char *cert = calloc(1, 1 << 16), *key = calloc(1, 1 << 16);
  if (!cert || !key) exit(2);
  for (int k = 0; k < 2 && cases[i].certs[k]; k++) slurp(cert, cases[i].certs[k]);
  slurp(key, cases[i].key);
  cnet_tls_context_options sec = {.key = key, .cert = cert};
  cnet_tls_server_options o = {.secure = &sec};
  if (cnet_tls_create_server(loop, &o, on_secure_connection, NULL, &server) != 0) exit(3);
  free(cert);
  free(key);
  pending = 2;
  cnet_on(server, CNET_EV_TLS_CLIENT_ERROR, on_tls_client_error, NULL);
  cnet_on(server, CNET_EV_LISTENING, on_listening, NULL);
  cnet_server_listen(server, 0, "127.0.0.1", 0);
}

int main(void) {
  trace_init();
  if (system("sh " CNET_TLS_DIR "/make-certs.sh .") != 0) return 2;
  loop = cnet_default_loop();
  run(0);
  int rc = cnet_loop_run(loop, CNET_RUN_DEFAULT);
  cnet_loop_close(loop);
  return rc;
}
