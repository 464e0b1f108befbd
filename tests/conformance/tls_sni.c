/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* tls_sni.js in cnet: the certificate a server picks by the name the
 * client asks for: addContext's, an SNI callback's answer given on a
 * later turn, and a callback that fails. */
#include <cnet.h>
#include <stdlib.h>
#include <string.h>

#include "trace.h"
#include "tls_certs.h"

static cnet_server *server;
static cnet_tls_context *alpha, *wild;
static const char *const *names;
static size_t n_names, current;
static void (*then)(void);

static const char *str(const char *s) { return s ? s : "false"; }

static void each(void);

static void on_client_close(const cnet_event *ev, void *arg) {
  t("C close");
  current++;
  each();
}

static void on_error(const cnet_event *ev, void *arg) {
  t("C error %s %s", cnet_err_name(ev->error->code), ev->error->message);
}

static void on_data(const cnet_event *ev, void *arg) {}

static void on_secure_connect(void *object, const cnet_error *err, void *arg) {
  const cnet_tls_certificate *peer;
  if (cnet_tls_socket_get_peer_certificate(object, false, &peer) != 0 || !peer) exit(4);
  const cnet_error *ae = cnet_tls_socket_authorization_error(object);
  t("C secureConnect %s %s %s %s", peer->subject.cn, str(cnet_tls_socket_servername(object)),
    cnet_tls_socket_authorized(object) ? "true" : "false", ae ? cnet_err_name(ae->code) : "null");
  cnet_socket_end(object, NULL, 0, NULL, NULL);
}

static void connect_to(const char *name) {
  cnet_address a;
  cnet_server_address(server, &a);
  cnet_connect_options net = {.port = a.port, .host = "127.0.0.1"};
  cnet_tls_context_options sec = {.ca = ca};
  cnet_tls_connect_options o = {.connect = &net, .secure = &sec, .servername = name,
                                .has_reject_unauthorized = true};
  cnet_socket *c;
  if (cnet_tls_connect(loop, &o, on_secure_connect, NULL, &c) != 0) exit(3);
  cnet_on(c, CNET_EV_DATA, on_data, NULL);
  cnet_on(c, CNET_EV_ERROR, on_error, NULL);
  cnet_on(c, CNET_EV_CLOSE, on_client_close, NULL);
}

static void on_server_closed(void *object, const cnet_error *err, void *arg) {
  cnet_server_free(server);
  then();
}

static void each(void) {
  if (current == n_names) {
    cnet_server_close(server, on_server_closed, NULL);
    return;
  }
  t("name %s", names[current] ? names[current] : "null");
  connect_to(names[current]);
}

static void on_listening(const cnet_event *ev, void *arg) { each(); }

static void on_secure_connection(const cnet_event *ev, void *arg) {
  t("S secureConnection %s", str(cnet_tls_socket_servername(cnet_event_socket(ev))));
}

static void on_tls_client_error(const cnet_event *ev, void *arg) {
  t("S tlsClientError %s", ev->error->message);
}

static void serve(cnet_tls_sni_callback sni, const char *const *list, size_t n) {
  cnet_tls_context_options sec = {.key = key, .cert = cert};
  cnet_tls_server_options o = {.secure = &sec, .sni_callback = sni};
  if (cnet_tls_create_server(loop, &o, on_secure_connection, NULL, &server) != 0) exit(3);
  cnet_on(server, CNET_EV_TLS_CLIENT_ERROR, on_tls_client_error, NULL);
  cnet_on(server, CNET_EV_LISTENING, on_listening, NULL);
  names = list;
  n_names = n;
  current = 0;
}

static void done(void) { t("done"); }

/* ---- an SNI callback that fails ------------------------------------------ */

static void sni_fail(cnet_socket *so, const char *servername, void *arg) {
  cnet_error e;
  cnet_error_set(&e, CNET_EPROTO, "no certificate for %s", servername);
  cnet_tls_sni_answer(so, &e, NULL);
}

static void failing(void) {
  static const char *const list[] = {"alpha.test"};
  t("SNICallback error");
  serve(sni_fail, list, 1);
  then = done;
  cnet_server_listen(server, 0, "127.0.0.1", 0);
}

/* ---- an SNI callback that answers on a later turn ------------------------ */

static struct {
  cnet_immediate im;
  cnet_socket *so;
  bool alpha;
} pending;

static void sni_answer_now(cnet_immediate *im, void *arg) {
  cnet_tls_sni_answer(pending.so, NULL, pending.alpha ? alpha : NULL);
}

static void sni_later(cnet_socket *so, const char *servername, void *arg) {
  t("S SNICallback %s", servername);
  pending.so = so;
  pending.alpha = strcmp(servername, "alpha.test") == 0;
  cnet_set_immediate(loop, &pending.im, sni_answer_now, NULL);
}

static void later(void) {
  static const char *const list[] = {"alpha.test", "nobody.test"};
  t("SNICallback later");
  serve(sni_later, list, 2);
  then = failing;
  cnet_server_listen(server, 0, "127.0.0.1", 0);
}

/* ---- addContext ---------------------------------------------------------- */

static void contexts(void) {
  static const char *const list[] = {"alpha.test", "x.beta.test", "a.b.beta.test",
                                     "nobody.test", NULL};
  t("addContext");
  serve(NULL, list, 5);
  if (cnet_tls_server_add_context(server, "alpha.test", alpha) != 0 ||
      cnet_tls_server_add_context(server, "*.beta.test", wild) != 0)
    exit(3);
  then = later;
  cnet_server_listen(server, 0, "127.0.0.1", 0);
}

static cnet_tls_context *context(const char *k, const char *c) {
  char *kp = tls_certs_read(k), *cp = tls_certs_read(c);
  cnet_tls_context_options sec = {.key = kp, .cert = cp};
  cnet_tls_context *ctx;
  if (cnet_tls_context_new(&sec, &ctx) != 0) exit(3);
  free(kp);
  free(cp);
  return ctx;
}

static void start(void) {
  alpha = context("alpha.key", "alpha.pem");
  wild = context("wild.key", "wild.pem");
  contexts();
}

static void finish(void) {
  cnet_tls_context_free(alpha);
  cnet_tls_context_free(wild);
}

int main(void) { return tls_scenario(start, finish); }
