/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* tls13: see tls13.h. The names of RFC 8446 are kept: ClientHello,
 * Derive-Secret, HKDF-Expand-Label, and so on. */
#define _GNU_SOURCE
#include "tls13.h"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/x509.h>

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#define RECORD_MAX (16384 + 256) /* a TLSCiphertext's body at most */
#define HS_MAX 16384             /* the server's messages after its ServerHello */
#define OUT_MAX (2 * (5 + RECORD_MAX))

/* Content types and handshake message types. */
enum { CT_CCS = 20, CT_ALERT = 21, CT_HANDSHAKE = 22, CT_DATA = 23 };
enum {
  HS_SERVER_HELLO = 2,
  HS_TICKET = 4,
  HS_EXTENSIONS = 8,
  HS_CERTIFICATE = 11,
  HS_CERT_REQUEST = 13,
  HS_CERT_VERIFY = 15,
  HS_FINISHED = 20,
};

enum state { ST_START, ST_SERVER_HELLO, ST_ENCRYPTED, ST_DONE, ST_FAILED };

/* One direction's record protection: AES-128-GCM, its IV and sequence. */
typedef struct dir {
  EVP_CIPHER_CTX *ctx;
  uint8_t iv[12];
  uint64_t seq;
  int enc;
} dir;

struct tls13 {
  int fd;
  enum state st;
  int expect;             /* the next handshake message (ST_ENCRYPTED) */
  EVP_PKEY *share;        /* the X25519 key share, until ServerHello */
  EVP_MD_CTX *transcript; /* SHA-256 of the handshake so far */
  uint8_t hs_secret[32], c_hs[32], s_hs[32];
  dir rd, wr;
  const uint8_t *plain;   /* application data decrypted, not yet read */
  size_t plain_len;
  size_t in_off, in_len;  /* in[in_off, in_len): received, not parsed */
  size_t hs_len;          /* hs[0, hs_len): handshake bytes, not parsed */
  size_t out_off, out_len; /* out[out_off, out_len): still to send */
  char err[160];
  uint8_t in[5 + RECORD_MAX];
  uint8_t hs[HS_MAX];
  uint8_t out[OUT_MAX];
};

/* What every connection shares: fetched algorithms, the secret that does
 * not depend on the connection, and the server certificate's key. */
static EVP_MD *sha256;
static EVP_MAC_CTX *hmac_ctx;
static EVP_CIPHER *aes_gcm;
static EVP_PKEY_CTX *keygen;
static EVP_MD_CTX *scratch;
static uint8_t derived_early[32]; /* Derive-Secret(early secret, "derived", "") */
static uint8_t empty_hash[32];    /* SHA-256 of nothing */
static uint8_t *cert_der;         /* the certificate whose key is in verify_ctx */
static size_t cert_len;
static EVP_PKEY_CTX *verify_ctx;

static int fail(tls13 *t, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(t->err, sizeof t->err, fmt, ap);
  va_end(ap);
  t->st = ST_FAILED;
  return TLS13_ERROR;
}

/* ---- HKDF over HMAC-SHA256 (RFC 5869 as RFC 8446 section 7.1 uses it) -- */

static bool hmac(const uint8_t *key, size_t key_len, const uint8_t *a, size_t a_len,
                 const uint8_t *b, size_t b_len, uint8_t out[32]) {
  size_t n;
  return EVP_MAC_init(hmac_ctx, key, key_len, NULL) == 1 &&
         EVP_MAC_update(hmac_ctx, a, a_len) == 1 &&
         (b_len == 0 || EVP_MAC_update(hmac_ctx, b, b_len) == 1) &&
         EVP_MAC_final(hmac_ctx, out, &n, 32) == 1 && n == 32;
}

/* HKDF-Expand-Label(secret, label, context, len), len <= 32: one block. */
static bool expand_label(const uint8_t secret[32], const char *label, const uint8_t *context,
                         size_t context_len, uint8_t *out, size_t len) {
  uint8_t info[2 + 1 + 6 + 32 + 1 + 32 + 1], block[32];
  size_t label_len = strlen(label), n = 0;
  info[n++] = 0, info[n++] = (uint8_t)len;
  info[n++] = (uint8_t)(6 + label_len);
  memcpy(info + n, "tls13 ", 6), n += 6;
  memcpy(info + n, label, label_len), n += label_len;
  info[n++] = (uint8_t)context_len;
  memcpy(info + n, context, context_len), n += context_len;
  info[n++] = 1; /* T(1) */
  if (!hmac(secret, 32, info, n, NULL, 0, block)) return false;
  memcpy(out, block, len);
  return true;
}

static bool transcript_hash(tls13 *t, uint8_t out[32]) {
  return EVP_MD_CTX_copy_ex(scratch, t->transcript) == 1 &&
         EVP_DigestFinal_ex(scratch, out, NULL) == 1;
}

static bool transcript_add(tls13 *t, const uint8_t *msg, size_t len) {
  return EVP_DigestUpdate(t->transcript, msg, len) == 1;
}

/* A direction's key and IV from its traffic secret; its sequence to 0. */
static bool set_keys(dir *d, const uint8_t secret[32]) {
  uint8_t key[16];
  d->seq = 0;
  return expand_label(secret, "key", NULL, 0, key, sizeof key) &&
         expand_label(secret, "iv", NULL, 0, d->iv, sizeof d->iv) &&
         EVP_CipherInit_ex(d->ctx, aes_gcm, NULL, key, NULL, d->enc) == 1;
}

static void nonce(const dir *d, uint8_t out[12]) {
  memcpy(out, d->iv, 12);
  for (int i = 0; i < 8; i++) out[11 - i] ^= (uint8_t)(d->seq >> (8 * i));
}

/* ---- records ------------------------------------------------------------ */

/* Opens the record at h (header, then n bytes) in place: its content in
 * h + 5, *len bytes, and its real type in *type. */
static int open_record(tls13 *t, uint8_t *h, size_t n, size_t *len, uint8_t *type) {
  uint8_t iv[12], *body = h + 5;
  int k, fin;
  if (n < 17) return fail(t, "record of %zu bytes: too short for AES-GCM", n);
  nonce(&t->rd, iv);
  if (EVP_DecryptInit_ex(t->rd.ctx, NULL, NULL, NULL, iv) != 1 ||
      EVP_DecryptUpdate(t->rd.ctx, NULL, &k, h, 5) != 1 ||
      EVP_DecryptUpdate(t->rd.ctx, body, &k, body, (int)(n - 16)) != 1 ||
      EVP_CIPHER_CTX_ctrl(t->rd.ctx, EVP_CTRL_GCM_SET_TAG, 16, body + n - 16) != 1 ||
      EVP_DecryptFinal_ex(t->rd.ctx, body + k, &fin) != 1)
    return fail(t, "record %llu does not decrypt (bad_record_mac)",
                (unsigned long long)t->rd.seq);
  t->rd.seq++;
  size_t m = n - 16;
  while (m > 0 && body[m - 1] == 0) m--; /* TLSInnerPlaintext's padding */
  if (m == 0) return fail(t, "record with no content type");
  *type = body[m - 1];
  *len = m - 1;
  return 0;
}

/* Seals len bytes of content of the given type as one record at the end
 * of out. */
static int seal_record(tls13 *t, uint8_t type, const uint8_t *data, size_t len) {
  uint8_t iv[12], *h = t->out + t->out_len, *body = h + 5;
  size_t n = len + 1 + 16;
  int k, fin;
  h[0] = CT_DATA, h[1] = 3, h[2] = 3, h[3] = (uint8_t)(n >> 8), h[4] = (uint8_t)n;
  memmove(body, data, len);
  body[len] = type;
  nonce(&t->wr, iv);
  if (EVP_EncryptInit_ex(t->wr.ctx, NULL, NULL, NULL, iv) != 1 ||
      EVP_EncryptUpdate(t->wr.ctx, NULL, &k, h, 5) != 1 ||
      EVP_EncryptUpdate(t->wr.ctx, body, &k, body, (int)len + 1) != 1 ||
      EVP_EncryptFinal_ex(t->wr.ctx, body + k, &fin) != 1 ||
      EVP_CIPHER_CTX_ctrl(t->wr.ctx, EVP_CTRL_GCM_GET_TAG, 16, body + len + 1) != 1)
    return fail(t, "AES-GCM failed");
  t->wr.seq++;
  t->out_len += 5 + n;
  return 0;
}

/* Sends what waits in out: 1 when all of it is gone, else a result. */
static int flush(tls13 *t) {
  while (t->out_off < t->out_len) {
    ssize_t n = send(t->fd, t->out + t->out_off, t->out_len - t->out_off, MSG_NOSIGNAL);
    if (n < 0) {
      if (errno == EAGAIN || errno == EWOULDBLOCK || errno == ENOTCONN) return TLS13_WAIT;
      if (errno == EINTR) continue;
      return fail(t, "send: %s", strerror(errno));
    }
    t->out_off += (size_t)n;
  }
  t->out_off = t->out_len = 0;
  return 1;
}

/* The next whole record in in: 1 with its header at *h and body length
 * *n, 0 when more bytes are needed, or TLS13_ERROR. */
static int next_record(tls13 *t, uint8_t **h, size_t *n) {
  size_t have = t->in_len - t->in_off;
  if (have < 5) return 0;
  uint8_t *p = t->in + t->in_off;
  size_t len = (size_t)p[3] << 8 | p[4];
  if (len > RECORD_MAX) return fail(t, "record of %zu bytes (at most %d)", len, RECORD_MAX);
  if (have < 5 + len) return 0;
  t->in_off += 5 + len;
  *h = p, *n = len;
  return 1;
}

/* More bytes from the socket: 1, or a result. Only when nothing decrypted
 * waits in in (what is parsed moves to the front). */
static int fill(tls13 *t) {
  if (t->in_off > 0) {
    memmove(t->in, t->in + t->in_off, t->in_len - t->in_off);
    t->in_len -= t->in_off;
    t->in_off = 0;
  }
  for (;;) {
    ssize_t n = recv(t->fd, t->in + t->in_len, sizeof t->in - t->in_len, 0);
    if (n > 0) {
      t->in_len += (size_t)n;
      return 1;
    }
    if (n == 0) return TLS13_CLOSED;
    if (errno == EAGAIN || errno == EWOULDBLOCK) return TLS13_WAIT;
    if (errno != EINTR) return fail(t, "recv: %s", strerror(errno));
  }
}

/* The next whole record, reading the socket as needed: 1 with its header
 * at *h and body length *n, else a result. */
static int read_record(tls13 *t, uint8_t **h, size_t *n) {
  for (;;) {
    int r = next_record(t, h, n);
    if (r != 0) return r;
    if ((r = fill(t)) != 1) return r;
  }
}

static int alert(tls13 *t, const uint8_t *p, size_t n) {
  if (n == 2 && p[1] == 0) return TLS13_CLOSED; /* close_notify */
  if (n != 2) return fail(t, "malformed alert");
  return fail(t, "the server sent alert %d", p[1]);
}

/* ---- the handshake ------------------------------------------------------ */

static void put16(uint8_t **p, unsigned v) {
  (*p)[0] = (uint8_t)(v >> 8), (*p)[1] = (uint8_t)v, *p += 2;
}

/* The ClientHello, in a plaintext record, into out. */
static int client_hello(tls13 *t) {
  uint8_t pub[32];
  size_t pub_len = sizeof pub;
  if (EVP_PKEY_generate(keygen, &t->share) != 1 ||
      EVP_PKEY_get_raw_public_key(t->share, pub, &pub_len) != 1 || pub_len != 32)
    return fail(t, "X25519 key generation failed");
  uint8_t *rec = t->out, *msg = rec + 5, *p = msg + 4;
  put16(&p, 0x0303); /* legacy_version */
  if (RAND_bytes(p, 32) != 1) return fail(t, "no random bytes");
  p += 32;
  *p++ = 32; /* legacy_session_id: a fresh one, as compatibility mode has */
  if (RAND_bytes(p, 32) != 1) return fail(t, "no random bytes");
  p += 32;
  put16(&p, 2), put16(&p, 0x1301); /* TLS_AES_128_GCM_SHA256 */
  *p++ = 1, *p++ = 0;              /* no compression */
  uint8_t *ext_len = p;
  p += 2;
  put16(&p, 43), put16(&p, 3), *p++ = 2, put16(&p, 0x0304); /* supported_versions */
  put16(&p, 10), put16(&p, 4), put16(&p, 2), put16(&p, 0x001d); /* groups: x25519 */
  put16(&p, 13), put16(&p, 4), put16(&p, 2), put16(&p, 0x0403); /* ecdsa_secp256r1_sha256 */
  /* psk_key_exchange_modes (psk_dhe_ke): what clients send, and what
   * servers send their tickets for, as they do to any client. */
  put16(&p, 45), put16(&p, 2), *p++ = 1, *p++ = 1;
  put16(&p, 51), put16(&p, 38), put16(&p, 36), put16(&p, 0x001d), put16(&p, 32); /* key_share */
  memcpy(p, pub, 32), p += 32;
  put16(&ext_len, (unsigned)(p - ext_len - 2));
  size_t body = (size_t)(p - msg - 4);
  msg[0] = 1, msg[1] = 0, msg[2] = (uint8_t)(body >> 8), msg[3] = (uint8_t)body;
  rec[0] = CT_HANDSHAKE, rec[1] = 3, rec[2] = 1;
  rec[3] = (uint8_t)((body + 4) >> 8), rec[4] = (uint8_t)(body + 4);
  t->out_off = 0, t->out_len = 5 + 4 + body;
  return transcript_add(t, msg, 4 + body) ? 0 : fail(t, "SHA-256 failed");
}

static const uint8_t hello_retry[32] = {
    0xcf, 0x21, 0xad, 0x74, 0xe5, 0x9a, 0x61, 0x11, 0xbe, 0x1d, 0x8c, 0x02, 0x1e, 0x65, 0xb8, 0x91,
    0xc2, 0xa2, 0x11, 0x16, 0x7a, 0xbb, 0x8c, 0x5e, 0x07, 0x9e, 0x09, 0xe2, 0xc8, 0xa8, 0x33, 0x9c};

/* The ServerHello (alone in its record, as servers send it): the shared
 * secret, then the handshake traffic keys. */
static int server_hello(tls13 *t, const uint8_t *rec, size_t n) {
  if (n < 4 || rec[0] != HS_SERVER_HELLO) return fail(t, "expected a ServerHello");
  size_t len = (size_t)rec[1] << 16 | (size_t)rec[2] << 8 | rec[3];
  if (4 + len != n) return fail(t, "ServerHello not alone in its record");
  const uint8_t *p = rec + 4, *end = p + len, *server_share = NULL;
  bool version_ok = false;
  if (len < 2 + 32 + 1) return fail(t, "short ServerHello");
  if (memcmp(p + 2, hello_retry, 32) == 0) return fail(t, "HelloRetryRequest");
  p += 34;
  size_t sid = *p++;
  if ((size_t)(end - p) < sid + 2 + 1 + 2) return fail(t, "short ServerHello");
  p += sid;
  if (p[0] != 0x13 || p[1] != 0x01) return fail(t, "the server chose suite %02x%02x", p[0], p[1]);
  p += 3;
  size_t ext = (size_t)p[0] << 8 | p[1];
  p += 2;
  if ((size_t)(end - p) != ext) return fail(t, "bad ServerHello extensions");
  while (end - p >= 4) {
    unsigned type = (unsigned)p[0] << 8 | p[1];
    size_t elen = (size_t)p[2] << 8 | p[3];
    p += 4;
    if ((size_t)(end - p) < elen) return fail(t, "bad ServerHello extension");
    if (type == 43 && elen == 2 && p[0] == 3 && p[1] == 4) version_ok = true;
    if (type == 51 && elen == 36 && p[0] == 0 && p[1] == 0x1d && p[2] == 0 && p[3] == 32)
      server_share = p + 4;
    p += elen;
  }
  if (!version_ok) return fail(t, "the server did not choose TLS 1.3");
  if (!server_share) return fail(t, "no X25519 key share in the ServerHello");
  if (!transcript_add(t, rec, n)) return fail(t, "SHA-256 failed");

  uint8_t shared[32], th[32];
  size_t shared_len = sizeof shared;
  EVP_PKEY *peer = EVP_PKEY_new_raw_public_key(EVP_PKEY_X25519, NULL, server_share, 32);
  EVP_PKEY_CTX *dctx = EVP_PKEY_CTX_new(t->share, NULL);
  bool ok = peer && dctx && EVP_PKEY_derive_init(dctx) == 1 &&
            EVP_PKEY_derive_set_peer(dctx, peer) == 1 &&
            EVP_PKEY_derive(dctx, shared, &shared_len) == 1 && shared_len == 32;
  EVP_PKEY_CTX_free(dctx);
  EVP_PKEY_free(peer);
  EVP_PKEY_free(t->share);
  t->share = NULL;
  if (!ok) return fail(t, "X25519 with the server's share failed");
  if (!hmac(derived_early, 32, shared, 32, NULL, 0, t->hs_secret) || !transcript_hash(t, th) ||
      !expand_label(t->hs_secret, "c hs traffic", th, 32, t->c_hs, 32) ||
      !expand_label(t->hs_secret, "s hs traffic", th, 32, t->s_hs, 32) ||
      !set_keys(&t->rd, t->s_hs) || !set_keys(&t->wr, t->c_hs))
    return fail(t, "key schedule failed");
  OPENSSL_cleanse(shared, sizeof shared);
  t->st = ST_ENCRYPTED;
  t->expect = HS_EXTENSIONS;
  return 0;
}

/* The server certificate's key, into verify_ctx: decoded once for as long
 * as the certificate's bytes are the same. */
static int certificate(tls13 *t, const uint8_t *p, size_t len) {
  if (len < 1 + 3 + 3 || p[0] != 0) return fail(t, "bad Certificate");
  size_t list = (size_t)p[1] << 16 | (size_t)p[2] << 8 | p[3];
  size_t der_len = (size_t)p[4] << 16 | (size_t)p[5] << 8 | p[6];
  if (list + 4 != len || der_len + 3 > list) return fail(t, "bad Certificate");
  const uint8_t *der = p + 7;
  if (verify_ctx && der_len == cert_len && memcmp(der, cert_der, der_len) == 0) return 0;
  EVP_PKEY_CTX_free(verify_ctx), verify_ctx = NULL;
  free(cert_der), cert_der = NULL;
  X509 *x = d2i_X509(NULL, &der, (long)der_len);
  EVP_PKEY *key = x ? X509_get0_pubkey(x) : NULL;
  if (key && EVP_PKEY_is_a(key, "EC")) verify_ctx = EVP_PKEY_CTX_new(key, NULL);
  X509_free(x); /* verify_ctx holds its own reference to the key */
  if (!verify_ctx) return fail(t, "the certificate's key is not an EC key OpenSSL reads");
  if (!(cert_der = malloc(der_len))) return fail(t, "out of memory");
  memcpy(cert_der, p + 7, der_len);
  cert_len = der_len;
  return 0;
}

/* CertificateVerify: ECDSA P-256 with SHA-256 over the transcript. */
static int certificate_verify(tls13 *t, const uint8_t *p, size_t len) {
  static const char context[] = "TLS 1.3, server CertificateVerify";
  uint8_t content[64 + sizeof context + 32], digest[32];
  if (len < 4 || p[0] != 4 || p[1] != 3) return fail(t, "CertificateVerify not ecdsa_secp256r1_sha256");
  size_t sig_len = (size_t)p[2] << 8 | p[3];
  if (sig_len + 4 != len) return fail(t, "bad CertificateVerify");
  memset(content, 0x20, 64);
  memcpy(content + 64, context, sizeof context); /* with its 0 byte */
  if (!transcript_hash(t, content + 64 + sizeof context) ||
      EVP_Digest(content, sizeof content, digest, NULL, sha256, NULL) != 1)
    return fail(t, "SHA-256 failed");
  if (EVP_PKEY_verify_init(verify_ctx) != 1 ||
      EVP_PKEY_verify(verify_ctx, p + 4, sig_len, digest, sizeof digest) != 1)
    return fail(t, "the server's CertificateVerify signature is wrong");
  return 0;
}

/* The server's Finished, checked; the client's, sealed into out; then the
 * application traffic keys. */
static int finished(tls13 *t, const uint8_t *msg, size_t len) {
  uint8_t th[32], key[32], want[32], secret[32], master[32], zero[32] = {0};
  if (len != 32) return fail(t, "Finished of %zu bytes", len);
  if (!transcript_hash(t, th) || !expand_label(t->s_hs, "finished", NULL, 0, key, 32) ||
      !hmac(key, 32, th, 32, NULL, 0, want))
    return fail(t, "key schedule failed");
  if (CRYPTO_memcmp(want, msg + 4, 32) != 0) return fail(t, "the server's Finished is wrong");
  if (!transcript_add(t, msg, 4 + len) || !transcript_hash(t, th))
    return fail(t, "SHA-256 failed");
  uint8_t fin[4 + 32] = {HS_FINISHED, 0, 0, 32};
  if (!expand_label(t->c_hs, "finished", NULL, 0, key, 32) ||
      !hmac(key, 32, th, 32, NULL, 0, fin + 4) ||
      !expand_label(t->hs_secret, "derived", empty_hash, 32, secret, 32) ||
      !hmac(secret, 32, zero, 32, NULL, 0, master))
    return fail(t, "key schedule failed");
  if (seal_record(t, CT_HANDSHAKE, fin, sizeof fin) < 0) return TLS13_ERROR;
  if (!expand_label(master, "c ap traffic", th, 32, secret, 32) || !set_keys(&t->wr, secret) ||
      !expand_label(master, "s ap traffic", th, 32, secret, 32) || !set_keys(&t->rd, secret))
    return fail(t, "key schedule failed");
  t->st = ST_DONE;
  return 0;
}

/* One handshake message (msg: its 4-byte header, then len bytes). */
static int handshake_message(tls13 *t, const uint8_t *msg, size_t len) {
  const uint8_t *body = msg + 4;
  int r = 0;
  if (msg[0] == HS_CERT_REQUEST) return fail(t, "the server asks for a client certificate");
  if (msg[0] != t->expect) return fail(t, "handshake message %d where %d was due", msg[0], t->expect);
  switch (msg[0]) {
  case HS_EXTENSIONS: t->expect = HS_CERTIFICATE; break;
  case HS_CERTIFICATE:
    r = certificate(t, body, len);
    t->expect = HS_CERT_VERIFY;
    break;
  case HS_CERT_VERIFY:
    r = certificate_verify(t, body, len);
    t->expect = HS_FINISHED;
    break;
  case HS_FINISHED: return finished(t, msg, len); /* adds itself to the transcript */
  }
  if (r < 0) return r;
  return transcript_add(t, msg, 4 + len) ? 0 : fail(t, "SHA-256 failed");
}

/* One record of the handshake. */
static int handshake_record(tls13 *t, uint8_t *h, size_t n) {
  uint8_t *body = h + 5, type;
  if (h[0] == CT_CCS) /* compatibility mode's: no meaning in TLS 1.3 */
    return n == 1 && body[0] == 1 ? 0 : fail(t, "bad change_cipher_spec");
  if (h[0] == CT_ALERT) return alert(t, body, n);
  if (t->st == ST_SERVER_HELLO) {
    if (h[0] != CT_HANDSHAKE) return fail(t, "record of type %d before ServerHello", h[0]);
    return server_hello(t, body, n);
  }
  if (h[0] != CT_DATA) return fail(t, "plaintext record of type %d after ServerHello", h[0]);
  if (open_record(t, h, n, &n, &type) < 0) return TLS13_ERROR;
  if (type == CT_ALERT) return alert(t, body, n);
  if (type != CT_HANDSHAKE) return fail(t, "record of type %d during the handshake", type);
  if (n > HS_MAX - t->hs_len) return fail(t, "the server's handshake is over %d bytes", HS_MAX);
  memcpy(t->hs + t->hs_len, body, n);
  t->hs_len += n;
  size_t off = 0;
  while (t->st == ST_ENCRYPTED && t->hs_len - off >= 4) {
    const uint8_t *m = t->hs + off;
    size_t len = (size_t)m[1] << 16 | (size_t)m[2] << 8 | m[3];
    if (t->hs_len - off - 4 < len) break; /* the rest in the next record */
    if (handshake_message(t, m, len) < 0) return TLS13_ERROR;
    off += 4 + len;
  }
  if (t->st == ST_DONE && off != t->hs_len) return fail(t, "handshake bytes after Finished");
  memmove(t->hs, t->hs + off, t->hs_len - off);
  t->hs_len -= off;
  return 0;
}

/* ---- the calls of tls13.h ----------------------------------------------- */

int tls13_init(const char **why) {
  static const uint8_t zero[32];
  uint8_t early[32];
  OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, "SHA256", 0),
                         OSSL_PARAM_construct_end()};
  EVP_MAC *mac = EVP_MAC_fetch(NULL, "HMAC", NULL);
  sha256 = EVP_MD_fetch(NULL, "SHA256", NULL);
  aes_gcm = EVP_CIPHER_fetch(NULL, "AES-128-GCM", NULL);
  hmac_ctx = mac ? EVP_MAC_CTX_new(mac) : NULL;
  EVP_MAC_free(mac);
  keygen = EVP_PKEY_CTX_new_from_name(NULL, "X25519", NULL);
  scratch = EVP_MD_CTX_new();
  if (!sha256 || !aes_gcm || !hmac_ctx || !keygen || !scratch ||
      EVP_MAC_CTX_set_params(hmac_ctx, params) != 1 || EVP_PKEY_keygen_init(keygen) != 1 ||
      EVP_Digest("", 0, empty_hash, NULL, sha256, NULL) != 1 ||
      !hmac(zero, 32, zero, 32, NULL, 0, early) || /* HKDF-Extract(0, 0) */
      !expand_label(early, "derived", empty_hash, 32, derived_early, 32)) {
    *why = "OpenSSL lacks SHA-256, HMAC, AES-128-GCM or X25519";
    return -1;
  }
  return 0;
}

tls13 *tls13_new(int fd) {
  tls13 *t = malloc(sizeof *t);
  if (!t) return NULL;
  t->fd = fd;
  t->st = ST_START;
  t->expect = 0;
  t->share = NULL;
  t->plain = NULL;
  t->plain_len = t->in_off = t->in_len = t->hs_len = t->out_off = t->out_len = 0;
  t->err[0] = 0;
  t->rd.enc = 0, t->wr.enc = 1;
  t->transcript = EVP_MD_CTX_new();
  t->rd.ctx = EVP_CIPHER_CTX_new();
  t->wr.ctx = EVP_CIPHER_CTX_new();
  if (!t->transcript || !t->rd.ctx || !t->wr.ctx ||
      EVP_DigestInit_ex(t->transcript, sha256, NULL) != 1 || client_hello(t) < 0) {
    tls13_free(t);
    return NULL;
  }
  return t;
}

void tls13_free(tls13 *t) {
  if (!t) return;
  EVP_MD_CTX_free(t->transcript);
  EVP_CIPHER_CTX_free(t->rd.ctx);
  EVP_CIPHER_CTX_free(t->wr.ctx);
  EVP_PKEY_free(t->share);
  OPENSSL_cleanse(t->hs_secret, sizeof t->hs_secret);
  OPENSSL_cleanse(t->c_hs, sizeof t->c_hs);
  OPENSSL_cleanse(t->s_hs, sizeof t->s_hs);
  free(t);
}

int tls13_handshake(tls13 *t) {
  if (t->st == ST_DONE) return 1;
  if (t->st == ST_FAILED) return TLS13_ERROR;
  int r = flush(t);
  if (r != 1) return r;
  if (t->st == ST_START) t->st = ST_SERVER_HELLO;
  for (;;) {
    uint8_t *h;
    size_t n;
    if ((r = read_record(t, &h, &n)) != 1) return r;
    if ((r = handshake_record(t, h, n)) != 0) return r;
    /* The client's Finished waits in out, to leave with the first write. */
    if (t->st == ST_DONE) return 1;
  }
}

ssize_t tls13_write(tls13 *t, const void *buf, size_t len) {
  if (t->st != ST_DONE) return t->st == ST_FAILED ? TLS13_ERROR : fail(t, "write before the handshake");
  if (t->out_off > 0) {
    memmove(t->out, t->out + t->out_off, t->out_len - t->out_off);
    t->out_len -= t->out_off;
    t->out_off = 0;
  }
  size_t done = 0;
  while (done < len && OUT_MAX - t->out_len > 5 + 1 + 16) {
    size_t k = OUT_MAX - t->out_len - (5 + 1 + 16);
    if (k > 16384) k = 16384;
    if (k > len - done) k = len - done;
    if (seal_record(t, CT_DATA, (const uint8_t *)buf + done, k) < 0) return TLS13_ERROR;
    done += k;
  }
  int r = flush(t); /* what the socket does not take leaves with the next call */
  if (r == TLS13_ERROR) return r;
  return done ? (ssize_t)done : TLS13_WAIT;
}

ssize_t tls13_read(tls13 *t, void *buf, size_t len) {
  if (t->st != ST_DONE) return t->st == ST_FAILED ? TLS13_ERROR : fail(t, "read before the handshake");
  int r = flush(t);
  if (r != 1) return r;
  for (;;) {
    if (t->plain_len > 0) {
      size_t k = t->plain_len < len ? t->plain_len : len;
      memcpy(buf, t->plain, k);
      t->plain += k, t->plain_len -= k;
      return (ssize_t)k;
    }
    uint8_t *h, type;
    size_t n;
    if ((r = read_record(t, &h, &n)) != 1) return r;
    if (h[0] != CT_DATA) return fail(t, "plaintext record of type %d after the handshake", h[0]);
    if (open_record(t, h, n, &n, &type) < 0) return TLS13_ERROR;
    const uint8_t *body = h + 5;
    if (type == CT_DATA) {
      t->plain = body, t->plain_len = n;
    } else if (type == CT_ALERT) {
      return alert(t, body, n);
    } else if (type == CT_HANDSHAKE) {
      /* NewSessionTickets, whole in their record as servers send them:
       * dropped, there is no resumption. */
      for (size_t off = 0; off < n;) {
        const uint8_t *m = body + off;
        if (m[0] != HS_TICKET) return fail(t, "handshake message %d after the handshake", m[0]);
        size_t mlen = n - off < 4 ? 0 : (size_t)m[1] << 16 | (size_t)m[2] << 8 | m[3];
        if (n - off < 4 || mlen > n - off - 4)
          return fail(t, "NewSessionTicket split across records");
        off += 4 + mlen;
      }
    } else {
      return fail(t, "record of type %d", type);
    }
  }
}

const char *tls13_error(const tls13 *t) { return t->err[0] ? t->err : "no error"; }
