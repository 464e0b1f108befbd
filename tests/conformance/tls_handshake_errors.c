/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* tls_handshake_errors.js in cnet: handshakes that fail, with Node's
 * codes on each side, and what a server's ciphers option negotiates. */
#include <cnet.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/ssl.h> /* SSL_OP_NO_TLSv1_3, as Node's crypto.constants */

#include "trace.h"
#include "tls_certs.h"

#define AES128_FIRST "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384"
#define AES256_FIRST "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-ECDSA-AES128-GCM-SHA256"

static cnet_server *server;
static int pending, current;
static char sides[2][8][512]; /* the server's lines, the client's */
static int n_lines[2];

static const struct {
  const char *name;
  cnet_tls_context_options server;
  const char *plain; /* a plain client sends this */
  cnet_tls_context_options client;
} cases[] = {
    {"http", {0}, "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n", {0}},
    {"not tls", {0}, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", {0}},
    {"client max 1.2, server min 1.3", {.min_version = "TLSv1.3"}, NULL,
     {.max_version = "TLSv1.2"}},
    {"client min 1.3, server max 1.2", {.max_version = "TLSv1.2"}, NULL,
     {.min_version = "TLSv1.3"}},
    {"no shared cipher, 1.2",
     {.ciphers = "ECDHE-ECDSA-AES256-GCM-SHA384", .max_version = "TLSv1.2"}, NULL,
     {.ciphers = "ECDHE-ECDSA-AES128-GCM-SHA256"}},
    {"no shared suite, 1.3", {.ciphers = "TLS_AES_256_GCM_SHA384"}, NULL,
     {.ciphers = "TLS_AES_128_GCM_SHA256"}},
    {"server has no cipher", {.ciphers = "TLS_AES_128_GCM_SHA256", .max_version = "TLSv1.2"},
     NULL, {0}},
    {"server 1.2 ciphers only", {.ciphers = "ECDHE-ECDSA-AES128-GCM-SHA256"}, NULL, {0}},
    {"server 1.3 suite only", {.ciphers = "TLS_AES_128_GCM_SHA256"}, NULL, {0}},
    {"both 1.2, cipher given", {.ciphers = "ECDHE-ECDSA-AES256-GCM-SHA384"}, NULL,
     {.max_version = "TLSv1.2"}},
    {"server order, the default", {.ciphers = AES128_FIRST, .max_version = "TLSv1.2"}, NULL,
     {.ciphers = AES256_FIRST}},
    {"client order",
     {.ciphers = AES128_FIRST, .max_version = "TLSv1.2", .has_honor_cipher_order = true}, NULL,
     {.ciphers = AES256_FIRST}},
    {"server curve P-256", {.ecdh_curve = "P-256"}, NULL, {0}},
    {"no shared group", {.ecdh_curve = "X25519"}, NULL, {.ecdh_curve = "P-384"}},
    {"client sigalgs", {0}, NULL, {.sigalgs = "ECDSA+SHA384"}},
    {"client sigalgs, shared", {0}, NULL, {.sigalgs = "ECDSA+SHA256:RSA-PSS+SHA256"}},
    {"server without TLS 1.3", {.secure_options = SSL_OP_NO_TLSv1_3}, NULL, {0}},
    /* crl: the CA's CRL, read at run time */
    {"revoked", {.key = "revoked.key", .cert = "revoked.pem"}, NULL, {.crl = "ca.crl"}},
    {"not revoked", {0}, NULL, {.crl = "ca.crl"}},
    {"server pfx", {.pfx_file = "server.pfx", .passphrase = "secret"}, NULL, {0}},
};
#define N_CASES (sizeof cases / sizeof cases[0])

__attribute__((format(printf, 2, 3))) static void note(int side, const char *fmt, ...) {
  if (n_lines[side] == 8) exit(4);
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(sides[side][n_lines[side]++], sizeof sides[0][0], fmt, ap);
  va_end(ap);
}

static void run(int i);

static void on_server_closed(void *object, const cnet_error *err, void *arg) {
  cnet_server_free(server);
  t("case %s", cases[current].name);
  for (int side = 0; side < 2; side++)
    for (int k = 0; k < n_lines[side]; k++) t("%s %s", side ? "C" : "S", sides[side][k]);
  run(current + 1);
}

static void next(void) {
  if (--pending == 0) cnet_server_close(server, on_server_closed, NULL);
}

static void on_close(const cnet_event *ev, void *arg) {
  if (arg) note(1, "close");
  next();
}

/* What each side says once secure: the protocol and cipher, then the
 * server's shared signature algorithms, the client's key exchange group
 * and size and whether it verified the server. */
static void note_secure(int side, const char *event, const cnet_socket *so) {
  cnet_tls_cipher c;
  if (cnet_tls_socket_get_cipher(so, &c) != 0) exit(5);
  char more[400];
  if (side == 0) {
    cnet_tls_socket_get_shared_sigalgs(so, more, sizeof more);
  } else {
    cnet_tls_ephemeral_key_info k;
    if (cnet_tls_socket_get_ephemeral_key_info(so, &k) != 0) exit(5);
    snprintf(more, sizeof more, "%s %d %s", k.name, k.size,
             cnet_tls_socket_authorized(so) ? "true" : "false");
  }
  note(side, "%s %s %s %s", event, cnet_tls_socket_get_protocol(so), c.name, more);
}

static void on_secure_connection(const cnet_event *ev, void *arg) {
  cnet_socket *s = cnet_event_socket(ev);
  note_secure(0, "secureConnection", s);
  cnet_on(s, CNET_EV_CLOSE, on_close, NULL);
  cnet_socket_end(s, NULL, 0, NULL, NULL);
}

static void on_tls_client_error(const cnet_event *ev, void *arg) {
  note(0, "tlsClientError %s", cnet_err_name(ev->error->code));
  next();
}

static void on_error(const cnet_event *ev, void *arg) {
  note(1, "error %s", cnet_err_name(ev->error->code));
}

static void on_data(const cnet_event *ev, void *arg) {}

static void on_secure_connect(void *object, const cnet_error *err, void *arg) {
  note_secure(1, "secureConnect", object);
}

static void on_plain_connect(void *object, const cnet_error *err, void *arg) {
  const char *bytes = arg;
  cnet_socket_write(object, bytes, strlen(bytes), NULL, NULL);
}

static void on_listening(const cnet_event *ev, void *arg) {
  cnet_socket *c;
  if (cases[current].plain) {
    cnet_address a;
    cnet_server_address(server, &a);
    cnet_connect_options net = {.port = a.port, .host = "127.0.0.1"};
    if (cnet_connect(loop, &net, on_plain_connect, (void *)cases[current].plain, &c) != 0)
      exit(3);
  } else {
    cnet_tls_context_options sec = cases[current].client;
    sec.ca = ca;
    char *crl = sec.crl ? tls_certs_read(sec.crl) : NULL;
    sec.crl = crl;
    c = tls_client(server, &sec, on_secure_connect, NULL);
    free(crl);
  }
  cnet_on(c, CNET_EV_DATA, on_data, NULL);
  cnet_on(c, CNET_EV_ERROR, on_error, NULL);
  cnet_on(c, CNET_EV_CLOSE, on_close, "C");
}

static void run(int i) {
  current = i;
  if (i == (int)N_CASES) {
    t("done");
    return;
  }
  n_lines[0] = n_lines[1] = 0;
  cnet_tls_context_options sec = cases[i].server;
  /* key, cert: other files than the server's own */
  char *own_key = sec.key ? tls_certs_read(sec.key) : NULL;
  char *own_cert = sec.cert ? tls_certs_read(sec.cert) : NULL;
  sec.key = own_key ? own_key : sec.pfx_file ? NULL : key;
  sec.cert = own_cert ? own_cert : sec.pfx_file ? NULL : cert;
  cnet_tls_server_options o = {.secure = &sec};
  if (cnet_tls_create_server(loop, &o, on_secure_connection, NULL, &server) != 0) exit(3);
  free(own_key);
  free(own_cert);
  pending = 2;
  cnet_on(server, CNET_EV_TLS_CLIENT_ERROR, on_tls_client_error, NULL);
  cnet_on(server, CNET_EV_LISTENING, on_listening, NULL);
  cnet_server_listen(server, 0, "127.0.0.1", 0);
}

static void start(void) { run(0); }

int main(void) { return tls_scenario(start, NULL); }
