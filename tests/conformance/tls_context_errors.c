/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* tls_context_errors.js in cnet: the context options that
 * cnet_tls_context_new refuses or takes, with Node's codes and
 * messages. */
#include <cnet.h>
#include <stdlib.h>
#include <string.h>

#include "trace.h"
#include "tls_certs.h"

static void try(const char *name, cnet_tls_context_options o) {
  cnet_tls_context *ctx;
  int rc = cnet_tls_context_new(&o, &ctx);
  if (rc == 0) {
    t("%s ok", name);
    cnet_tls_context_free(ctx);
    return;
  }
  t("%s %s %s %s", name, cnet_error_class(rc), cnet_err_name(rc), cnet_last_error()->message);
}

int main(void) {
  trace_init();
  tls_certs_make();
  if (system("openssl pkey -in server.key -aes256 -passout pass:secret -out encrypted.key") != 0)
    return 2;
  char *short_key = tls_certs_read("server.key"), *self_key = tls_certs_read("self.key");
  char *encrypted = tls_certs_read("encrypted.key");
  short_key[100] = '\0';
  char *key_then_ca = calloc(1, strlen(self_key) + strlen(ca) + 1);
  if (!key_then_ca) return 2;
  strcat(strcat(key_then_ca, self_key), ca);

  try("tls12 cipher", (cnet_tls_context_options){.ciphers = "ECDHE-ECDSA-AES128-GCM-SHA256"});
  try("tls13 suite", (cnet_tls_context_options){.ciphers = "TLS_AES_128_GCM_SHA256"});
  try("both", (cnet_tls_context_options){
                  .ciphers = "TLS_CHACHA20_POLY1305_SHA256:ECDHE-ECDSA-AES128-GCM-SHA256"});
  try("empty", (cnet_tls_context_options){.ciphers = ""});
  try("colons", (cnet_tls_context_options){.ciphers = ":"});
  try("unknown cipher", (cnet_tls_context_options){.ciphers = "nonsense"});
  try("unknown suite", (cnet_tls_context_options){.ciphers = "TLS_nonsense"});
  try("unknown suite, known cipher",
      (cnet_tls_context_options){.ciphers = "ECDHE-ECDSA-AES128-GCM-SHA256:TLS_nonsense"});
  try("tls13 suite, max 1.2", (cnet_tls_context_options){.ciphers = "TLS_AES_128_GCM_SHA256",
                                                          .max_version = "TLSv1.2"});
  try("min TLSv1", (cnet_tls_context_options){.min_version = "TLSv1"});
  try("min TLSv1.1", (cnet_tls_context_options){.min_version = "TLSv1.1"});
  try("min TLSv1.9", (cnet_tls_context_options){.min_version = "TLSv1.9"});
  try("max x", (cnet_tls_context_options){.max_version = "x"});
  try("min above max",
      (cnet_tls_context_options){.min_version = "TLSv1.3", .max_version = "TLSv1.2"});
  try("key garbage", (cnet_tls_context_options){.key = "garbage", .cert = cert});
  try("key cut short", (cnet_tls_context_options){.key = short_key, .cert = cert});
  try("cert garbage", (cnet_tls_context_options){.key = key, .cert = "garbage"});
  try("key mismatch", (cnet_tls_context_options){.key = self_key, .cert = cert});
  try("encrypted key", (cnet_tls_context_options){.key = encrypted, .cert = cert});
  try("encrypted key, passphrase",
      (cnet_tls_context_options){.key = encrypted, .passphrase = "secret", .cert = cert});
  try("encrypted key, wrong passphrase",
      (cnet_tls_context_options){.key = encrypted, .passphrase = "wrong", .cert = cert});
  try("ca garbage", (cnet_tls_context_options){.ca = "garbage"});
  try("ca a key", (cnet_tls_context_options){.ca = self_key});
  try("ca bad base64", (cnet_tls_context_options){
                           .ca = "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"});
  try("ca key then cert", (cnet_tls_context_options){.ca = key_then_ca});
  try("ecdhCurve unknown", (cnet_tls_context_options){.ecdh_curve = "nonsense"});
  try("ecdhCurve empty", (cnet_tls_context_options){.ecdh_curve = ""});
  try("ecdhCurve auto", (cnet_tls_context_options){.ecdh_curve = "auto"});
  try("ecdhCurve list", (cnet_tls_context_options){.ecdh_curve = "X25519:P-256"});
  try("sigalgs empty", (cnet_tls_context_options){.sigalgs = ""});
  try("sigalgs list", (cnet_tls_context_options){.sigalgs = "ECDSA+SHA256:RSA-PSS+SHA256"});
  try("crl garbage", (cnet_tls_context_options){.crl = "garbage"});
  char *crl = tls_certs_read("ca.crl");
  try("crl", (cnet_tls_context_options){.crl = crl});
  free(crl);
  try("pfx", (cnet_tls_context_options){.pfx_file = "server.pfx", .passphrase = "secret"});
  try("pfx without passphrase", (cnet_tls_context_options){.pfx_file = "server.pfx"});
  try("pfx, wrong passphrase",
      (cnet_tls_context_options){.pfx_file = "server.pfx", .passphrase = "wrong"});
  try("pfx garbage", (cnet_tls_context_options){.pfx = "garbage", .pfx_len = 7});
  free(key), free(cert), free(ca), free(short_key), free(self_key), free(encrypted);
  free(key_then_ca);
  return 0;
}
