/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* What the TLS targets share: a key and a self-signed certificate made in
 * memory once per process (no file, no key in the repository), a Unix
 * socket path of the process's own, and the peer: one end of a Unix
 * connection that speaks TLS through OpenSSL itself or writes raw bytes.
 * Unix sockets deliver within the send call, so "run the loop and the
 * peer until nothing moves" is deterministic. */
#ifndef CNET_TLS_FUZZ_H
#define CNET_TLS_FUZZ_H

#include <errno.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cnet.h>

#include "fuzz.h"

/* Turns of nothing moving before a step counts as done, and the most a
 * step may take before it counts as a hang. */
#define TLS_QUIET_TURNS 3
#define TLS_MAX_TURNS 20000

typedef struct tls_material {
  EVP_PKEY *key;
  X509 *cert;
  char *key_pem, *cert_pem;
  char path[108]; /* a Unix socket path of this process */
} tls_material;

static char *tls_pem_of(BIO *b) {
  char *p;
  long n = BIO_get_mem_data(b, &p);
  char *s = malloc((size_t)n + 1);
  FUZZ_CHECK(s != NULL);
  memcpy(s, p, (size_t)n);
  s[n] = '\0';
  BIO_free(b);
  return s;
}

/* A P-256 key and a certificate for "localhost" it signs itself. */
static const tls_material *tls_material_get(void) {
  static tls_material m;
  if (m.key) return &m;
  signal(SIGPIPE, SIG_IGN);
  m.key = EVP_EC_gen("P-256");
  m.cert = X509_new();
  FUZZ_CHECK(m.key && m.cert);
  X509_set_version(m.cert, 2);
  ASN1_INTEGER_set(X509_get_serialNumber(m.cert), 1);
  X509_gmtime_adj(X509_getm_notBefore(m.cert), -3600);
  X509_gmtime_adj(X509_getm_notAfter(m.cert), 3600L * 24 * 365);
  X509_NAME *name = X509_get_subject_name(m.cert);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, (const unsigned char *)"localhost",
                             -1, -1, 0);
  X509_set_issuer_name(m.cert, name);
  X509_set_pubkey(m.cert, m.key);
  FUZZ_CHECK(X509_sign(m.cert, m.key, EVP_sha256()) > 0);
  BIO *kb = BIO_new(BIO_s_mem()), *cb = BIO_new(BIO_s_mem());
  FUZZ_CHECK(PEM_write_bio_PrivateKey(kb, m.key, NULL, NULL, 0, NULL, NULL) == 1);
  FUZZ_CHECK(PEM_write_bio_X509(cb, m.cert) == 1);
  m.key_pem = tls_pem_of(kb);
  m.cert_pem = tls_pem_of(cb);
  snprintf(m.path, sizeof m.path, "/tmp/cnet-fuzz-tls-%ld.sock", (long)getpid());
  return &m;
}

/* ---- the peer ------------------------------------------------------------ */

typedef struct tls_peer {
  int fd;
  SSL *ssl;     /* NULL: raw bytes only */
  bool raw;     /* raw bytes went out: read raw from now on */
  bool eof;     /* the other end closed, reset, or its TLS failed */
  bool secure;  /* the handshake is done */
  fuzz_buf got; /* plaintext received (raw bytes once raw) */
} tls_peer;

static SSL_CTX *tls_peer_ctx(bool server) {
  static SSL_CTX *ctx[2];
  if (ctx[server]) return ctx[server];
  const tls_material *m = tls_material_get();
  SSL_CTX *c = SSL_CTX_new(server ? TLS_server_method() : TLS_client_method());
  FUZZ_CHECK(c != NULL);
  if (server) {
    FUZZ_CHECK(SSL_CTX_use_certificate(c, m->cert) == 1);
    FUZZ_CHECK(SSL_CTX_use_PrivateKey(c, m->key) == 1);
    SSL_CTX_set_num_tickets(c, 0);
  }
  SSL_CTX_set_verify(c, SSL_VERIFY_NONE, NULL);
  ctx[server] = c;
  return c;
}

/* TLS through OpenSSL on fd, as a client or a server, with the version
 * tls13 picks: the same version every run of an input. */
static void tls_peer_start(tls_peer *p, int fd, bool server, bool tls13) {
  memset(p, 0, sizeof *p);
  p->fd = fd;
  p->ssl = SSL_new(tls_peer_ctx(server));
  FUZZ_CHECK(p->ssl != NULL);
  int v = tls13 ? TLS1_3_VERSION : TLS1_2_VERSION;
  SSL_set_min_proto_version(p->ssl, v);
  SSL_set_max_proto_version(p->ssl, v);
  SSL_set_fd(p->ssl, fd);
  if (server) SSL_set_accept_state(p->ssl);
  else SSL_set_connect_state(p->ssl);
}

static bool tls_peer_read_raw(tls_peer *p) {
  bool moved = false;
  for (;;) {
    char buf[16384];
    ssize_t n = recv(p->fd, buf, sizeof buf, MSG_DONTWAIT);
    if (n > 0) {
      fuzz_buf_add(&p->got, buf, (size_t)n);
      moved = true;
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n == 0 || errno != EAGAIN) p->eof = moved = true;
    return moved;
  }
}

/* Moves the peer's side on: the handshake, then what there is to read.
 * True if anything moved. */
static bool tls_peer_pump(tls_peer *p) {
  if (p->eof) return false;
  if (!p->ssl || p->raw) return tls_peer_read_raw(p);
  BIO *b = SSL_get_rbio(p->ssl);
  uint64_t before = BIO_number_read(b) + BIO_number_written(b);
  for (;;) {
    char buf[16384];
    int n = p->secure ? SSL_read(p->ssl, buf, sizeof buf) : SSL_do_handshake(p->ssl);
    if (n > 0 && p->secure) {
      fuzz_buf_add(&p->got, buf, (size_t)n);
      continue;
    }
    if (n == 1 && !p->secure) {
      p->secure = true;
      continue;
    }
    int e = SSL_get_error(p->ssl, n);
    if (e != SSL_ERROR_WANT_READ && e != SSL_ERROR_WANT_WRITE) p->eof = true;
    break;
  }
  ERR_clear_error();
  return p->eof || BIO_number_read(b) + BIO_number_written(b) != before;
}

/* Plaintext through TLS (the peer is secure and not raw). */
static void tls_peer_write(tls_peer *p, const uint8_t *data, size_t len) {
  if (len && !p->eof && SSL_write(p->ssl, data, (int)len) <= 0) p->eof = true;
  ERR_clear_error();
}

static void tls_peer_free(tls_peer *p) {
  if (p->ssl) SSL_free(p->ssl);
  if (p->fd >= 0) close(p->fd);
  fuzz_buf_free(&p->got);
  ERR_clear_error();
  p->ssl = NULL;
  p->fd = -1;
  p->eof = true;
}

/* How the bytes of a step reach the other side. */
enum tls_split { TLS_WHOLE, TLS_BYTES, TLS_RANDOM };

/* Runs the loop and the peer until nothing has moved for a few turns;
 * *events counts what cnet emitted. */
static void tls_settle(cnet_loop *loop, tls_peer *p, const unsigned *events) {
  unsigned seen = *events;
  int quiet = 0;
  for (int turns = 0; quiet < TLS_QUIET_TURNS; turns++) {
    FUZZ_CHECK(turns < TLS_MAX_TURNS);
    FUZZ_CHECK(cnet_loop_run(loop, CNET_RUN_NOWAIT) >= 0);
    bool moved = tls_peer_pump(p) || *events != seen;
    seen = *events;
    quiet = moved ? 0 : quiet + 1;
  }
}

/* Raw bytes to the other side, cut as how says, the loop run after
 * each piece. */
static void tls_send_raw(cnet_loop *loop, tls_peer *p, const unsigned *events,
                         const uint8_t *data, size_t len, enum tls_split how, fuzz_rng *g) {
  if (p->ssl) p->raw = true;
  size_t at = 0;
  while (at < len && !p->eof) {
    size_t n = how == TLS_WHOLE ? len - at : how == TLS_BYTES ? 1 : fuzz_chunk(g, len - at);
    ssize_t sent = send(p->fd, data + at, n, MSG_DONTWAIT | MSG_NOSIGNAL);
    if (sent < 0 && (errno == EAGAIN || errno == EINTR)) {
      tls_settle(loop, p, events);
      continue;
    }
    if (sent < 0) break; /* cnet closed the connection */
    at += (size_t)sent;
    tls_settle(loop, p, events);
  }
}

/* Checks an error cnet reported: it has a code and a message. */
/* After the handshake, the peer's part of a case: steps read from in,
 * each an op and up to 255 bytes: plaintext through TLS (kept in sent),
 * raw bytes (from then on nothing goes through TLS), close_notify, or a
 * FIN; cnet's side runs until it rests after each. raw and shut are the
 * case's: what the peer did, for its checks at the end. */
enum { TLS_OP_PLAIN, TLS_OP_RAW, TLS_OP_CLOSE_NOTIFY, TLS_OP_FIN };
#define TLS_MAX_STEPS 32

typedef struct tls_play_state {
  cnet_loop *loop;
  tls_peer *peer;
  const unsigned *events;
  fuzz_buf *sent;
  bool *raw, *shut;
} tls_play_state;

static void tls_play(const tls_play_state *s, fuzz_reader *in, enum tls_split how,
                     fuzz_rng *g) {
  for (int steps = 0; in->left > 0 && steps < TLS_MAX_STEPS; steps++) {
    uint8_t op = fuzz_u8(in);
    size_t n = fuzz_u8(in);
    if (n > in->left) n = in->left;
    const uint8_t *p = in->p;
    in->p += n;
    in->left -= n;
    switch (op & 3) {
      case TLS_OP_PLAIN:
        if (*s->raw || *s->shut || s->peer->eof) break;
        fuzz_buf_add(s->sent, p, n);
        tls_peer_write(s->peer, p, n);
        break;
      case TLS_OP_RAW:
        *s->raw = true;
        tls_send_raw(s->loop, s->peer, s->events, p, n, how, g);
        break;
      case TLS_OP_CLOSE_NOTIFY:
        if (!*s->raw && !*s->shut && !s->peer->eof) SSL_shutdown(s->peer->ssl);
        ERR_clear_error();
        *s->shut = true;
        break;
      default:
        shutdown(s->peer->fd, SHUT_WR);
        *s->shut = true;
    }
    tls_settle(s->loop, s->peer, s->events);
  }
}

static void tls_check_error(const cnet_error *e) {
  FUZZ_CHECK(e != NULL);
  FUZZ_CHECK(e->code != 0);
  FUZZ_CHECK(e->message[0] != '\0');
}

#endif
