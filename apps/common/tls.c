/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
#include "tls.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* PEM files are small: read whole, so that a file that cannot be read is
 * told apart (with errno's reason) from one OpenSSL refuses (a key that
 * does not match its certificate, which the library's _file options
 * report as unreadable too). */
static char *read_pem(const char *prog, const char *path) {
  FILE *f = fopen(path, "rb");
  char *buf = NULL;
  size_t len = 0, cap = 0, n;
  if (!f) goto fail;
  do {
    if (len + 4096 + 1 > cap) {
      char *grown = realloc(buf, cap = cap * 2 + 4096 + 1);
      if (!grown) {
        errno = ENOMEM;
        goto fail;
      }
      buf = grown;
    }
    len += n = fread(buf + len, 1, cap - len - 1, f);
  } while (n > 0);
  if (ferror(f)) goto fail;
  fclose(f);
  buf[len] = '\0';
  return buf;
fail:
  fprintf(stderr, "%s: TLS: cannot read %s: %s\n", prog, path, strerror(errno));
  if (f) fclose(f);
  free(buf);
  return NULL;
}

/* Which file the library refused, said as that file and what it was to
 * be, with OpenSSL's reason (msg, cnet_last_error()'s). A key that does
 * not match its certificate is said as such; else the certificate is
 * tried alone: if it loads, the key was at fault (CAs are not refused:
 * a trust file without certificates is caught before). */
static void report(const char *prog, const app_tls_files *files, const char *cert,
                   const char *msg) {
  if (strstr(msg, "key values mismatch")) {
    fprintf(stderr, "%s: TLS: the key %s does not match the certificate %s\n", prog,
            files->key, files->cert);
    return;
  }
  char reason[CNET_ERROR_MESSAGE_MAX];
  snprintf(reason, sizeof reason, "%s", msg);
  const char *file = files->key, *what = "the key";
  cnet_tls_context_options alone = {.cert = cert};
  cnet_tls_context *c;
  if (cert && cnet_tls_context_new(&alone, &c) != 0) {
    file = files->cert;
    what = "the certificate";
  } else if (cert) {
    cnet_tls_context_free(c);
  }
  if (file) fprintf(stderr, "%s: TLS: %s: cannot use it as %s: %s\n", prog, file, what, reason);
  else fprintf(stderr, "%s: TLS: %s\n", prog, reason);
}

int app_tls_context_load(const char *prog, const app_tls_files *files,
                         cnet_tls_context **out) {
  if (!files->cert != !files->key) {
    fprintf(stderr, "%s: TLS: %s %s comes without its %s\n", prog,
            files->cert ? "the certificate" : "the key",
            files->cert ? files->cert : files->key,
            files->cert ? "key" : "certificate");
    return -1;
  }
  cnet_tls_context_options o = {0};
  char *cert = NULL, *key = NULL, *trust = NULL;
  int rc = -1;
  if ((files->cert && !(cert = read_pem(prog, files->cert))) ||
      (files->key && !(key = read_pem(prog, files->key))) ||
      (files->trust && !(trust = read_pem(prog, files->trust))))
    goto out;
  /* What OpenSSL would refuse with no reason to give: the wrong file. */
  if (cert && !strstr(cert, "-----BEGIN CERTIFICATE-----")) {
    fprintf(stderr, "%s: TLS: %s: no PEM certificate in it\n", prog, files->cert);
    goto out;
  }
  if (key && !strstr(key, "PRIVATE KEY-----")) {
    fprintf(stderr, "%s: TLS: %s: no PEM private key in it\n", prog, files->key);
    goto out;
  }
  /* The library takes CAs with no certificate in them (as Node does);
   * a trust file that has none is a mistake the tool says at once. */
  if (trust && !strstr(trust, "-----BEGIN CERTIFICATE-----")) {
    fprintf(stderr, "%s: TLS: %s: no PEM certificate in it\n", prog, files->trust);
    goto out;
  }
  o.cert = cert;
  o.key = key;
  o.ca = trust;
  o.honor_cipher_order = true; /* a server's own order, as Node's tls.Server */
  if (cnet_tls_context_new(&o, out) != 0) {
    report(prog, files, cert, cnet_last_error()->message);
    goto out;
  }
  rc = 0;
out:
  free(cert);
  /* The key's text is a secret: not left in freed memory. */
  if (key) {
    explicit_bzero(key, strlen(key));
    free(key);
  }
  free(trust);
  return rc;
}
