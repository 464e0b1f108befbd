/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* tls_client_cert.js in cnet: client certificates, required, sent,
 * missing, refused and let through. */
#include <cnet.h>
#include <stdlib.h>
#include <string.h>

#include "trace.h"
#include "tls_certs.h"

static cnet_server *server;
static int pending, current;

static const struct {
  const char *name;
  bool reject;
  const char *key, *cert;
} cases[] = {
    {"sent", true, "client.key", "client.pem"},
    {"missing", true, NULL, NULL},
    {"bad ca", true, "stranger.key", "stranger.pem"},
    {"not rejected", false, "stranger.key", "stranger.pem"},
    {"not rejected, missing", false, NULL, NULL},
};
#define N_CASES (int)(sizeof cases / sizeof cases[0])

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

static const char *boolstr(bool b) { return b ? "true" : "false"; }

/* Each OU joined with '+', as the script joins Node's array. */
static void show(const cnet_tls_certificate *c) {
  char ou[256] = "", eku[256] = "";
  for (size_t i = 0; i < c->subject.n_entries; i++) {
    if (strcmp(c->subject.entries[i].name, "OU") != 0) continue;
    if (*ou) strcat(ou, "+");
    strcat(ou, c->subject.entries[i].value);
  }
  for (size_t i = 0; i < c->n_ext_key_usage; i++) {
    if (i) strcat(eku, "+");
    strcat(eku, c->ext_key_usage[i]);
  }
  t("S peer %s %s %s %s %d %s %zu %zu %zu %s", c->subject.cn, ou, c->issuer.cn, boolstr(c->ca),
    c->bits, c->exponent, c->pubkey_len, strlen(c->modulus), strlen(c->fingerprint256), eku);
  t("S peer san %s", c->subjectaltname);
  for (size_t i = 0; i < c->n_info_access; i++)
    t("S peer infoAccess %s %s", c->info_access[i].name, c->info_access[i].value);
  const cnet_tls_certificate *is = c->issuer_certificate;
  t("S peer issuer %s %s %s", is->subject.cn, boolstr(is->ca),
    boolstr(is->issuer_certificate == is));
}

static void on_secure_connection(const cnet_event *ev, void *arg) {
  cnet_socket *s = cnet_event_socket(ev);
  const cnet_error *ae = cnet_tls_socket_authorization_error(s);
  t("S secureConnection %s %s", boolstr(cnet_tls_socket_authorized(s)),
    ae ? cnet_err_name(ae->code) : "null");
  const cnet_tls_certificate *peer;
  if (cnet_tls_socket_authorized(s)) {
    if (cnet_tls_socket_get_peer_certificate(s, true, &peer) != 0 || !peer) exit(4);
    show(peer);
  }
  cnet_on(s, CNET_EV_CLOSE, on_close, NULL);
  cnet_socket_end(s, NULL, 0, NULL, NULL);
}

static void on_tls_client_error(const cnet_event *ev, void *arg) {
  t("S tlsClientError %s", cnet_err_name(ev->error->code));
  next();
}

static void on_error(const cnet_event *ev, void *arg) {
  t("C error %s", cnet_err_name(ev->error->code));
}

static void on_data(const cnet_event *ev, void *arg) {}

static void on_secure_connect(void *object, const cnet_error *err, void *arg) {
  t("C secureConnect %s", boolstr(cnet_tls_socket_authorized(object)));
}

static void on_listening(const cnet_event *ev, void *arg) {
  const char *ckey = cases[current >> 1].key, *ccert = cases[current >> 1].cert;
  char *k = ckey ? tls_certs_read(ckey) : NULL, *c = ccert ? tls_certs_read(ccert) : NULL;
  cnet_tls_context_options sec = {.ca = ca, .key = k, .cert = c};
  cnet_socket *so = tls_client(server, &sec, on_secure_connect, NULL);
  free(k);
  free(c);
  cnet_on(so, CNET_EV_DATA, on_data, NULL);
  cnet_on(so, CNET_EV_ERROR, on_error, NULL);
  cnet_on(so, CNET_EV_CLOSE, on_close, "C");
}

static void run(int i) {
  current = i;
  if (i == N_CASES * 2) {
    t("done");
    return;
  }
  const char *version = i & 1 ? "TLSv1.2" : "TLSv1.3";
  t("case %s %s", cases[i >> 1].name, version);
  cnet_tls_context_options sec = {.key = key, .cert = cert, .ca = ca, .max_version = version};
  cnet_tls_server_options o = {.secure = &sec, .request_cert = true,
                               .has_reject_unauthorized = true,
                               .reject_unauthorized = cases[i >> 1].reject};
  if (cnet_tls_create_server(loop, &o, on_secure_connection, NULL, &server) != 0) exit(3);
  pending = 2;
  cnet_on(server, CNET_EV_TLS_CLIENT_ERROR, on_tls_client_error, NULL);
  cnet_on(server, CNET_EV_LISTENING, on_listening, NULL);
  cnet_server_listen(server, 0, "127.0.0.1", 0);
}

static void start(void) {
  run(0);
}

int main(void) { return tls_scenario(start, NULL); }
