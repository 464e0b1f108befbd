/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* tls_socket_methods.js in cnet: getEphemeralKeyInfo, getFinished,
 * getPeerFinished, getSharedSigalgs, exportKeyingMaterial and
 * setMaxSendFragment, before and after the handshake, TLS 1.3 and 1.2. */
#include <cnet.h>
#include <stdlib.h>
#include <string.h>

#include "trace.h"
#include "tls_certs.h"

static cnet_server *server;
static cnet_socket *s, *c;
static int pending, current;
static const char *versions[] = {"TLSv1.3", "TLSv1.2"};

/* Node's getEphemeralKeyInfo() as the script prints it. */
static const char *info(const cnet_socket *so, char *buf, size_t size) {
  cnet_tls_ephemeral_key_info i;
  if (cnet_tls_socket_get_ephemeral_key_info(so, &i) != 0) return "null";
  if (!i.type) return "undefined undefined undefined";
  snprintf(buf, size, "%s %s %d", i.type, i.name ? i.name : "undefined", i.size);
  return buf;
}

/* The keying material, or the error's code and message. */
static int ekm(const cnet_socket *so, size_t len, const char *label, const char *context,
               unsigned char *out) {
  int rc = cnet_tls_socket_export_keying_material(so, out, len, label, context,
                                                  context ? strlen(context) : 0);
  if (rc) snprintf((char *)out, 400, "%s %s", cnet_err_name(rc), cnet_last_error()->message);
  return rc;
}

static void run(int i);

static void on_server_closed(void *object, const cnet_error *err, void *arg) {
  cnet_server_free(server);
  run(current + 1);
}

static void on_s_close(const cnet_event *ev, void *arg) {
  cnet_server_close(server, on_server_closed, NULL);
}

static void on_data(const cnet_event *ev, void *arg) {}

static void check(void) {
  char b1[64], b2[64];
  t("C ephemeral %s", info(c, b1, sizeof b1));
  t("S ephemeral %s", info(s, b2, sizeof b2));
  unsigned char cf[64], cpf[64], sf[64], spf[64];
  size_t ncf = cnet_tls_socket_get_finished(c, cf, sizeof cf);
  size_t ncpf = cnet_tls_socket_get_peer_finished(c, cpf, sizeof cpf);
  size_t nsf = cnet_tls_socket_get_finished(s, sf, sizeof sf);
  size_t nspf = cnet_tls_socket_get_peer_finished(s, spf, sizeof spf);
  t("finished %zu %zu %s %s", ncf, ncpf,
    ncf == nspf && memcmp(cf, spf, ncf) == 0 ? "true" : "false",
    ncpf == nsf && memcmp(cpf, sf, nsf) == 0 ? "true" : "false");
  char algs[1024];
  cnet_tls_socket_get_shared_sigalgs(c, algs, sizeof algs);
  t("C sigalgs %s", algs);
  cnet_tls_socket_get_shared_sigalgs(s, algs, sizeof algs);
  t("S sigalgs %s", algs);
  unsigned char a[400], b[400], none[400], empty[400];
  if (ekm(c, 32, "EXPORTER-cnet", "ctx", a) || ekm(s, 32, "EXPORTER-cnet", "ctx", b) ||
      ekm(c, 32, "EXPORTER-cnet", NULL, none) || ekm(c, 32, "EXPORTER-cnet", "", empty))
    exit(4);
  t("ekm agree 32 %s", memcmp(a, b, 32) == 0 ? "true" : "false");
  t("ekm contexts differ %s %s", memcmp(a, none, 32) ? "true" : "false",
    memcmp(none, empty, 32) ? "true" : "false");
  ekm(c, 0, "EXPORTER-cnet", NULL, a);
  t("ekm 0 %s", (char *)a);
  t("ekm reserved %s", ekm(c, 16, "client finished", NULL, a) ? (char *)a : "ok");
  const size_t sizes[] = {511, 512, 16384, 16385};
  for (int k = 0; k < 4; k++)
    t("setMaxSendFragment %zu %s", sizes[k],
      cnet_tls_socket_set_max_send_fragment(c, sizes[k]) ? "true" : "false");
  cnet_socket_end(c, NULL, 0, NULL, NULL);
}

static void both(void) {
  if (--pending == 0) check();
}

static void on_secure_connection(const cnet_event *ev, void *arg) {
  s = cnet_event_socket(ev);
  cnet_on(s, CNET_EV_DATA, on_data, NULL);
  cnet_on(s, CNET_EV_CLOSE, on_s_close, NULL);
  both();
}

static void on_secure_connect(void *object, const cnet_error *err, void *arg) { both(); }

static void on_listening(const cnet_event *ev, void *arg) {
  c = tls_client(server, NULL, on_secure_connect, NULL);
  char b[64];
  unsigned char e[400];
  char algs[16];
  ekm(c, 16, "EXPORTER-cnet", NULL, e);
  t("C before %s %s %s %zu %s", info(c, b, sizeof b),
    cnet_tls_socket_get_finished(c, NULL, 0) ? "?" : "undefined",
    cnet_tls_socket_get_peer_finished(c, NULL, 0) ? "?" : "undefined",
    cnet_tls_socket_get_shared_sigalgs(c, algs, sizeof algs), (char *)e);
  cnet_on(c, CNET_EV_DATA, on_data, NULL);
}

static void run(int i) {
  current = i;
  if (i == 2) {
    t("done");
    return;
  }
  t("case %s", versions[i]);
  pending = 2;
  cnet_tls_context_options sec = {.key = key, .cert = cert, .max_version = versions[i]};
  cnet_tls_server_options o = {.secure = &sec};
  if (cnet_tls_create_server(loop, &o, on_secure_connection, NULL, &server) != 0) exit(3);
  cnet_on(server, CNET_EV_LISTENING, on_listening, NULL);
  cnet_server_listen(server, 0, "127.0.0.1", 0);
}

static void start(void) { run(0); }

int main(void) { return tls_scenario(start, NULL); }
