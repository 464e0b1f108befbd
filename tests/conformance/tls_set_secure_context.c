/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* tls_set_secure_context.js in cnet: cnet_tls_server_set_secure_context
 * swaps a running server's certificate; connections keep theirs. */
#include <cnet.h>
#include <stdlib.h>
#include <string.h>

#include "trace.h"
#include "tls_certs.h"

static cnet_server *server;
static cnet_socket *first, *second;
static char *self_key, *self_cert, *both_cas;

static void on_server_data(const cnet_event *ev, void *arg) {
  cnet_socket_write(ev->target, ev->data, ev->len, NULL, NULL);
}

static void on_server_end(const cnet_event *ev, void *arg) {
  cnet_socket_end(ev->target, NULL, 0, NULL, NULL);
}

static void on_secure_connection(const cnet_event *ev, void *arg) {
  cnet_socket *s = cnet_event_socket(ev);
  cnet_on(s, CNET_EV_DATA, on_server_data, NULL);
  cnet_on(s, CNET_EV_END, on_server_end, NULL);
}

static const char *name_of(const void *c) { return c == first ? "first" : "second"; }

static void on_data(const cnet_event *ev, void *arg) {
  t("%s data %.*s", name_of(ev->target), (int)ev->len, ev->data);
}

static void on_closed(void *object, const cnet_error *err, void *arg) { t("closed"); }

static void on_close(const cnet_event *ev, void *arg) {
  t("%s close", name_of(ev->target));
  if (ev->target == first) cnet_socket_end(second, "pong", 4, NULL, NULL);
  else cnet_server_close(server, on_closed, NULL);
}

/* "<name> secureConnect <authorized> <subject CN> <issuer CN>" */
static void show(cnet_socket *c) {
  const cnet_tls_certificate *peer;
  if (cnet_tls_socket_get_peer_certificate(c, false, &peer) != 0) exit(4);
  t("%s secureConnect %s %s %s", name_of(c), cnet_tls_socket_authorized(c) ? "true" : "false",
    peer->subject.cn, peer->issuer.cn);
}

static void on_second_secure(void *object, const cnet_error *err, void *arg) {
  show(object);
  cnet_socket_end(first, "ping", 4, NULL, NULL);
}

static cnet_socket *client(cnet_callback on_secure) {
  cnet_tls_context_options trust = {.ca = both_cas};
  cnet_socket *c = tls_client(server, &trust, on_secure, NULL);
  cnet_on(c, CNET_EV_DATA, on_data, NULL);
  cnet_on(c, CNET_EV_CLOSE, on_close, NULL);
  return c;
}

static void on_first_secure(void *object, const cnet_error *err, void *arg) {
  show(object);
  cnet_tls_context *ctx;
  cnet_tls_context_options bad = {.key = "garbage", .cert = cert};
  int rc = cnet_tls_context_new(&bad, &ctx);
  if (rc) t("refused %s", cnet_err_name(rc));
  cnet_tls_context_options good = {.key = key, .cert = cert};
  if (cnet_tls_context_new(&good, &ctx) != 0 || cnet_tls_server_set_secure_context(server, ctx))
    exit(5);
  cnet_tls_context_free(ctx); /* the server keeps its own reference */
  t("set");
  second = client(on_second_secure);
}

static void on_listening(const cnet_event *ev, void *arg) { first = client(on_first_secure); }

static void start(void) {
  self_key = tls_certs_read("self.key");
  self_cert = tls_certs_read("self.pem");
  both_cas = calloc(1, strlen(ca) + strlen(self_cert) + 1);
  if (!both_cas) exit(2);
  strcat(strcat(both_cas, ca), self_cert);
  cnet_tls_context_options sec = {.key = self_key, .cert = self_cert};
  cnet_tls_server_options o = {.secure = &sec};
  if (cnet_tls_create_server(loop, &o, on_secure_connection, NULL, &server) != 0) exit(3);
  cnet_on(server, CNET_EV_LISTENING, on_listening, NULL);
  cnet_server_listen(server, 0, "127.0.0.1", 0);
}

static void finish(void) {
  cnet_server_free(server);
  free(self_key), free(self_cert), free(both_cas);
}

int main(void) { return tls_scenario(start, finish); }
