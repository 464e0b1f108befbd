/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* Node's tls over OpenSSL 3: a record layer (net_socket.h's hooks) that a
 * TLS socket carries between its stream and its fd. OpenSSL reads
 * ciphertext through a BIO of ours from the loop's read buffer, a record
 * at a time, and writes ciphertext through it to the socket's outgoing
 * path (a write's records when the write completes, with those of the
 * writes behind it); plaintext is decrypted into the loop's second
 * buffer and pushed to the stream as a plain socket's data is. Nothing blocks: the
 * handshake advances with each read. A paused socket reads nothing from
 * the fd; what one read brought beyond the pause is kept (the only copy
 * of ciphertext there is) and delivered on resume. */
#include "net_server.h"
#include "net_socket.h"

#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/proverr.h>
#include <openssl/rand.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "emitter.h"
#include "errors.h"
#include "tls_cert.h"
#include "cnet/addr.h"
#include "cnet/tls.h"

struct cnet_tls_context {
  SSL_CTX *ctx;
  atomic_int refs;
  unsigned char *alpn; /* wire form: length-prefixed names */
  size_t alpn_len;
  /* Node's ticketKeys: name, HMAC key, AES key, 16 bytes each. A server
   * on another thread may be sealing a ticket while they change. */
  pthread_mutex_t ticket_lock;
  unsigned char ticket_keys[48];
  /* The key log is on (keylog_when_heard); set under ticket_lock. */
  atomic_bool keylog;
};

typedef struct tls_note tls_note;

/* A server's SNI: none asked for, not yet seen, the question to ask,
 * asked (the handshake waits), answered. */
enum { SNI_OFF, SNI_IDLE, SNI_ASKING, SNI_ASKED, SNI_ANSWERED };

typedef struct tls_rec {
  cnet__record base;
  cnet_socket *so;
  SSL *ssl;
  cnet_tls_context *ctx;
  cnet_server *server;      /* accepted: whose 'secureConnection' */
  const char *in;           /* ciphertext the BIO reads now (rbuf) */
  size_t in_len;
  /* Where the peer's records stand in what the BIO gave OpenSSL: the
   * header read so far, or the bytes left of the record after it. */
  unsigned char hdr[5];
  size_t hdr_len, rec_left;
  /* A stream write's records until it completes (queue()); in_write
   * while a write is encrypted; merge while a completion hands the
   * stream's next writes over, whose records join them. */
  char *queued;
  size_t queued_len, queued_cap;
  bool in_write, merge;
  char *kept;               /* ciphertext kept while the stream is paused */
  size_t kept_len, kept_off;
  char *pending;            /* a write made before the handshake ended */
  size_t pending_len;
  bool has_pending;
  bool secure, eof_seen, final_waiting, reject, authorized, has_auth_error;
  int send_error;           /* a send the BIO failed: its code */
  /* A client's handshake output, held until the handshake call returns:
   * a server it rejects never gets its Finished (Node's client destroys
   * the socket before its TLSWrap writes it). */
  bool holding;
  char *held;
  size_t held_len;
  cnet_error auth_error;
  char *check_name;         /* the name or address the cert must carry */
  char alpn[256];
  cnet_tls_cipher cipher;
  /* A write the kernel took at once completes in the check phase, as
   * Node's TLSWrap completes it (from a native immediate). */
  cnet__cb wrote;
  /* What OpenSSL's callbacks saw (key log lines, sessions), emitted once
   * the OpenSSL call returns: a listener must not run inside it. */
  tls_note *notes, **notes_end;
  unsigned n_notes;
  bool connect_emitted;     /* a client's 'secureConnect' went: sessions may */
  /* A TLS 1.3 client's first ticket came; reading while paused for it
   * stopped at data (session_wanted). */
  bool got_session, peeked;
  cnet_timer deadline;      /* a server's handshakeTimeout, then idle_check */
  bool busy;                /* a drain or a write since idle_check looked */
  /* Renegotiations a client started on this server, Node's count. */
  unsigned handshakes;
  uint64_t last_handshake;
  bool reneg_attack;
  bool reneg_disabled;      /* disableRenegotiation() */
  bool reneg_refused;       /* one came after it */
  cnet_callback reneg_cb;   /* renegotiate()'s, until the handshake is done */
  void *reneg_arg;
  bool reneg_wanted;
  cnet_error reneg_error;
  /* Peer certificates and SNI (the end of this file). */
  cnet__tls_certs *certs[3]; /* the peer's, detailed, the own: made once */
  bool request_cert;         /* a server that asked for the client's */
  int sni;                   /* SNI_* */
  cnet_tls_context *sni_ctx; /* the context the SNI answer chose */
} tls_rec;

static tls_rec *rec_of(const cnet_socket *so) {
  cnet__record *r = so ? cnet__socket_record(so) : NULL;
  return r ? CNET__CONTAINER_OF(r, tls_rec, base) : NULL;
}

static cnet__stream *stream_of(tls_rec *r) { return (cnet__stream *)r->so; }

static bool dead(tls_rec *r) {
  return stream_of(r)->flags & CNET__S_DESTROYED;
}

/* ---- gathering ---------------------------------------------------------- */

/* OpenSSL hands the BIO one record at a time: sent one by one, the
 * echo of a 64 KiB read would be four sends. A stream write's records
 * wait in the socket's queue (below). While a socket gathers (a read's
 * drain), its other ciphertext (a handshake's flight, tickets) goes to
 * the loop's gather buffer, which leaves in one send when it is full and
 * when the gathering ends, before the loop waits again. A socket that
 * gathers holds the buffer; another one meanwhile (a drain run from the
 * first one's ticks) sends straight through, so bytes never change
 * order. */

static cnet_loop *loop_of(tls_rec *r) { return stream_of(r)->h.loop; }

static bool gathering(tls_rec *r) { return loop_of(r)->wbuf_owner == r; }

/* Whether r now gathers (false: another socket does, or no memory). */
static bool gather_start(tls_rec *r) {
  cnet_loop *loop = loop_of(r);
  if (loop->wbuf_owner || !cnet__loop_wbuf(loop)) return false;
  loop->wbuf_owner = r;
  return true;
}

/* Ciphertext to the socket: sent now as far as the kernel takes it. */
static int send_now(tls_rec *r, const char *data, size_t len) {
  int rc = cnet__socket_record_send(r->so, data, len);
  if (rc < 0 && !r->send_error) r->send_error = rc;
  return rc;
}

/* Sends what r gathered (dropped if the socket died meanwhile). */
static int gather_flush(tls_rec *r) {
  cnet_loop *loop = loop_of(r);
  size_t n = loop->wbuf_len;
  loop->wbuf_len = 0;
  return n && !dead(r) ? send_now(r, loop->wbuf, n) : 0;
}

static void gather_end(tls_rec *r) {
  gather_flush(r);
  loop_of(r)->wbuf_owner = NULL;
}

/* A stream write's records wait in r's queue for the write to complete
 * (in the check phase, as Node completes a TLS write), and leave then:
 * with the records of the writes queued behind it, which the completion
 * hands over before the write's callback runs (wrote_now), else alone.
 * So an echo answering the four records of a read, one write each, makes
 * one send, not one for the first write and one for the three the
 * stream queued behind it. The queue holds at most CNET__GATHER bytes
 * (more leave at once), and the bytes keep their order: r's gathered
 * bytes join its queue before it grows, its queue leaves before it
 * gathers. */
static int send_queued(tls_rec *r) {
  size_t n = r->queued_len;
  r->queued_len = 0;
  return n && !dead(r) ? send_now(r, r->queued, n) : 0;
}

/* Room for n bytes in the queue (at most CNET__GATHER): false when out
 * of memory. */
static bool reserve(tls_rec *r, size_t n) {
  if (n > CNET__GATHER) n = CNET__GATHER;
  if (n <= r->queued_cap) return true;
  size_t cap = 2 * r->queued_cap > n ? 2 * r->queued_cap : n;
  if (cap > CNET__GATHER) cap = CNET__GATHER;
  char *p = realloc(r->queued, cap);
  if (!p) return false;
  r->queued = p;
  r->queued_cap = cap;
  return true;
}

static int queue(tls_rec *r, const char *data, size_t len) {
  cnet_loop *loop = loop_of(r);
  if (gathering(r) && loop->wbuf_len) {
    /* What r gathered (a server's tickets before the echo of the record
     * that finished its handshake) is older than this write and newer
     * than r's queue: it joins the queue, and all leave in one send. */
    size_t n = loop->wbuf_len;
    loop->wbuf_len = 0;
    if (!dead(r) && queue(r, loop->wbuf, n) < 0) return -1;
  }
  if (r->queued_len + len > CNET__GATHER && send_queued(r) < 0) return -1;
  if (len > CNET__GATHER) return send_now(r, data, len);
  if (!reserve(r, r->queued_len + len)) {
    r->send_error = CNET_ENOMEM;
    return -1;
  }
  memcpy(r->queued + r->queued_len, data, len);
  r->queued_len += len;
  return 0;
}

/* The queue's buffer goes once the stream has no write in progress. */
static void drop_queue(tls_rec *r) {
  free(r->queued);
  r->queued = NULL;
  r->queued_len = r->queued_cap = 0;
}

/* Ciphertext on its way out: a stream write's queued, the rest after
 * what is queued, gathered while r gathers, else sent. */
static int emit(tls_rec *r, const char *data, size_t len) {
  if (r->in_write) return queue(r, data, len);
  if (r->queued_len && send_queued(r) < 0) return -1;
  if (!gathering(r)) return send_now(r, data, len);
  cnet_loop *loop = loop_of(r);
  if (loop->wbuf_len + len > CNET__GATHER && gather_flush(r) < 0) return -1;
  if (len > CNET__GATHER) return send_now(r, data, len);
  memcpy(loop->wbuf + loop->wbuf_len, data, len);
  loop->wbuf_len += len;
  return 0;
}

/* An idle connection keeps no buffer of OpenSSL's: its record buffers
 * (some 17 KiB each way) are freed once it has been idle for a second
 * (its handshake deadline's timer, free once the handshake is done,
 * looks), or at once while it is not secure. Not after every drain or
 * write (an allocation and a free each way per turn of a busy
 * connection), nor after every record as SSL_MODE_RELEASE_BUFFERS does.
 * Never while they hold data, decrypted or not (OpenSSL before 3.0.14
 * would free those too). */
#define IDLE_MS 1000

static void free_buffers(tls_rec *r) {
  if (!SSL_has_pending(r->ssl)) SSL_free_buffers(r->ssl);
}

static void idle_check(cnet_timer *t, void *arg) {
  tls_rec *r = arg;
  if (dead(r)) return;
  if (r->busy) {
    r->busy = false;
    cnet_timer_start(t, idle_check, r, IDLE_MS, 0);
    return;
  }
  free_buffers(r);
}

/* A drain or a write is over. */
static void release_buffers(tls_rec *r) {
  if (!r->secure) {
    free_buffers(r);
    return;
  }
  r->busy = true;
  if (cnet_timer_is_active(&r->deadline)) return;
  if (!cnet_timer_loop(&r->deadline)) {
    cnet_timer_init(loop_of(r), &r->deadline);
    cnet_timer_unref(&r->deadline);
  }
  if (cnet_timer_start(&r->deadline, idle_check, r, IDLE_MS, 0) != 0) free_buffers(r);
}

/* ---- the BIO ------------------------------------------------------------ */

static int bio_write(BIO *b, const char *data, int len) {
  tls_rec *r = BIO_get_data(b);
  if (r->holding) {
    char *p = realloc(r->held, r->held_len + (size_t)len);
    if (!p) {
      r->send_error = CNET_ENOMEM;
      return -1;
    }
    memcpy(p + r->held_len, data, (size_t)len);
    r->held = p;
    r->held_len += (size_t)len;
    return len;
  }
  return emit(r, data, (size_t)len) < 0 ? -1 : len;
}

/* How many of the n bytes at p OpenSSL gets now: up to the end of the
 * record they are in (TLS's 5-byte header gives its length), and where
 * the records stand moves past them. OpenSSL 3 moves what follows a
 * record in its buffer to the front before it decrypts the next one, so
 * a buffer holding four records would move six records' worth; fed a
 * record at a time it moves nothing. Only the size of each piece
 * depends on this count: the bytes and their order are the peer's, so a
 * header that lies costs a read more or less, and OpenSSL judges it. */
static size_t up_to_record_end(tls_rec *r, const unsigned char *p, size_t n) {
  size_t i = 0;
  while (i < n) {
    if (r->rec_left == 0) {
      while (r->hdr_len < sizeof r->hdr && i < n) r->hdr[r->hdr_len++] = p[i++];
      if (r->hdr_len < sizeof r->hdr) break;
      r->hdr_len = 0;
      r->rec_left = (size_t)r->hdr[3] << 8 | r->hdr[4];
      if (r->rec_left == 0) break; /* an empty record ends with its header */
    }
    size_t take = n - i < r->rec_left ? n - i : r->rec_left;
    i += take;
    r->rec_left -= take;
    if (r->rec_left == 0) break;
  }
  return i;
}

/* What the socket read for us (r->in), else what was kept, a record at
 * a time. */
static int bio_read(BIO *b, char *out, int len) {
  tls_rec *r = BIO_get_data(b);
  size_t avail = r->in ? r->in_len : r->kept_len - r->kept_off;
  BIO_clear_retry_flags(b);
  if (avail == 0) {
    BIO_set_retry_read(b);
    return -1;
  }
  const char *src = r->in ? r->in : r->kept + r->kept_off;
  size_t n = up_to_record_end(r, (const unsigned char *)src,
                              avail < (size_t)len ? avail : (size_t)len);
  memcpy(out, src, n);
  if (r->in) {
    r->in += n;
    r->in_len -= n;
  } else {
    r->kept_off += n;
  }
  return (int)n;
}

static long bio_ctrl(BIO *b, int cmd, long num, void *ptr) {
  (void)b, (void)num, (void)ptr;
  return cmd == BIO_CTRL_FLUSH ? 1 : 0;
}

static BIO_METHOD *bio_method;
static pthread_once_t bio_once = PTHREAD_ONCE_INIT;

static void make_bio_method(void) {
  BIO_METHOD *m = BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK, "cnet");
  if (!m) return;
  BIO_meth_set_write(m, bio_write);
  BIO_meth_set_read(m, bio_read);
  BIO_meth_set_ctrl(m, bio_ctrl);
  bio_method = m;
}

/* ---- errors ------------------------------------------------------------- */

/* X509_V_ERR_* to Node's code (Node's X509ErrorCode: the results it
 * names, UNSPECIFIED for any other); the message is OpenSSL's text, as
 * Node's. */
static int verify_code(long v) {
#define VERIFY_CODE(c) \
  case X509_V_ERR_##c: return CNET_##c;
  switch (v) {
    VERIFY_CODE(UNABLE_TO_GET_ISSUER_CERT)
    VERIFY_CODE(UNABLE_TO_GET_CRL)
    VERIFY_CODE(UNABLE_TO_DECRYPT_CERT_SIGNATURE)
    VERIFY_CODE(UNABLE_TO_DECRYPT_CRL_SIGNATURE)
    VERIFY_CODE(UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY)
    VERIFY_CODE(CERT_SIGNATURE_FAILURE)
    VERIFY_CODE(CRL_SIGNATURE_FAILURE)
    VERIFY_CODE(CERT_NOT_YET_VALID)
    VERIFY_CODE(CERT_HAS_EXPIRED)
    VERIFY_CODE(CRL_NOT_YET_VALID)
    VERIFY_CODE(CRL_HAS_EXPIRED)
    VERIFY_CODE(ERROR_IN_CERT_NOT_BEFORE_FIELD)
    VERIFY_CODE(ERROR_IN_CERT_NOT_AFTER_FIELD)
    VERIFY_CODE(ERROR_IN_CRL_LAST_UPDATE_FIELD)
    VERIFY_CODE(ERROR_IN_CRL_NEXT_UPDATE_FIELD)
    VERIFY_CODE(OUT_OF_MEM)
    VERIFY_CODE(DEPTH_ZERO_SELF_SIGNED_CERT)
    VERIFY_CODE(SELF_SIGNED_CERT_IN_CHAIN)
    VERIFY_CODE(UNABLE_TO_GET_ISSUER_CERT_LOCALLY)
    VERIFY_CODE(UNABLE_TO_VERIFY_LEAF_SIGNATURE)
    VERIFY_CODE(CERT_CHAIN_TOO_LONG)
    VERIFY_CODE(CERT_REVOKED)
    VERIFY_CODE(INVALID_CA)
    VERIFY_CODE(PATH_LENGTH_EXCEEDED)
    VERIFY_CODE(INVALID_PURPOSE)
    VERIFY_CODE(CERT_UNTRUSTED)
    VERIFY_CODE(CERT_REJECTED)
    VERIFY_CODE(HOSTNAME_MISMATCH)
    default: return CNET_UNSPECIFIED;
  }
#undef VERIFY_CODE
}

/* OpenSSL's errors that have a code in cnet/errors.h, named as Node
 * names them (ERR_SSL_<reason>, ERR_OSSL_[<library>_]<reason>). */
#define SSL_CODE(r) {ERR_LIB_SSL, SSL_R_##r, CNET_ERR_SSL_##r}
static const struct {
  int lib, reason, code;
} ossl_codes[] = {
    SSL_CODE(WRONG_VERSION_NUMBER), SSL_CODE(NO_APPLICATION_PROTOCOL),
    SSL_CODE(TLSV1_ALERT_NO_APPLICATION_PROTOCOL),
    SSL_CODE(PEER_DID_NOT_RETURN_A_CERTIFICATE),
    SSL_CODE(TLSV13_ALERT_CERTIFICATE_REQUIRED),
    SSL_CODE(SSLV3_ALERT_HANDSHAKE_FAILURE), SSL_CODE(WRONG_SSL_VERSION),
    SSL_CODE(SSLV3_ALERT_BAD_CERTIFICATE), SSL_CODE(SSLV3_ALERT_BAD_RECORD_MAC),
    SSL_CODE(SSLV3_ALERT_CERTIFICATE_EXPIRED),
    SSL_CODE(SSLV3_ALERT_CERTIFICATE_REVOKED),
    SSL_CODE(SSLV3_ALERT_CERTIFICATE_UNKNOWN),
    SSL_CODE(SSLV3_ALERT_DECOMPRESSION_FAILURE),
    SSL_CODE(SSLV3_ALERT_ILLEGAL_PARAMETER), SSL_CODE(SSLV3_ALERT_NO_CERTIFICATE),
    SSL_CODE(SSLV3_ALERT_UNEXPECTED_MESSAGE),
    SSL_CODE(SSLV3_ALERT_UNSUPPORTED_CERTIFICATE),
    SSL_CODE(TLSV13_ALERT_MISSING_EXTENSION), SSL_CODE(TLSV1_ALERT_ACCESS_DENIED),
    SSL_CODE(TLSV1_ALERT_DECODE_ERROR), SSL_CODE(TLSV1_ALERT_DECRYPTION_FAILED),
    SSL_CODE(TLSV1_ALERT_DECRYPT_ERROR), SSL_CODE(TLSV1_ALERT_EXPORT_RESTRICTION),
    SSL_CODE(TLSV1_ALERT_INAPPROPRIATE_FALLBACK),
    SSL_CODE(TLSV1_ALERT_INSUFFICIENT_SECURITY), SSL_CODE(TLSV1_ALERT_INTERNAL_ERROR),
    SSL_CODE(TLSV1_ALERT_NO_RENEGOTIATION), SSL_CODE(TLSV1_ALERT_PROTOCOL_VERSION),
    SSL_CODE(TLSV1_ALERT_RECORD_OVERFLOW), SSL_CODE(TLSV1_ALERT_UNKNOWN_CA),
    SSL_CODE(TLSV1_ALERT_UNKNOWN_PSK_IDENTITY), SSL_CODE(TLSV1_ALERT_USER_CANCELLED),
    SSL_CODE(TLSV1_BAD_CERTIFICATE_HASH_VALUE),
    SSL_CODE(TLSV1_BAD_CERTIFICATE_STATUS_RESPONSE),
    SSL_CODE(TLSV1_CERTIFICATE_UNOBTAINABLE), SSL_CODE(TLSV1_UNRECOGNIZED_NAME),
    SSL_CODE(TLSV1_UNSUPPORTED_EXTENSION), SSL_CODE(HTTP_REQUEST),
    SSL_CODE(HTTPS_PROXY_REQUEST), SSL_CODE(UNSUPPORTED_PROTOCOL),
    SSL_CODE(UNKNOWN_PROTOCOL), SSL_CODE(VERSION_TOO_LOW), SSL_CODE(VERSION_TOO_HIGH),
    SSL_CODE(BAD_LEGACY_VERSION), SSL_CODE(BAD_PROTOCOL_VERSION_NUMBER),
    SSL_CODE(INAPPROPRIATE_FALLBACK), SSL_CODE(NO_SHARED_CIPHER),
    SSL_CODE(NO_CIPHERS_AVAILABLE), SSL_CODE(NO_SHARED_GROUPS),
    SSL_CODE(NO_SUITABLE_KEY_SHARE), SSL_CODE(NO_SHARED_SIGNATURE_ALGORITHMS),
    SSL_CODE(NO_SUITABLE_SIGNATURE_ALGORITHM), SSL_CODE(MISSING_SIGALGS_EXTENSION),
    SSL_CODE(MISSING_SUPPORTED_GROUPS_EXTENSION), SSL_CODE(WRONG_CURVE),
    SSL_CODE(WRONG_SIGNATURE_TYPE), SSL_CODE(BAD_SIGNATURE), SSL_CODE(BAD_KEY_SHARE),
    SSL_CODE(BAD_ECPOINT), SSL_CODE(BAD_EXTENSION), SSL_CODE(UNSOLICITED_EXTENSION),
    SSL_CODE(PARSE_TLSEXT), SSL_CODE(CLIENTHELLO_TLSEXT),
    SSL_CODE(SSL3_EXT_INVALID_SERVERNAME), SSL_CODE(CALLBACK_FAILED),
    SSL_CODE(PACKET_LENGTH_TOO_LONG), SSL_CODE(ENCRYPTED_LENGTH_TOO_LONG),
    SSL_CODE(DATA_LENGTH_TOO_LONG), SSL_CODE(RECORD_LENGTH_MISMATCH),
    SSL_CODE(LENGTH_MISMATCH), SSL_CODE(LENGTH_TOO_SHORT), SSL_CODE(BAD_LENGTH),
    SSL_CODE(BAD_PACKET_LENGTH), SSL_CODE(BAD_PACKET), SSL_CODE(BAD_HANDSHAKE_LENGTH),
    SSL_CODE(EXCESSIVE_MESSAGE_SIZE), SSL_CODE(EXTRA_DATA_IN_MESSAGE),
    SSL_CODE(BAD_RECORD_TYPE), SSL_CODE(DECRYPTION_FAILED_OR_BAD_RECORD_MAC),
    SSL_CODE(BLOCK_CIPHER_PAD_IS_WRONG), SSL_CODE(UNEXPECTED_MESSAGE),
    SSL_CODE(UNEXPECTED_RECORD), SSL_CODE(UNEXPECTED_CCS_MESSAGE),
    SSL_CODE(CCS_RECEIVED_EARLY), SSL_CODE(BAD_CHANGE_CIPHER_SPEC),
    SSL_CODE(NOT_ON_RECORD_BOUNDARY), SSL_CODE(MIXED_HANDSHAKE_AND_NON_HANDSHAKE_DATA),
    SSL_CODE(UNKNOWN_ALERT_TYPE), SSL_CODE(INVALID_ALERT),
    SSL_CODE(TOO_MANY_WARN_ALERTS), SSL_CODE(BAD_KEY_UPDATE),
    SSL_CODE(TOO_MANY_KEY_UPDATES), SSL_CODE(BAD_HRR_VERSION),
    SSL_CODE(NO_CHANGE_FOLLOWING_HRR), SSL_CODE(UNSAFE_LEGACY_RENEGOTIATION_DISABLED),
    SSL_CODE(NO_RENEGOTIATION), SSL_CODE(UNEXPECTED_EOF_WHILE_READING),
    SSL_CODE(APPLICATION_DATA_AFTER_CLOSE_NOTIFY), SSL_CODE(CERTIFICATE_VERIFY_FAILED),
    SSL_CODE(NO_CERTIFICATES_RETURNED), SSL_CODE(CERT_LENGTH_MISMATCH),
    SSL_CODE(UNKNOWN_CIPHER_RETURNED), SSL_CODE(WRONG_CIPHER_RETURNED),
    SSL_CODE(SSL_HANDSHAKE_FAILURE), SSL_CODE(INSUFFICIENT_SECURITY),
    SSL_CODE(EE_KEY_TOO_SMALL), SSL_CODE(CA_KEY_TOO_SMALL), SSL_CODE(CA_MD_TOO_WEAK),
    SSL_CODE(DH_KEY_TOO_SMALL), SSL_CODE(BAD_DH_VALUE), SSL_CODE(NO_CIPHER_MATCH),
    SSL_CODE(TLS_ILLEGAL_EXPORTER_LABEL),
    {ERR_LIB_PEM, PEM_R_NO_START_LINE, CNET_ERR_OSSL_PEM_NO_START_LINE},
    {ERR_LIB_PEM, PEM_R_BAD_END_LINE, CNET_ERR_OSSL_PEM_BAD_END_LINE},
    {ERR_LIB_PEM, PEM_R_BAD_BASE64_DECODE, CNET_ERR_OSSL_PEM_BAD_BASE64_DECODE},
    {ERR_LIB_X509, X509_R_KEY_VALUES_MISMATCH, CNET_ERR_OSSL_X509_KEY_VALUES_MISMATCH},
    {ERR_LIB_OSSL_DECODER, ERR_R_UNSUPPORTED, CNET_ERR_OSSL_UNSUPPORTED},
    {ERR_LIB_PROV, PROV_R_BAD_DECRYPT, CNET_ERR_OSSL_BAD_DECRYPT},
};
#undef SSL_CODE

/* err's code, or otherwise when cnet has none for it. */
static int ossl_code(unsigned long err, int otherwise) {
  for (size_t i = 0; i < sizeof ossl_codes / sizeof ossl_codes[0]; i++)
    if (ERR_GET_LIB(err) == ossl_codes[i].lib && ERR_GET_REASON(err) == ossl_codes[i].reason)
      return ossl_codes[i].code;
  return otherwise;
}

/* OpenSSL's queued error as Node reports it: the first queued, its code
 * (otherwise when it has none) and OpenSSL's line for the message. */
static void ssl_error_or(cnet_error *e, int otherwise) {
  unsigned long err = ERR_peek_error();
  char buf[256] = "";
  if (err) ERR_error_string_n(err, buf, sizeof buf);
  ERR_clear_error();
  cnet_error_set(e, err ? ossl_code(err, otherwise) : otherwise, "%s",
                 err ? buf : "TLS failure");
}

static void ssl_error(cnet_error *e) { ssl_error_or(e, CNET_EPROTO); }

/* The connection failed before it was secure: the client's socket is
 * destroyed with err; an accepted one is reported on its server
 * ('tlsClientError') and destroyed without error, as Node's. */
static void fail(tls_rec *r, const cnet_error *err) {
  if (dead(r)) return;
  if (!r->server || r->secure) {
    cnet__stream_destroy(stream_of(r), err);
    return;
  }
  cnet_event ev = {.type = CNET_EV_TLS_CLIENT_ERROR, .error = err, .object = r->so};
  cnet_emit(r->server, &ev);
  cnet__stream_destroy(stream_of(r), NULL);
}

static void fail_send(tls_rec *r) {
  cnet_error e;
  cnet_error_syscall(&e, r->send_error, "write", NULL, 0);
  fail(r, &e);
}

/* ---- the peer's identity (Node's checkServerIdentity) ------------------- */

/* "DNS:a, IP Address:1.2.3.4" or the IPs alone
 * ("1.2.3.4, ..."), as Node prints subjectaltname. */
static void alt_names(X509 *cert, bool ips_only, char *out, size_t size) {
  GENERAL_NAMES *names = X509_get_ext_d2i(cert, NID_subject_alt_name, NULL, NULL);
  size_t off = 0;
  out[0] = '\0';
  for (int i = 0; names && i < sk_GENERAL_NAME_num(names); i++) {
    const GENERAL_NAME *g = sk_GENERAL_NAME_value(names, i);
    char text[CNET_ADDRESS_STRLEN + 300] = "";
    if (g->type == GEN_DNS && !ips_only) {
      snprintf(text, sizeof text, "DNS:%.*s", ASN1_STRING_length(g->d.dNSName),
               (const char *)ASN1_STRING_get0_data(g->d.dNSName));
    } else if (g->type == GEN_IPADD) {
      int len = ASN1_STRING_length(g->d.iPAddress);
      char ip[CNET_ADDRESS_STRLEN] = "";
      if (len == 4 || len == 16)
        inet_ntop(len == 4 ? AF_INET : AF_INET6, ASN1_STRING_get0_data(g->d.iPAddress), ip,
                  sizeof ip);
      snprintf(text, sizeof text, "%s%s", ips_only ? "" : "IP Address:", ip);
    } else {
      continue;
    }
    off += (size_t)snprintf(out + off, off < size ? size - off : 0, "%s%s",
                            off ? ", " : "", text);
  }
  GENERAL_NAMES_free(names);
}

/* Whether the server's certificate carries r->check_name; if not, *e is
 * the error Node's checkServerIdentity returns. */
static bool identity_ok(tls_rec *r, X509 *cert, cnet_error *e) {
  const char *name = r->check_name;
  bool ip = cnet_is_ip(name) != 0;
  int ok = ip ? X509_check_ip_asc(cert, name, 0)
              : X509_check_host(cert, name, 0, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS, NULL);
  if (ok == 1) return true;
  char names[200];
  alt_names(cert, ip, names, sizeof names);
  /* Node prints a host's with the certificate's subjectaltname, whole */
  char *all = ip ? NULL : cnet__tls_alt_names(cert);
  if (ip)
    cnet_error_set(e, CNET_ERR_TLS_CERT_ALTNAME_INVALID,
                   "Hostname/IP does not match certificate's altnames: IP: %s is not in "
                   "the cert's list: %s", name, names);
  else
    cnet_error_set(e, CNET_ERR_TLS_CERT_ALTNAME_INVALID,
                   "Hostname/IP does not match certificate's altnames: Host: %s. is not "
                   "in the cert's altnames: %s", name, all ? all : names);
  free(all);
  return false;
}

/* A client's verdict on its server: authorized, or why not. */
static void authorize(tls_rec *r) {
  X509 *cert = SSL_get1_peer_certificate(r->ssl);
  long v = cert ? SSL_get_verify_result(r->ssl) : X509_V_ERR_UNSPECIFIED;
  if (v != X509_V_OK) {
    cnet_error_set(&r->auth_error, verify_code(v), "%s", X509_verify_cert_error_string(v));
    r->has_auth_error = true;
  } else if (r->check_name && !identity_ok(r, cert, &r->auth_error)) {
    r->has_auth_error = true;
  }
  r->authorized = !r->has_auth_error;
  X509_free(cert);
}

/* ---- the record path ---------------------------------------------------- */

static bool flush_notes(tls_rec *r);
static bool after_read(tls_rec *r);
static bool session_wanted(const tls_rec *r);
static void send_tickets(tls_rec *r);
static void stop_deadline(tls_rec *r);

static void encrypt(tls_rec *r, const cnet__chunk *chunks, size_t n) {
  for (size_t i = 0; i < n && !r->send_error; i++) {
    const char *p = chunks[i].base;
    size_t left = chunks[i].len;
    while (left && !r->send_error) {
      int part = left > (1u << 30) ? 1 << 30 : (int)left;
      int w = SSL_write(r->ssl, p, part);
      if (w <= 0) {
        if (!r->send_error) r->send_error = CNET_EPROTO;
        break;
      }
      p += w;
      left -= (size_t)w;
    }
  }
}

/* A write's completion (the check phase). Its records leave first,
 * unless the stream has writes queued behind it: the completion hands
 * them over (write_chunks) before the write's callback runs, and their
 * records leave with these. Should it not (the socket's earlier bytes
 * still wait for the kernel, and the completion with them), they leave
 * after it. */
static void wrote_now(void *arg) {
  tls_rec *r = arg;
  cnet__stream *s = stream_of(r);
  if (!dead(r)) {
    r->merge = r->queued_len && cnet__stream_writes_follow(s);
    if (r->merge) {
      /* Room for the records to come at once, not by doublings that
       * copy what is queued: each record adds at most its overhead. */
      size_t more = cnet__stream_buffered_bytes(s);
      reserve(r, r->queued_len + more + (more / SSL3_RT_MAX_PLAIN_LENGTH + 1) * 256);
    } else {
      send_queued(r);
    }
    if (r->send_error) {
      cnet_error e;
      cnet_error_syscall(&e, r->send_error, "write", NULL, 0);
      cnet__stream_onwrite(s, &e);
    } else {
      cnet__socket_record_wrote(r->so);
    }
    if (r->merge) {
      r->merge = false;
      send_queued(r);
    }
    if (!r->queued_len && !(s->flags & CNET__W_WRITING)) drop_queue(r);
  }
  cnet__stream_unref(s);
}

/* The stream's write: its records wait in the queue for its completion
 * (or leave now with those of the write that completes). */
static void write_chunks(tls_rec *r, const cnet__chunk *chunks, size_t n, size_t total) {
  (void)total;
  r->in_write = true;
  encrypt(r, chunks, n);
  r->in_write = false;
  if (r->merge) {
    r->merge = false;
    send_queued(r);
  }
  if (!gathering(r)) release_buffers(r); /* within a drain: at its end */
  if (r->send_error) {
    cnet_error e;
    cnet_error_syscall(&e, r->send_error, "write", NULL, 0);
    cnet__stream_onwrite(stream_of(r), &e);
    return;
  }
  r->wrote = (cnet__cb){.fn = wrote_now, .arg = r};
  cnet__stream_ref(stream_of(r));
  cnet__check(stream_of(r)->h.loop, &r->wrote);
}

/* end(): the close_notify. A peer that is gone cannot take it; Node
 * ignores a write that fails after its shutdown, and 'finish' follows.
 * What is gathered goes first (its failure counts), then the
 * close_notify, before the FIN is planned. */
static void close_notify(tls_rec *r) {
  send_queued(r);
  if (gathering(r)) gather_flush(r);
  int before = r->send_error;
  if (SSL_shutdown(r->ssl) < 0) ERR_clear_error();
  if (gathering(r)) gather_flush(r);
  r->send_error = before;
}

static void release_held(tls_rec *r);
static bool authorize_client(tls_rec *r);

/* The write a handshake (or a renegotiation) held back goes now: false
 * when the socket died of it. */
static bool write_held(tls_rec *r) {
  if (!r->has_pending) return true;
  cnet__chunk c = {r->pending, r->pending_len};
  r->has_pending = false;
  write_chunks(r, &c, 1, c.len);
  free(r->pending);
  r->pending = NULL;
  return !dead(r);
}

/* The handshake is done: Node's _finishInit, then 'secure'. */
static void on_secure(tls_rec *r) {
  if (r->server && !authorize_client(r)) return;
  r->secure = true;
  stop_deadline(r);
  if (r->server) release_held(r);
  if (!r->server) {
    authorize(r);
    if (!r->authorized && r->reject) {
      cnet__stream_destroy(stream_of(r), &r->auth_error);
      release_held(r);
      return;
    }
    release_held(r);
    if (r->send_error) return;
  }
  cnet__socket_record_update(r->so);
  if (!write_held(r)) return;
  if (r->final_waiting) {
    r->final_waiting = false;
    close_notify(r);
    cnet__socket_record_final(r->so);
  }
  cnet_event ev = {.type = r->server ? CNET_EV_SECURE_CONNECTION : CNET_EV_SECURE_CONNECT,
                   .object = r->server ? r->so : NULL};
  cnet_emit(r->server ? (void *)r->server : (void *)r->so, &ev);
  r->connect_emitted = true;
  if (!dead(r)) send_tickets(r);
  if (!dead(r)) flush_notes(r);
}

/* Sends what the handshake held back (dropped when the socket died). */
static void release_held(tls_rec *r) {
  r->holding = false;
  if (r->held_len && !dead(r)) emit(r, r->held, r->held_len);
  free(r->held);
  r->held = NULL;
  r->held_len = 0;
}

static void sni_ask(tls_rec *r);

static void keylog_when_heard(tls_rec *r);

static bool handshake(tls_rec *r) {
  keylog_when_heard(r);
  /* A server that may refuse its client's certificate holds its last
   * flight as a client does (Node destroys it before it is written). */
  r->holding = !r->server || (r->request_cert && r->reject);
  int rc = SSL_do_handshake(r->ssl);
  /* Read before any listener runs an OpenSSL call of its own. */
  int e = rc == 1 ? SSL_ERROR_NONE : SSL_get_error(r->ssl, rc);
  bool going = rc == 1 || e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE ||
               e == SSL_ERROR_WANT_X509_LOOKUP;
  if (going && !flush_notes(r)) return false;
  if (rc == 1) {
    /* A server's last flight (its session tickets) that the client left
     * before reading: Node's TLSWrap drops a failed write no JavaScript
     * write waits on, and what the client did shows on the read side. It
     * goes now, not with the drain's answers, for its failure to be
     * told from theirs. */
    if (r->server && gathering(r)) gather_flush(r);
    on_secure(r);
    if (r->server) r->send_error = 0;
    if (r->send_error && !dead(r)) fail_send(r);
    return !dead(r);
  }
  release_held(r);
  if (r->send_error) {
    fail_send(r);
  } else if (e == SSL_ERROR_WANT_X509_LOOKUP) {
    sni_ask(r);
  } else if (e != SSL_ERROR_WANT_READ && e != SSL_ERROR_WANT_WRITE) {
    cnet_error err;
    ssl_error(&err);
    fail(r, &err);
  }
  return false;
}

static void push_eof(tls_rec *r) {
  if (!(stream_of(r)->flags & CNET__R_ENDED)) cnet__stream_push_eof(stream_of(r));
}

/* session_wanted while paused: OpenSSL takes the records (a ticket is a
 * 'session'); the first one of data stays in its buffer, unread, and
 * reading stops until the resume drains it. */
static void peek_for_session(tls_rec *r) {
  char c;
  int n = SSL_peek(r->ssl, &c, 1);
  int e = n > 0 ? SSL_ERROR_NONE : SSL_get_error(r->ssl, n);
  if (e == SSL_ERROR_NONE || e == SSL_ERROR_ZERO_RETURN) r->peeked = true;
  if ((e == SSL_ERROR_NONE || e == SSL_ERROR_WANT_READ || e == SSL_ERROR_ZERO_RETURN) &&
      !after_read(r))
    return;
  if (e == SSL_ERROR_ZERO_RETURN) {
    push_eof(r);
  } else if (r->send_error) {
    fail_send(r);
  } else if (e != SSL_ERROR_NONE && e != SSL_ERROR_WANT_READ) {
    cnet_error err;
    ssl_error(&err);
    cnet__stream_destroy(stream_of(r), &err);
  }
}

/* Decrypts what the BIO has (r->in, else what was kept) and pushes it
 * while the stream flows, a record a time (a 'data' event each, as
 * Node's). */
static void drain_records(tls_rec *r) {
  if (!r->secure && !handshake(r)) return;
  cnet__stream *s = stream_of(r);
  if (!cnet__stream_flowing(s) && session_wanted(r)) {
    peek_for_session(r);
    return;
  }
  char *out = cnet__loop_rbuf2(s->h.loop);
  if (!out) return;
  while (cnet__stream_flowing(s)) {
    int n = SSL_read(r->ssl, out, CNET__READ_BUFFER);
    /* Read before any listener runs an OpenSSL call of its own. */
    int e = n > 0 ? SSL_ERROR_NONE : SSL_get_error(r->ssl, n);
    if ((e == SSL_ERROR_NONE || e == SSL_ERROR_WANT_READ || e == SSL_ERROR_ZERO_RETURN) &&
        !after_read(r))
      return;
    if (n > 0) {
      cnet__socket_record_push(r->so, out, (size_t)n);
      cnet__run_ticks(s->h.loop);
      continue;
    }
    if (e == SSL_ERROR_ZERO_RETURN) {
      push_eof(r); /* close_notify: the TCP FIN that follows adds nothing */
    } else if (r->send_error) {
      fail_send(r);
    } else if (e != SSL_ERROR_WANT_READ) {
      cnet_error err;
      ssl_error(&err);
      cnet__stream_destroy(s, &err);
    } else if (r->eof_seen && !r->in && r->kept_off == r->kept_len) {
      push_eof(r);
    } else {
      r->peeked = false; /* all taken: a pause may read for a ticket again */
    }
    return;
  }
}

/* drain_records, and what the stream's listeners write meanwhile (the
 * answer to a record, a handshake's flight) leaves in one send at its
 * end, before the write completes (in the check phase). Should a
 * listener destroy the socket first, rec_closing sends it. */
static void drain(tls_rec *r) {
  bool gather = gather_start(r);
  drain_records(r);
  release_buffers(r);
  if (!gather) return;
  gather_end(r);
  if (r->send_error && !dead(r)) fail_send(r);
}

/* Frees what was kept once the stream has taken it all. */
static void drop_kept(tls_rec *r) {
  if (r->kept && r->kept_off == r->kept_len) {
    free(r->kept);
    r->kept = NULL;
    r->kept_len = r->kept_off = 0;
  }
}

/* Ciphertext the paused stream did not take, after what was kept. */
static void keep(tls_rec *r, const char *data, size_t len) {
  size_t left = r->kept_len - r->kept_off;
  if (r->kept_off) memmove(r->kept, r->kept + r->kept_off, left);
  char *p = realloc(r->kept, left + len);
  if (!p) {
    cnet_error e;
    cnet_error_set(&e, CNET_ENOMEM, NULL);
    cnet__stream_destroy(stream_of(r), &e);
    return;
  }
  memcpy(p + left, data, len);
  r->kept = p;
  r->kept_len = left + len;
  r->kept_off = 0;
}

static void rec_read(cnet__record *base, cnet_socket *so, const char *buf, size_t n) {
  tls_rec *r = CNET__CONTAINER_OF(base, tls_rec, base);
  if (r->kept_off < r->kept_len) {
    keep(r, buf, n);
  } else {
    r->in = buf;
    r->in_len = n;
  }
  drain(r);
  if (r->in && r->in_len && !dead(r)) keep(r, r->in, r->in_len);
  r->in = NULL;
  drop_kept(r);
}

static void rec_eof(cnet__record *base, cnet_socket *so) {
  tls_rec *r = CNET__CONTAINER_OF(base, tls_rec, base);
  r->eof_seen = true;
  if (!r->secure) {
    cnet_error e;
    if (r->server)
      cnet_error_set(&e, CNET_ECONNRESET, "socket hang up");
    else
      cnet_error_set(&e, CNET_ECONNRESET, "Client network socket disconnected before "
                                          "secure TLS connection was established");
    fail(r, &e);
    return;
  }
  if (!cnet__stream_flowing(stream_of(r))) {
    /* Nobody reads: 'end' now unless data is waiting (SSL_peek decrypts
     * it into OpenSSL's buffer and leaves it there for the resume). */
    char c;
    int n = SSL_peek(r->ssl, &c, 1);
    int e = n > 0 ? SSL_ERROR_NONE : SSL_get_error(r->ssl, n);
    if (e == SSL_ERROR_ZERO_RETURN || e == SSL_ERROR_WANT_READ) push_eof(r);
    else if (e != SSL_ERROR_NONE) ERR_clear_error();
    return;
  }
  /* What OpenSSL still holds is data the stream has not taken yet, or
   * the start of a record the FIN cut short, which never completes:
   * drain() pushes the one, then the 'end' (waiting on the cut record
   * would leave the connection open for good). */
  if (r->kept_off == r->kept_len) drain(r);
}

static void rec_write(cnet__record *base, cnet_socket *so, const cnet__chunk *chunks,
                      size_t n, size_t total) {
  tls_rec *r = CNET__CONTAINER_OF(base, tls_rec, base);
  if (r->secure && !SSL_in_init(r->ssl)) {
    write_chunks(r, chunks, n, total);
    return;
  }
  /* Node's TLSSocket holds writes until the handshake (or a
   * renegotiation) is done; the completion handing this one over sends
   * what it queued now. */
  if (r->merge) {
    r->merge = false;
    send_queued(r);
  }
  char *copy = malloc(total ? total : 1);
  if (!copy) {
    cnet_error e;
    cnet_error_set(&e, CNET_ENOMEM, NULL);
    cnet__stream_onwrite(stream_of(r), &e);
    return;
  }
  size_t off = 0;
  for (size_t i = 0; i < n; i++) {
    memcpy(copy + off, chunks[i].base, chunks[i].len);
    off += chunks[i].len;
  }
  r->pending = copy;
  r->pending_len = total;
  r->has_pending = true;
}

static bool rec_final(cnet__record *base, cnet_socket *so) {
  tls_rec *r = CNET__CONTAINER_OF(base, tls_rec, base);
  if (!r->secure) {
    r->final_waiting = true;
    return false;
  }
  close_notify(r);
  return true;
}

/* A TLS 1.3 client with a 'session' listener reads on while paused
 * until its first ticket comes (right after the handshake), as Node's
 * reads into its buffer: Node emits 'session' without a 'data' listener.
 * Data that comes first is decrypted into OpenSSL's buffer, where it
 * waits for the resume, and reading stops there (peek_for_session). */
static bool session_wanted(const tls_rec *r) {
  return !r->server && r->secure && !r->got_session && !r->peeked &&
         !(((const cnet__stream *)r->so)->flags & CNET__S_DESTROYED) &&
         SSL_version(r->ssl) == TLS1_3_VERSION && cnet_listener_count(r->so, CNET_EV_SESSION) > 0;
}

/* A handshake reads while the stream is paused, and a client waiting
 * for its first ticket; a server waiting for its SNI answer reads
 * nothing (the client's bytes wait in the kernel). */
static int rec_want_read(const cnet__record *base) {
  const tls_rec *r = CNET__CONTAINER_OF(base, const tls_rec, base);
  if (r->secure) return session_wanted(r) ? 1 : -1;
  return r->sni != SNI_ASKED;
}

static void resume_tick(cnet__stream *s) {
  tls_rec *r = rec_of((cnet_socket *)s);
  if (!r || dead(r) || !cnet__stream_flowing(s)) return;
  drain(r);
  drop_kept(r);
}

static void rec_resume(cnet__record *base, cnet_socket *so) {
  tls_rec *r = CNET__CONTAINER_OF(base, tls_rec, base);
  if (r->secure && (r->kept_off < r->kept_len || SSL_has_pending(r->ssl) || r->eof_seen))
    cnet__stream_tick(stream_of(r), resume_tick);
}

/* Destroyed from a listener while writes are queued or it gathers:
 * what it queued or gathered was written before, and goes if the kernel
 * takes it now. */
static void rec_closing(cnet__record *base, cnet_socket *so) {
  tls_rec *r = CNET__CONTAINER_OF(base, tls_rec, base);
  cnet_loop *loop = loop_of(r);
  if (r->queued_len) cnet__socket_record_send_last(so, r->queued, r->queued_len);
  r->queued_len = 0;
  if (!gathering(r) || !loop->wbuf_len) return;
  cnet__socket_record_send_last(so, loop->wbuf, loop->wbuf_len);
  loop->wbuf_len = 0;
}

static void free_notes(tls_rec *r);

static void rec_free(cnet__record *base) {
  tls_rec *r = CNET__CONTAINER_OF(base, tls_rec, base);
  if (gathering(r)) { /* freed before its drain ended: never, but cheap */
    loop_of(r)->wbuf_len = 0;
    loop_of(r)->wbuf_owner = NULL;
  }
  stop_deadline(r);
  free_notes(r);
  SSL_free(r->ssl);
  cnet_tls_context_free(r->ctx);
  free(r->kept);
  free(r->queued);
  free(r->pending);
  free(r->check_name);
  free(r->held);
  for (int i = 0; i < 3; i++) cnet__tls_certs_free(r->certs[i]);
  cnet_tls_context_free(r->sni_ctx);
  free(r);
}

static const cnet__record_ops rec_ops = {
    .read = rec_read,
    .eof = rec_eof,
    .write = rec_write,
    .final = rec_final,
    .want_read = rec_want_read,
    .resume = rec_resume,
    .closing = rec_closing,
    .free = rec_free,
};

static int verify_all(int ok, X509_STORE_CTX *store) {
  (void)ok, (void)store;
  return 1;
}

/* A record layer on so with ctx (server: accepted by it), or NULL. */
static tls_rec *attach(cnet_socket *so, cnet_tls_context *ctx, cnet_server *server) {
  pthread_once(&bio_once, make_bio_method);
  tls_rec *r = calloc(1, sizeof *r);
  BIO *bio = bio_method ? BIO_new(bio_method) : NULL;
  SSL *ssl = SSL_new(ctx->ctx);
  if (!r || !bio || !ssl) {
    free(r);
    BIO_free(bio);
    SSL_free(ssl);
    return NULL;
  }
  BIO_set_data(bio, r);
  BIO_set_init(bio, 1);
  SSL_set_bio(ssl, bio, bio);
  /* The BIO gives OpenSSL a record at a time; with read-ahead OpenSSL
   * asks for it in one call (not its header, then its body). What a read
   * brought beyond a pause is kept aside (keep()). OpenSSL's buffers are
   * freed once the connection idles (release_buffers). */
  SSL_set_read_ahead(ssl, 1);
  if (server) {
    SSL_set_accept_state(ssl);
  } else {
    /* Node's client verifies with a callback that accepts everything,
     * then reads the verdict: OpenSSL goes on past the first problem, so
     * the verdict is the last (UNABLE_TO_VERIFY_LEAF_SIGNATURE, not
     * UNABLE_TO_GET_ISSUER_CERT_LOCALLY, for a lone unknown leaf). */
    SSL_set_verify(ssl, SSL_VERIFY_PEER, verify_all);
    SSL_set_connect_state(ssl);
  }
  r->base.ops = &rec_ops;
  r->so = so;
  r->ssl = ssl;
  r->ctx = ctx;
  atomic_fetch_add(&ctx->refs, 1);
  r->server = server;
  r->notes_end = &r->notes;
  cnet__socket_set_record(so, &r->base);
  cnet__socket_record_update(so);
  return r;
}

/* ---- sessions, key log, renegotiation, the handshake's deadline --------- */

/* OpenSSL's callbacks run inside an OpenSSL call, where a listener must
 * not (it could write, or destroy the socket): they note what they saw,
 * and the notes are emitted once the call returned, in order. */
struct tls_note {
  tls_note *next;
  int type; /* CNET_EV_KEYLOG or CNET_EV_SESSION */
  size_t len;
  char data[];
};

/* Notes one OpenSSL call may leave: a handshake makes five key log lines
 * and a server sends two tickets; a peer that packs hundreds of tickets
 * into one record has the rest dropped. */
#define NOTES_MAX 16
/* The largest session Node emits or takes back (its kMaxSessionSize). */
#define SESSION_MAX (10u << 10)
/* tls.CLIENT_RENEG_LIMIT renegotiations within tls.CLIENT_RENEG_WINDOW. */
#define RENEG_LIMIT 3
#define RENEG_WINDOW_MS (600u * 1000)

static int ctx_fail(const char *what);

static tls_rec *rec_of_ssl(const SSL *ssl) {
  BIO *b = SSL_get_rbio(ssl);
  return b ? BIO_get_data(b) : NULL;
}

static char *add_note(tls_rec *r, int type, size_t len) {
  tls_note *n = r->n_notes < NOTES_MAX ? malloc(sizeof *n + len) : NULL;
  if (!n) return NULL;
  n->next = NULL;
  n->type = type;
  n->len = len;
  *r->notes_end = n;
  r->notes_end = &n->next;
  r->n_notes++;
  return n->data;
}

static void free_notes(tls_rec *r) {
  while (r->notes) {
    tls_note *n = r->notes;
    r->notes = n->next;
    free(n);
  }
  r->notes_end = &r->notes;
  r->n_notes = 0;
}

/* Emits the notes; a client's sessions wait for its 'secureConnect', as
 * Node's do. false when a listener destroyed the socket. */
static bool flush_notes(tls_rec *r) {
  while (r->notes && !dead(r)) {
    tls_note *n = r->notes;
    if (n->type == CNET_EV_SESSION && !r->connect_emitted) break;
    r->notes = n->next;
    if (!r->notes) r->notes_end = &r->notes;
    r->n_notes--;
    bool on_server = n->type == CNET_EV_KEYLOG && r->server;
    cnet_event ev = {.type = n->type, .data = n->data, .len = n->len,
                     .object = on_server ? r->so : NULL};
    cnet_emit(on_server ? (void *)r->server : (void *)r->so, &ev);
    free(n);
  }
  return !dead(r);
}

/* After each SSL_read: the notes, a renegotiation refused, or done (the
 * write it held goes, then renegotiate()'s callback). */
static bool after_read(tls_rec *r) {
  if (!flush_notes(r)) return false;
  if (r->reneg_attack || r->reneg_refused) {
    cnet_error e;
    cnet_error_set(&e, r->reneg_attack ? CNET_ERR_TLS_SESSION_ATTACK
                                       : CNET_ERR_TLS_RENEGOTIATION_DISABLED, NULL);
    cnet__stream_destroy(stream_of(r), &e);
    return false;
  }
  if (SSL_in_init(r->ssl)) return true; /* a renegotiation under way */
  if (!write_held(r)) return false;
  if (r->reneg_wanted) {
    cnet_callback cb = r->reneg_cb;
    r->reneg_wanted = false;
    r->reneg_cb = NULL;
    if (cb) cb(r->so, NULL, r->reneg_arg);
  }
  return !dead(r);
}

/* SSL_CTX_set_keylog_callback's: Node's line ends in a newline. */
static void keylog_line(const SSL *ssl, const char *line) {
  tls_rec *r = rec_of_ssl(ssl);
  if (!r || dead(r)) return;
  void *target = r->server ? (void *)r->server : (void *)r->so;
  if (cnet_listener_count(target, CNET_EV_KEYLOG) <= 0) return;
  size_t n = strlen(line);
  char *p = add_note(r, CNET_EV_KEYLOG, n + 1);
  if (!p) return;
  memcpy(p, line, n);
  p[n] = '\n';
}

/* Node turns its context's key log on with the first 'keylog' listener
 * and never off: OpenSSL formats the lines (the secrets in hex, a
 * sprintf a byte) only for a context with a callback, some 3 % of a
 * server's handshake. cnet looks before each step of a handshake. The
 * callback is set once; a handshake of another thread may be reading
 * the context's pointer then, and sees it or not, as a Node listener
 * added during a handshake may. */
static void keylog_when_heard(tls_rec *r) {
  cnet_tls_context *c = r->ctx;
  if (atomic_load_explicit(&c->keylog, memory_order_relaxed)) return;
  void *target = r->server ? (void *)r->server : (void *)r->so;
  if (cnet_listener_count(target, CNET_EV_KEYLOG) <= 0) return;
  pthread_mutex_lock(&c->ticket_lock);
  if (!atomic_load(&c->keylog)) {
    SSL_CTX_set_keylog_callback(c->ctx, keylog_line);
    atomic_store(&c->keylog, true);
  }
  pthread_mutex_unlock(&c->ticket_lock);
}

/* A client's new session (TLS 1.2: in the handshake; 1.3: each ticket
 * after it), as Node's Buffer: i2d_SSL_SESSION's bytes. 0: OpenSSL keeps
 * no reference. */
static int new_session(SSL *ssl, SSL_SESSION *sess) {
  tls_rec *r = rec_of_ssl(ssl);
  if (!r || r->server || dead(r) || cnet_listener_count(r->so, CNET_EV_SESSION) <= 0)
    return 0;
  int len = i2d_SSL_SESSION(sess, NULL);
  if (len <= 0 || (unsigned)len > SESSION_MAX) return 0;
  unsigned char *p = (unsigned char *)add_note(r, CNET_EV_SESSION, (size_t)len);
  if (p) i2d_SSL_SESSION(sess, &p);
  r->got_session = true;
  return 0;
}

/* Node's onhandshakestart: a server counts the handshakes after the
 * first; more than RENEG_LIMIT, each within RENEG_WINDOW_MS of the one
 * before, is an attack, and any after disableRenegotiation() is refused
 * (both in after_read). */
static void on_info(const SSL *ssl, int where, int ret) {
  (void)ret;
  if (!(where & SSL_CB_HANDSHAKE_START)) return;
  tls_rec *r = rec_of_ssl(ssl);
  if (!r || !r->server) return;
  uint64_t now = cnet_loop_now(stream_of(r)->h.loop);
  if (r->secure) {
    r->handshakes = now - r->last_handshake >= RENEG_WINDOW_MS ? 1 : r->handshakes + 1;
    if (r->handshakes > RENEG_LIMIT) r->reneg_attack = true;
    else if (r->reneg_disabled) r->reneg_refused = true;
  }
  r->last_handshake = now;
}

static int ctx_index = -1;
static pthread_once_t ctx_index_once = PTHREAD_ONCE_INIT;

static void make_ctx_index(void) {
  ctx_index = SSL_CTX_get_ex_new_index(0, NULL, NULL, NULL, NULL);
}

/* Node's ticket keys (its TicketCompatibilityCallback): AES-128-CBC and
 * HMAC-SHA256 with 16-byte keys, so that servers given the same 48 bytes,
 * Node's or cnet's, resume each other's tickets. */
static int seal_ticket(SSL *ssl, unsigned char name[16], unsigned char *iv,
                       EVP_CIPHER_CTX *cipher, EVP_MAC_CTX *mac, int enc) {
  cnet_tls_context *c = SSL_CTX_get_ex_data(SSL_get_SSL_CTX(ssl), ctx_index);
  if (!c) return -1;
  unsigned char k[48];
  pthread_mutex_lock(&c->ticket_lock);
  memcpy(k, c->ticket_keys, sizeof k);
  pthread_mutex_unlock(&c->ticket_lock);
  OSSL_PARAM params[] = {OSSL_PARAM_construct_octet_string(OSSL_MAC_PARAM_KEY, k + 16, 16),
                         OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, "SHA256", 0),
                         OSSL_PARAM_construct_end()};
  int rc = 1;
  if (enc) {
    memcpy(name, k, 16);
    if (RAND_bytes(iv, 16) != 1 ||
        EVP_EncryptInit_ex(cipher, EVP_aes_128_cbc(), NULL, k + 32, iv) != 1)
      rc = -1;
  } else if (memcmp(name, k, 16) != 0) {
    rc = 0; /* another key's ticket: a full handshake */
  } else if (EVP_DecryptInit_ex(cipher, EVP_aes_128_cbc(), NULL, k + 32, iv) != 1) {
    rc = -1;
  }
  if (rc == 1 && EVP_MAC_CTX_set_params(mac, params) != 1) rc = -1;
  OPENSSL_cleanse(k, sizeof k);
  return rc;
}

/* Node's session settings: tickets (its keys), no server cache of
 * session ids (Node's SSL_SESS_CACHE_NO_INTERNAL: ids resume only through
 * 'resumeSession', which cnet does not have), the client's new sessions
 * through a callback (the key log's comes with its first listener),
 * client renegotiation allowed (and counted). */
static int configure_sessions(cnet_tls_context *c, const cnet_tls_context_options *o) {
  SSL_CTX *ctx = c->ctx;
  if (o->session_timeout < 0)
    return cnet__fail(CNET_ERR_OUT_OF_RANGE,
                      "The value of \"options.sessionTimeout\" is out of range. It must be "
                      ">= 0 && <= 2147483647. Received %d", o->session_timeout);
  if (o->ticket_keys && o->ticket_keys_len != sizeof c->ticket_keys)
    return cnet__fail(CNET_ERR_INVALID_ARG_VALUE,
                      "The property 'options.ticketKeys' must be exactly 48 bytes. "
                      "Received %zu", o->ticket_keys_len);
  pthread_once(&ctx_index_once, make_ctx_index);
  if (ctx_index < 0 || SSL_CTX_set_ex_data(ctx, ctx_index, c) != 1)
    return cnet__fail(CNET_ENOMEM, NULL);
  if (o->ticket_keys) memcpy(c->ticket_keys, o->ticket_keys, sizeof c->ticket_keys);
  else if (RAND_bytes(c->ticket_keys, sizeof c->ticket_keys) != 1) return ctx_fail("ticketKeys");
  SSL_CTX_set_tlsext_ticket_key_evp_cb(ctx, seal_ticket);
  SSL_CTX_set_num_tickets(ctx, 0); /* send_tickets() sends them */
  if (o->session_timeout) SSL_CTX_set_timeout(ctx, o->session_timeout);
  SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_CLIENT | SSL_SESS_CACHE_SERVER |
                                          SSL_SESS_CACHE_NO_INTERNAL |
                                          SSL_SESS_CACHE_NO_AUTO_CLEAR);
  SSL_CTX_sess_set_new_cb(ctx, new_session);
  /* A server resumes only sessions of its id context (and one that asks
   * for certificates, only with one). */
  const char *id = o->session_id_context ? o->session_id_context : "cnet";
  if (SSL_CTX_set_session_id_context(ctx, (const unsigned char *)id, (unsigned)strlen(id)) != 1)
    return ctx_fail("sessionIdContext");
  SSL_CTX_set_info_callback(ctx, on_info);
  SSL_CTX_set_options(ctx, SSL_OP_ALLOW_CLIENT_RENEGOTIATION);
  return 0;
}

/* tls.connect's session option: what does not decode is ignored, as
 * Node ignores it. */
static void use_session(tls_rec *r, const void *bytes, size_t len) {
  if (!bytes || !len || len > SESSION_MAX) return;
  const unsigned char *p = bytes;
  SSL_SESSION *sess = d2i_SSL_SESSION(NULL, &p, (long)len);
  if (sess) SSL_set_session(r->ssl, sess);
  SSL_SESSION_free(sess);
  ERR_clear_error();
}

/* A TLS 1.3 server's tickets: Node's leave after what 'secureConnection'
 * wrote (its HANDSHAKE_DONE callback runs before OpenSSL writes them), so
 * OpenSSL sends none by itself (num_tickets 0) and these two follow the
 * listeners; none on a resumption, as Node's (its ticket callback asks
 * for no renewal). */
static void send_tickets(tls_rec *r) {
  if (!r->server || SSL_version(r->ssl) != TLS1_3_VERSION || SSL_session_reused(r->ssl) ||
      (SSL_get_options(r->ssl) & SSL_OP_NO_TICKET) ||
      (SSL_get_shutdown(r->ssl) & SSL_SENT_SHUTDOWN))
    return;
  for (int i = 0; i < 2; i++) SSL_new_session_ticket(r->ssl);
  /* A client gone before them is no error: handshake() drops it, as the
   * last flight's. */
  if (SSL_do_handshake(r->ssl) != 1) ERR_clear_error();
}

static void deadline_passed(cnet_timer *t, void *arg) {
  (void)t;
  tls_rec *r = arg;
  if (dead(r) || r->secure) return;
  cnet_error e;
  cnet_error_set(&e, CNET_ERR_TLS_HANDSHAKE_TIMEOUT, "TLS handshake timeout");
  fail(r, &e);
}

/* A server's handshakeTimeout (ms > 0), from the accept. Node's timer
 * is not refreshed by the bytes of the handshake, nor does it hold the
 * loop: neither does this one. */
static bool start_deadline(tls_rec *r, int ms) {
  if (ms <= 0) return true;
  cnet_timer_init(stream_of(r)->h.loop, &r->deadline);
  cnet_timer_unref(&r->deadline);
  return cnet_timer_start(&r->deadline, deadline_passed, r, (uint64_t)ms, 0) == 0;
}

static void stop_deadline(tls_rec *r) {
  if (cnet_timer_loop(&r->deadline)) cnet_timer_stop(&r->deadline);
}

/* ---- contexts ----------------------------------------------------------- */

/* minVersion or maxVersion (which says which, for the message). */
static int version_of(const char *name, int dflt, const char *which, int *out) {
  static const struct {
    const char *name;
    int version;
  } versions[] = {{"TLSv1", TLS1_VERSION}, {"TLSv1.1", TLS1_1_VERSION},
                  {"TLSv1.2", TLS1_2_VERSION}, {"TLSv1.3", TLS1_3_VERSION}};
  *out = dflt;
  if (!name) return 0;
  for (size_t i = 0; i < sizeof versions / sizeof versions[0]; i++)
    if (strcmp(name, versions[i].name) == 0) {
      *out = versions[i].version;
      return 0;
    }
  return cnet__fail(CNET_ERR_TLS_INVALID_PROTOCOL_VERSION,
                    "\"%s\" is not a valid %s TLS protocol version", name, which);
}

/* An option OpenSSL refused: Node throws OpenSSL's error, its code and
 * line ("error:0A0000B9:SSL routines::no cipher match"). */
static int ctx_fail(const char *what) {
  if (!ERR_peek_error()) return cnet__fail(CNET_EINVAL, "%s: refused by OpenSSL", what);
  cnet_error e;
  ssl_error_or(&e, CNET_EINVAL);
  return cnet__fail(e.code, "%s", e.message);
}

/* A PEM passphrase, as Node's: the one given, else the empty one (an
 * encrypted key then fails with ERR_OSSL_BAD_DECRYPT; OpenSSL never asks
 * a terminal). */
static int passphrase(char *buf, int size, int rwflag, void *given) {
  (void)rwflag;
  size_t n = given ? strlen(given) : 0;
  if (n > (size_t)size) return -1;
  if (n) memcpy(buf, given, n);
  return (int)n;
}

/* PEM text into the store of trusted CAs, as Node's addCACert: the
 * certificates up to the first that does not read (none is no error:
 * nothing is trusted then, and verification says so). */
static int add_ca_pem(SSL_CTX *ctx, const char *pem) {
  BIO *b = BIO_new_mem_buf(pem, -1);
  if (!b) return cnet__fail(CNET_ENOMEM, NULL);
  X509_STORE *store = SSL_CTX_get_cert_store(ctx);
  X509 *x;
  while ((x = PEM_read_bio_X509_AUX(b, NULL, passphrase, NULL))) {
    X509_STORE_add_cert(store, x);
    SSL_CTX_add_client_CA(ctx, x); /* named in a server's CertificateRequest, as Node's */
    X509_free(x);
  }
  BIO_free(b);
  ERR_clear_error();
  return 0;
}

/* CRLs (PEM) into the store, and the whole chain checked against them,
 * as Node's addCRL. */
static int add_crl(SSL_CTX *ctx, const char *pem) {
  BIO *b = BIO_new_mem_buf(pem, -1);
  if (!b) return cnet__fail(CNET_ENOMEM, NULL);
  X509_STORE *store = SSL_CTX_get_cert_store(ctx);
  X509_CRL *crl;
  int n = 0;
  while ((crl = PEM_read_bio_X509_CRL(b, NULL, passphrase, NULL))) {
    X509_STORE_add_crl(store, crl);
    X509_CRL_free(crl);
    n++;
  }
  BIO_free(b);
  ERR_clear_error();
  if (!n) return cnet__fail(CNET_ERR_CRYPTO_OPERATION_FAILED, "Failed to parse CRL");
  X509_STORE_set_flags(store, X509_V_FLAG_CRL_CHECK | X509_V_FLAG_CRL_CHECK_ALL);
  return 0;
}

static int use_key_cert(SSL_CTX *ctx, const cnet_tls_context_options *o) {
  if (o->cert) {
    BIO *b = BIO_new_mem_buf(o->cert, -1);
    X509 *x = b ? PEM_read_bio_X509(b, NULL, passphrase, NULL) : NULL;
    int ok = x && SSL_CTX_use_certificate(ctx, x) == 1;
    X509_free(x);
    X509 *extra;
    while (ok && (extra = PEM_read_bio_X509(b, NULL, passphrase, NULL)))
      if (SSL_CTX_add_extra_chain_cert(ctx, extra) != 1) X509_free(extra), ok = 0;
    if (ok) ERR_clear_error(); /* the end of the chain */
    BIO_free(b);
    if (!ok) return ctx_fail("cert");
  }
  if (o->key) {
    BIO *b = BIO_new_mem_buf(o->key, -1);
    EVP_PKEY *k = b ? PEM_read_bio_PrivateKey(b, NULL, passphrase, (void *)o->passphrase) : NULL;
    int ok = k && SSL_CTX_use_PrivateKey(ctx, k) == 1;
    EVP_PKEY_free(k);
    BIO_free(b);
    if (!ok) return ctx_fail("key");
  }
  if (o->key && SSL_CTX_check_private_key(ctx) != 1)
    return ctx_fail("key");
  return 0;
}

/* A PKCS#12 file, as Node's loadPKCS12: its key and certificate, the
 * other certificates as the chain and as trusted CAs. What OpenSSL
 * refuses is Node's plain error: EINVAL with OpenSSL's reason only. */
static int use_pfx(SSL_CTX *ctx, const void *pfx, size_t len, const char *pass) {
  BIO *b = len <= INT_MAX ? BIO_new_mem_buf(pfx, (int)len) : NULL;
  PKCS12 *p12 = b ? d2i_PKCS12_bio(b, NULL) : NULL;
  EVP_PKEY *pkey = NULL;
  X509 *cert = NULL;
  STACK_OF(X509) *extra = NULL;
  bool ok = p12 && PKCS12_parse(p12, pass, &pkey, &cert, &extra) == 1 && cert && pkey &&
            SSL_CTX_use_certificate(ctx, cert) == 1 && SSL_CTX_use_PrivateKey(ctx, pkey) == 1;
  X509_STORE *store = SSL_CTX_get_cert_store(ctx);
  for (int i = 0; ok && i < sk_X509_num(extra); i++) {
    X509 *x = sk_X509_value(extra, i);
    ok = SSL_CTX_add1_chain_cert(ctx, x) == 1;
    X509_STORE_add_cert(store, x);
    SSL_CTX_add_client_CA(ctx, x);
  }
  const char *why = ok ? NULL : ERR_reason_error_string(ERR_peek_error());
  ERR_clear_error();
  sk_X509_pop_free(extra, X509_free);
  X509_free(cert);
  EVP_PKEY_free(pkey);
  PKCS12_free(p12);
  BIO_free(b);
  return ok ? 0 : cnet__fail(CNET_EINVAL, "%s", why ? why : "Unknown error");
}

/* A certificate given without its chain is sent with the one OpenSSL
 * finds in the trusted CAs. Found here, once: left to OpenSSL, every
 * handshake would search the store again (with the system's CAs, a
 * directory scan: a third of a server's time per handshake). */
static void build_chain(SSL_CTX *ctx) {
  STACK_OF(X509) *extra = NULL;
  SSL_CTX_get_extra_chain_certs_only(ctx, &extra);
  if (!extra || sk_X509_num(extra) == 0)
    SSL_CTX_build_cert_chain(ctx, SSL_BUILD_CHAIN_FLAG_IGNORE_ERROR);
  ERR_clear_error();
}

static int set_alpn(cnet_tls_context *c, const char *const *protos) {
  size_t len = 0;
  for (size_t i = 0; protos && protos[i]; i++) {
    size_t n = strlen(protos[i]);
    if (n == 0 || n > 255) return cnet__fail(CNET_EINVAL, "Invalid ALPN protocol");
    len += 1 + n;
  }
  if (!len) return 0;
  c->alpn = malloc(len);
  if (!c->alpn) return cnet__fail(CNET_ENOMEM, NULL);
  for (size_t i = 0, off = 0; protos[i]; i++) {
    size_t n = strlen(protos[i]);
    c->alpn[off] = (unsigned char)n;
    memcpy(c->alpn + off + 1, protos[i], n);
    off += 1 + n;
  }
  c->alpn_len = len;
  return 0;
}

/* A server's ALPN choice: its own order of preference first, as Node's
 * (SSL_select_next_proto with the server's list). No overlap: no ALPN. */
static int select_alpn(SSL *ssl, const unsigned char **out, unsigned char *outlen,
                       const unsigned char *in, unsigned inlen, void *arg) {
  cnet_tls_context *c = arg;
  unsigned char *o;
  if (SSL_select_next_proto(&o, outlen, c->alpn, (unsigned)c->alpn_len, in, inlen) !=
      OPENSSL_NPN_NEGOTIATED)
    return SSL_TLSEXT_ERR_ALERT_FATAL; /* Node refuses: no_application_protocol */
  *out = o;
  return SSL_TLSEXT_ERR_OK;
}

/* Node's tls.DEFAULT_CIPHERS (v20), the list when none is given. */
static const char default_ciphers[] =
    "TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256:TLS_AES_128_GCM_SHA256:"
    "ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384:"
    "ECDHE-ECDSA-AES256-GCM-SHA384:DHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-SHA256:"
    "DHE-RSA-AES128-SHA256:ECDHE-RSA-AES256-SHA384:DHE-RSA-AES256-SHA384:"
    "ECDHE-RSA-AES256-SHA256:DHE-RSA-AES256-SHA256:HIGH:!aNULL:!eNULL:!EXPORT:!DES:!RC4:!MD5:"
    "!PSK:!SRP:!CAMELLIA";

/* Node's message for a list with no cipher in it: the list split, as
 * util.inspect prints an array ("Received [ '', '' ]"). */
static int no_ciphers(const char *ciphers) {
  char got[CNET_ERROR_MESSAGE_MAX] = "[";
  size_t len = 1;
  for (const char *p = ciphers;; p++) {
    size_t n = strcspn(p, ":");
    len += (size_t)snprintf(got + len, len < sizeof got ? sizeof got - len : 0, "%s '%.*s'",
                            p == ciphers ? "" : ",", (int)n, p);
    p += n;
    if (!*p || len >= sizeof got) break;
  }
  if (len < sizeof got) snprintf(got + len, sizeof got - len, " ]");
  return cnet__fail(CNET_ERR_INVALID_ARG_VALUE,
                    "The property 'options.ciphers' is invalid. Received %s", got);
}

/* ciphers as Node splits them: the names that start with TLS_ are TLS
 * 1.3's suites (the default ones when there is none), the others TLS
 * 1.2's list; with no TLS 1.2 cipher, the context speaks TLS 1.3 only. */
static int set_ciphers(SSL_CTX *ctx, const char *ciphers) {
  if (!ciphers || !*ciphers) ciphers = default_ciphers;
  size_t n = strlen(ciphers);
  char *list = malloc(n + 1), *suites = malloc(n + 1);
  if (!list || !suites) {
    free(list);
    free(suites);
    return cnet__fail(CNET_ENOMEM, NULL);
  }
  size_t nl = 0, ns = 0;
  for (const char *p = ciphers; *p;) {
    size_t k = strcspn(p, ":");
    bool suite = k >= 4 && memcmp(p, "TLS_", 4) == 0;
    char *to = suite ? suites : list;
    size_t *at = suite ? &ns : &nl;
    if (k && *at) to[(*at)++] = ':';
    memcpy(to + *at, p, k);
    *at += k;
    p += k + (p[k] == ':');
  }
  list[nl] = suites[ns] = '\0';
  int rc = 0;
  if (!nl && !ns) rc = no_ciphers(ciphers);
  else if (ns && SSL_CTX_set_ciphersuites(ctx, suites) != 1) rc = ctx_fail("ciphers");
  else if (SSL_CTX_set_cipher_list(ctx, list) != 1) {
    /* An empty list clears TLS 1.2's ciphers, on purpose: not an error. */
    if (nl || ERR_GET_REASON(ERR_peek_error()) != SSL_R_NO_CIPHER_MATCH)
      rc = ctx_fail("ciphers");
    ERR_clear_error();
  }
  if (!rc && !nl && SSL_CTX_get_min_proto_version(ctx) < TLS1_3_VERSION &&
      SSL_CTX_get_max_proto_version(ctx) > TLS1_2_VERSION)
    SSL_CTX_set_min_proto_version(ctx, TLS1_3_VERSION);
  free(list);
  free(suites);
  return rc;
}

static int configure(cnet_tls_context *c, const cnet_tls_context_options *o) {
  SSL_CTX *ctx = c->ctx;
  int min, max, rc;
  if ((rc = version_of(o->min_version, TLS1_2_VERSION, "minimum", &min)) ||
      (rc = version_of(o->max_version, TLS1_3_VERSION, "maximum", &max)))
    return rc;
  if (!SSL_CTX_set_min_proto_version(ctx, min) || !SSL_CTX_set_max_proto_version(ctx, max))
    return ctx_fail("version");
  if ((rc = set_ciphers(ctx, o->ciphers))) return rc;
  if (o->ecdh_curve && strcmp(o->ecdh_curve, "auto") != 0 &&
      SSL_CTX_set1_groups_list(ctx, o->ecdh_curve) != 1) {
    ERR_clear_error();
    return cnet__fail(CNET_ERR_CRYPTO_OPERATION_FAILED, "Failed to set ECDH curve");
  }
  if (o->honor_cipher_order) SSL_CTX_set_options(ctx, SSL_OP_CIPHER_SERVER_PREFERENCE);
  if (o->sigalgs && !*o->sigalgs)
    return cnet__fail(CNET_ERR_INVALID_ARG_VALUE,
                      "The property 'options.sigalgs' is invalid. Received ''");
  if (o->sigalgs && SSL_CTX_set1_sigalgs_list(ctx, o->sigalgs) != 1) return ctx_fail("sigalgs");
  if (o->secure_options) SSL_CTX_set_options(ctx, o->secure_options);
  if ((rc = use_key_cert(ctx, o))) return rc;
  if (o->ca && (rc = add_ca_pem(ctx, o->ca))) return rc;
  if (!o->ca) SSL_CTX_set_default_verify_paths(ctx);
  if (o->crl && (rc = add_crl(ctx, o->crl))) return rc;
  if (o->pfx && (rc = use_pfx(ctx, o->pfx, o->pfx_len, o->passphrase))) return rc;
  if (o->cert && !o->pfx) build_chain(ctx);
  if ((rc = set_alpn(c, o->alpn_protocols))) return rc;
  if (c->alpn) SSL_CTX_set_alpn_select_cb(ctx, select_alpn, c);
  return configure_sessions(c, o);
}

/* The most bytes a PEM file given by name may have: keys and chains are
 * a few KiB; a CA bundle some hundreds. */
#define PEM_FILE_MAX (4u << 20)

/* The whole of a PEM (or PKCS#12) file, NUL-ended, in *out (the caller
 * frees it), its length in *len. */
static int read_pem(const char *path, char **out, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f) return cnet__fail(cnet_errno(errno), "cannot read %s: %s", path, strerror(errno));
  char *buf = malloc(PEM_FILE_MAX + 1);
  size_t n = buf ? fread(buf, 1, PEM_FILE_MAX + 1, f) : 0;
  bool failed = buf && ferror(f);
  fclose(f);
  if (!buf) return cnet__fail(CNET_ENOMEM, NULL);
  if (failed || n > PEM_FILE_MAX) {
    free(buf);
    return cnet__fail(failed ? CNET_EIO : CNET_EINVAL, "cannot read %s: %s", path,
                      failed ? "read error" : "larger than 4 MiB");
  }
  buf[n] = '\0';
  *out = buf;
  *len = n;
  return 0;
}

/* The _file options read into the ones they stand for (as Node's
 * fs.readFileSync(path) passed as the option): one way to use a key, a
 * certificate, CAs or a PKCS#12 file, and one set of errors, whichever
 * way they came. */
#define N_FILES 4
static int read_files(cnet_tls_context_options *o, char *files[N_FILES]) {
  const char *paths[N_FILES] = {o->key ? NULL : o->key_file, o->cert ? NULL : o->cert_file,
                                o->ca ? NULL : o->ca_file, o->pfx ? NULL : o->pfx_file};
  const char **pem[N_FILES - 1] = {&o->key, &o->cert, &o->ca};
  for (int i = 0; i < N_FILES; i++) {
    if (!paths[i]) continue;
    size_t len = 0;
    int rc = read_pem(paths[i], &files[i], &len);
    if (rc) return rc;
    if (i < N_FILES - 1) {
      *pem[i] = files[i];
    } else {
      o->pfx = files[i];
      o->pfx_len = len;
    }
  }
  return 0;
}

int cnet_tls_context_new(const cnet_tls_context_options *opts, cnet_tls_context **out) {
  if (!out) return cnet__fail(CNET_EINVAL, NULL);
  *out = NULL;
  cnet_tls_context_options o = {0};
  if (opts) o = *opts;
  char *files[N_FILES] = {NULL, NULL, NULL, NULL};
  int rc = read_files(&o, files);
  cnet_tls_context *c = rc ? NULL : calloc(1, sizeof *c);
  if (!c) {
    for (int i = 0; i < N_FILES; i++) free(files[i]);
    return rc ? rc : cnet__fail(CNET_ENOMEM, NULL);
  }
  atomic_init(&c->refs, 1);
  atomic_init(&c->keylog, false);
  pthread_mutex_init(&c->ticket_lock, NULL);
  c->ctx = SSL_CTX_new(TLS_method());
  if (!c->ctx) {
    pthread_mutex_destroy(&c->ticket_lock);
    free(c);
    for (int i = 0; i < N_FILES; i++) free(files[i]);
    return cnet__fail(CNET_ENOMEM, NULL);
  }
  /* The verdict is read after the handshake (authorized), as Node's: a
   * bad certificate fails the handshake only through rejectUnauthorized. */
  SSL_CTX_set_verify(c->ctx, SSL_VERIFY_NONE, NULL);
  rc = configure(c, &o);
  for (int i = 0; i < N_FILES; i++) free(files[i]);
  if (rc) {
    cnet_tls_context_free(c);
    return rc;
  }
  *out = c;
  return 0;
}

void cnet_tls_context_free(cnet_tls_context *c) {
  if (!c || atomic_fetch_sub(&c->refs, 1) != 1) return;
  SSL_CTX_free(c->ctx);
  pthread_mutex_destroy(&c->ticket_lock);
  free(c->alpn);
  free(c);
}

/* The context a server or connect uses: the one given (a reference of
 * its own), else one made from the options. */
static int context_of(cnet_tls_context *given, const cnet_tls_context_options *opts,
                      cnet_tls_context **out) {
  if (given) {
    atomic_fetch_add(&given->refs, 1);
    *out = given;
    return 0;
  }
  return cnet_tls_context_new(opts, out);
}

/* ---- tls.Server --------------------------------------------------------- */

typedef struct sni_context {
  char *hostname; /* a pattern: '*' for a run of anything but '.' */
  cnet_tls_context *ctx;
} sni_context;

typedef struct tls_server {
  cnet__server_layer layer;
  cnet_tls_context *ctx;
  /* client certificates and SNI (the end of this file) */
  bool request_cert, reject;
  cnet_tls_sni_callback sni_cb;
  void *sni_arg;
  sni_context *contexts; /* addContext()'s, in order */
  size_t n_contexts;
  int handshake_timeout; /* ms; <= 0: none */
} tls_server;

static bool server_peer_setup(tls_server *ts, tls_rec *r);

static bool server_accepted(cnet__server_layer *l, cnet_server *srv, cnet_socket *so) {
  tls_server *ts = CNET__CONTAINER_OF(l, tls_server, layer);
  tls_rec *r = attach(so, ts->ctx, srv);
  return r && server_peer_setup(ts, r) && start_deadline(r, ts->handshake_timeout);
}

static void server_layer_free(cnet__server_layer *l) {
  tls_server *ts = CNET__CONTAINER_OF(l, tls_server, layer);
  cnet_tls_context_free(ts->ctx);
  for (size_t i = 0; i < ts->n_contexts; i++) {
    free(ts->contexts[i].hostname);
    cnet_tls_context_free(ts->contexts[i].ctx);
  }
  free(ts->contexts);
  free(ts);
}

int cnet_tls_create_server(cnet_loop *loop, const cnet_tls_server_options *opts,
                           cnet_listener on_secure_connection, void *arg,
                           cnet_server **out) {
  if (!out) return cnet__fail(CNET_EINVAL, NULL);
  *out = NULL;
  cnet_tls_server_options o = {0};
  if (opts) o = *opts;
  if (!o.secure_context &&
      !(o.secure && (((o.secure->key || o.secure->key_file) &&
                      (o.secure->cert || o.secure->cert_file)) ||
                     o.secure->pfx || o.secure->pfx_file)))
    return cnet__fail(CNET_EINVAL, "A TLS server needs a key and a certificate");
  tls_server *ts = calloc(1, sizeof *ts);
  if (!ts) return cnet__fail(CNET_ENOMEM, NULL);
  /* A server's own context honors its cipher order unless told not to,
   * as Node's tls.Server. */
  cnet_tls_context_options sec = {0};
  if (o.secure) sec = *o.secure;
  if (!sec.has_honor_cipher_order) sec.honor_cipher_order = true;
  int rc = context_of(o.secure_context, o.secure ? &sec : NULL, &ts->ctx);
  if (rc) {
    free(ts);
    return rc;
  }
  ts->layer.accepted = server_accepted;
  ts->layer.free = server_layer_free;
  ts->request_cert = o.request_cert;
  ts->reject = !o.has_reject_unauthorized || o.reject_unauthorized;
  ts->sni_cb = o.sni_callback;
  ts->sni_arg = o.sni_arg;
  ts->handshake_timeout = o.handshake_timeout ? o.handshake_timeout : 120000;
  cnet_server *srv;
  rc = cnet_create_server(loop, o.server, NULL, NULL, &srv);
  if (rc) {
    server_layer_free(&ts->layer);
    return rc;
  }
  cnet__server_set_layer(srv, &ts->layer);
  if (on_secure_connection &&
      cnet_on(srv, CNET_EV_SECURE_CONNECTION, on_secure_connection, arg) != 0) {
    cnet_server_free(srv);
    return cnet__fail(CNET_ENOMEM, NULL);
  }
  *out = srv;
  return 0;
}

/* ---- tls.connect -------------------------------------------------------- */

static void start_on_connect(const cnet_event *ev, void *arg) {
  tls_rec *r = rec_of(arg);
  if (r && !dead(r)) handshake(r);
}

/* SNI and the name to check: servername, else the host when it is a
 * name (Node sends no IP address as SNI, and checks the address). */
static int set_names(tls_rec *r, const cnet_tls_connect_options *o) {
  const char *host = o->connect->host ? o->connect->host : "localhost";
  const char *name = o->servername ? o->servername : host;
  if (!o->connect->path) {
    r->check_name = strdup(name);
    if (!r->check_name) return CNET_ENOMEM;
  }
  if (!cnet_is_ip(name) && *name && SSL_set_tlsext_host_name(r->ssl, name) != 1)
    return CNET_ENOMEM;
  return 0;
}

int cnet_tls_connect(cnet_loop *loop, const cnet_tls_connect_options *opts,
                     cnet_callback callback, void *arg, cnet_socket **out) {
  if (!out) return cnet__fail(CNET_EINVAL, NULL);
  *out = NULL;
  if (!opts || !opts->connect)
    return cnet__fail(CNET_ERR_MISSING_ARGS, "The \"options\" argument must be given");
  if (opts->servername && strlen(opts->servername) > 255) /* what SNI can carry */
    return cnet__fail(CNET_ERR_INVALID_ARG_VALUE, "The servername is longer than 255 bytes");
  cnet_tls_context *ctx;
  int rc = context_of(opts->secure_context, opts->secure, &ctx);
  if (rc) return rc;
  cnet_connect_options net = *opts->connect;
  cnet_socket *so;
  rc = cnet_connect(loop, &net, NULL, NULL, &so);
  if (rc) {
    cnet_tls_context_free(ctx);
    return rc;
  }
  ((cnet__stream *)so)->hwm = (uint32_t)CNET__HWM(*opts, CNET__HWM_DEFAULT);
  tls_rec *r = attach(so, ctx, NULL);
  cnet_tls_context_free(ctx);
  if (!r || set_names(r, opts) != 0 ||
      cnet_once(so, CNET_EV_CONNECT, start_on_connect, so) != 0 ||
      (callback && cnet__once_callback(so, CNET_EV_SECURE_CONNECT, callback, arg) != 0)) {
    cnet_socket_destroy(so, NULL);
    return cnet__fail(CNET_ENOMEM, NULL);
  }
  r->reject = !opts->has_reject_unauthorized || opts->reject_unauthorized;
  use_session(r, opts->session, opts->session_len);
  if (r->ctx->alpn) SSL_set_alpn_protos(r->ssl, r->ctx->alpn, (unsigned)r->ctx->alpn_len);
  *out = so;
  return 0;
}

/* ---- the socket's TLS getters ------------------------------------------- */

bool cnet_tls_socket_encrypted(const cnet_socket *so) { return rec_of(so) != NULL; }

bool cnet_tls_socket_authorized(const cnet_socket *so) {
  tls_rec *r = rec_of(so);
  return r && r->authorized;
}

const cnet_error *cnet_tls_socket_authorization_error(const cnet_socket *so) {
  tls_rec *r = rec_of(so);
  return r && r->has_auth_error ? &r->auth_error : NULL;
}

const char *cnet_tls_socket_get_protocol(const cnet_socket *so) {
  tls_rec *r = rec_of(so);
  return r && r->secure ? SSL_get_version(r->ssl) : NULL;
}

const char *cnet_tls_socket_alpn_protocol(const cnet_socket *so) {
  tls_rec *r = rec_of(so);
  if (!r || !r->secure) return NULL;
  const unsigned char *p;
  unsigned len;
  SSL_get0_alpn_selected(r->ssl, &p, &len);
  if (!len) return NULL;
  memcpy(r->alpn, p, len);
  r->alpn[len] = '\0';
  return r->alpn;
}

int cnet_tls_socket_get_cipher(const cnet_socket *so, cnet_tls_cipher *out) {
  tls_rec *r = rec_of(so);
  const SSL_CIPHER *c = r && r->secure ? SSL_get_current_cipher(r->ssl) : NULL;
  if (!c || !out) return cnet__fail(CNET_EINVAL, NULL);
  out->name = SSL_CIPHER_get_name(c);
  out->standard_name = SSL_CIPHER_standard_name(c);
  out->version = SSL_CIPHER_get_version(c);
  return 0;
}

/* ---- client certificates (requestCert) ---------------------------------- */

/* A server's verdict on its client, as Node's onServerSocketSecure: only
 * when it asked for a certificate (no certificate: Node's
 * UNABLE_TO_GET_ISSUER_CERT). false: refused, and the socket destroyed
 * before its last flight leaves, which the client sees as a close. */
static bool authorize_client(tls_rec *r) {
  if (!r->request_cert) return true;
  X509 *cert = SSL_get0_peer_certificate(r->ssl);
  long v = cert ? SSL_get_verify_result(r->ssl) : X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT;
  if (v == X509_V_OK) {
    r->authorized = true;
    return true;
  }
  cnet_error_set(&r->auth_error, verify_code(v), "%s", X509_verify_cert_error_string(v));
  r->has_auth_error = true;
  if (!r->reject) return true;
  cnet_error e;
  cnet_error_set(&e, CNET_ECONNRESET, "socket hang up");
  fail(r, &e);
  release_held(r); /* dropped: the socket is dead */
  return false;
}

/* ---- SNI ---------------------------------------------------------------- */


/* OpenSSL's certificate callback, where Node's oncertcb runs: the first
 * time a client sent a name, the handshake stops (-1:
 * SSL_ERROR_WANT_X509_LOOKUP) until the answer; handshake() then asks,
 * outside OpenSSL's call. */
static int sni_cert_cb(SSL *ssl, void *arg) {
  tls_rec *r = arg;
  if (r->sni == SNI_IDLE)
    r->sni = SSL_get_servername(ssl, TLSEXT_NAMETYPE_host_name) ? SNI_ASKING : SNI_ANSWERED;
  return r->sni == SNI_ANSWERED ? 1 : -1;
}

static tls_server *tls_server_of(const cnet_server *srv) {
  cnet__server_layer *l = cnet__server_get_layer(srv);
  return l && l->free == server_layer_free ? CNET__CONTAINER_OF(l, tls_server, layer) : NULL;
}

static bool server_peer_setup(tls_server *ts, tls_rec *r) {
  r->request_cert = ts->request_cert;
  r->reject = ts->reject;
  /* Node's setVerifyMode: the handshake goes on whatever the verdict
   * (verify_all), except without a certificate when it must refuse. */
  if (ts->request_cert)
    SSL_set_verify(r->ssl, SSL_VERIFY_PEER | (ts->reject ? SSL_VERIFY_FAIL_IF_NO_PEER_CERT : 0),
                   verify_all);
  if (ts->sni_cb || ts->n_contexts) {
    r->sni = SNI_IDLE;
    SSL_set_cert_cb(r->ssl, sni_cert_cb, r);
  }
  return true;
}

/* A label of a hostname pattern against one of the name: '*' is any run
 * of characters (a label has no '.'); linear in practice, never worse
 * than the product of the lengths. */
static bool label_match(const char *p, size_t pn, const char *s, size_t sn) {
  size_t i = 0, j = 0, star = (size_t)-1, mark = 0;
  while (j < sn) {
    if (i < pn && p[i] == '*') {
      star = i++;
      mark = j;
    } else if (i < pn && p[i] == s[j]) {
      i++, j++;
    } else if (star != (size_t)-1) {
      i = star + 1;
      j = ++mark;
    } else {
      return false;
    }
  }
  while (i < pn && p[i] == '*') i++;
  return i == pn;
}

/* Node's addContext pattern: '*' matches [^.]*, the rest itself. */
static bool host_match(const char *p, const char *s) {
  for (;;) {
    const char *pd = strchr(p, '.'), *sd = strchr(s, '.');
    size_t pn = pd ? (size_t)(pd - p) : strlen(p), sn = sd ? (size_t)(sd - s) : strlen(s);
    if (!label_match(p, pn, s, sn)) return false;
    if (!pd || !sd) return !pd && !sd;
    p = pd + 1;
    s = sd + 1;
  }
}

/* Node's default SNICallback: the context added last whose pattern
 * matches, else the server's own. */
static void sni_by_contexts(cnet_socket *so, const char *servername, void *arg) {
  tls_server *ts = arg;
  cnet_tls_context *ctx = NULL;
  for (size_t i = ts->n_contexts; i-- > 0 && !ctx;)
    if (host_match(ts->contexts[i].hostname, servername)) ctx = ts->contexts[i].ctx;
  cnet_tls_sni_answer(so, NULL, ctx);
}

static void sni_ask(tls_rec *r) {
  tls_server *ts = tls_server_of(r->server);
  if (r->sni != SNI_ASKING) return;
  r->sni = SNI_ASKED;
  const char *name = SSL_get_servername(r->ssl, TLSEXT_NAMETYPE_host_name);
  if (!ts) {
    cnet_tls_sni_answer(r->so, NULL, NULL);
    return;
  }
  if (ts->sni_cb) ts->sni_cb(r->so, name, ts->sni_arg);
  else sni_by_contexts(r->so, name, ts);
}

/* The handshake goes on after the answer, on its own tick: an answer
 * given inside the callback, inside handshake(), must not re-enter it. */
static void sni_resume(cnet__stream *s) {
  tls_rec *r = rec_of((cnet_socket *)s);
  if (!r || dead(r)) return;
  drain(r);
  drop_kept(r);
  if (!dead(r)) cnet__socket_record_update(r->so); /* it reads again */
}

/* Node's UseSNIContext and SetCACerts: the context's key, certificate
 * and chain serve this connection, its CAs verify the client's (the
 * rest, versions and ALPN, stays the server's). An empty chain is set
 * rather than none: OpenSSL would send the server context's. */
static int use_context(tls_rec *r, cnet_tls_context *c) {
  X509 *cert = SSL_CTX_get0_certificate(c->ctx);
  EVP_PKEY *key = SSL_CTX_get0_privatekey(c->ctx);
  STACK_OF(X509) *chain = NULL;
  SSL_CTX_get_extra_chain_certs(c->ctx, &chain);
  STACK_OF(X509) *none = chain ? NULL : sk_X509_new_null();
  STACK_OF(X509_NAME) *cas = SSL_dup_CA_list(SSL_CTX_get_client_CA_list(c->ctx));
  bool ok = cert && key && cas && (chain || none) && SSL_use_certificate(r->ssl, cert) == 1 &&
            SSL_use_PrivateKey(r->ssl, key) == 1 &&
            SSL_set1_chain(r->ssl, chain ? chain : none) == 1 &&
            SSL_set1_verify_cert_store(r->ssl, SSL_CTX_get_cert_store(c->ctx)) == 1;
  sk_X509_free(none);
  if (!ok) {
    sk_X509_NAME_pop_free(cas, X509_NAME_free);
    return cnet__fail(CNET_EINVAL, "the SNI context has no key or certificate");
  }
  SSL_set_client_CA_list(r->ssl, cas);
  atomic_fetch_add(&c->refs, 1);
  cnet_tls_context_free(r->sni_ctx);
  r->sni_ctx = c;
  return 0;
}

int cnet_tls_sni_answer(cnet_socket *so, const cnet_error *err, cnet_tls_context *ctx) {
  tls_rec *r = rec_of(so);
  if (!r || !r->server || r->sni < SNI_ASKED)
    return cnet__fail(CNET_EINVAL, "the socket is not waiting for an SNI answer");
  if (r->sni == SNI_ANSWERED) {
    cnet_error e;
    cnet_error_set(&e, CNET_ERR_MULTIPLE_CALLBACK, NULL);
    fail(r, &e);
    return cnet__fail(CNET_ERR_MULTIPLE_CALLBACK, NULL);
  }
  r->sni = SNI_ANSWERED;
  if (dead(r)) return cnet__fail(CNET_ERR_SOCKET_CLOSED, NULL);
  if (err) {
    fail(r, err);
    return 0;
  }
  if (ctx && use_context(r, ctx) != 0) {
    fail(r, cnet_last_error());
    return 0;
  }
  cnet__stream_tick(stream_of(r), sni_resume);
  return 0;
}

int cnet_tls_server_set_secure_context(cnet_server *server, cnet_tls_context *ctx) {
  tls_server *ts = tls_server_of(server);
  if (!ts || !ctx || !SSL_CTX_get0_certificate(ctx->ctx) || !SSL_CTX_get0_privatekey(ctx->ctx))
    return cnet__fail(CNET_EINVAL, "not a TLS server, or a context without a key and a "
                                   "certificate");
  atomic_fetch_add(&ctx->refs, 1);
  cnet_tls_context_free(ts->ctx);
  ts->ctx = ctx;
  return 0;
}

int cnet_tls_server_add_context(cnet_server *server, const char *hostname,
                                cnet_tls_context *ctx) {
  tls_server *ts = tls_server_of(server);
  if (!hostname || !*hostname) return cnet__fail(CNET_ERR_TLS_REQUIRED_SERVER_NAME, NULL);
  if (!ts || !ctx) return cnet__fail(CNET_EINVAL, "not a TLS server, or no context");
  sni_context *list = realloc(ts->contexts, (ts->n_contexts + 1) * sizeof *list);
  if (!list) return cnet__fail(CNET_ENOMEM, NULL);
  ts->contexts = list;
  char *copy = strdup(hostname);
  if (!copy) return cnet__fail(CNET_ENOMEM, NULL);
  atomic_fetch_add(&ctx->refs, 1);
  list[ts->n_contexts++] = (sni_context){copy, ctx};
  return 0;
}

const char *cnet_tls_socket_servername(const cnet_socket *so) {
  tls_rec *r = rec_of(so);
  return r && r->secure ? SSL_get_servername(r->ssl, TLSEXT_NAMETYPE_host_name) : NULL;
}

/* ---- getPeerCertificate(), getCertificate() ----------------------------- */

/* r->certs[i] for cert, made on the first call. */
static int cert_of(tls_rec *r, int i, X509 *cert, bool detailed,
                   const cnet_tls_certificate **out) {
  if (!cert) return 0;
  if (!r->certs[i]) {
    cnet_tls_context *c = r->sni_ctx ? r->sni_ctx : r->ctx;
    int rc = cnet__tls_certs_make(cert, detailed ? SSL_get_peer_cert_chain(r->ssl) : NULL,
                                  SSL_CTX_get_cert_store(c->ctx), detailed, &r->certs[i]);
    if (rc) return cnet__fail(rc, rc == CNET_E2BIG ? "certificate past cnet's limits" : NULL);
  }
  *out = cnet__tls_certs_first(r->certs[i]);
  return 0;
}

int cnet_tls_socket_get_peer_certificate(const cnet_socket *so, bool detailed,
                                         const cnet_tls_certificate **out) {
  tls_rec *r = rec_of(so);
  if (!r || !out) return cnet__fail(CNET_EINVAL, NULL);
  *out = NULL;
  if (!r->secure) return 0;
  return cert_of(r, detailed ? 1 : 0, SSL_get0_peer_certificate(r->ssl), detailed, out);
}

int cnet_tls_socket_get_certificate(const cnet_socket *so, const cnet_tls_certificate **out) {
  tls_rec *r = rec_of(so);
  if (!r || !out) return cnet__fail(CNET_EINVAL, NULL);
  *out = NULL;
  if (!r->secure) return 0;
  return cert_of(r, 2, SSL_get_certificate(r->ssl), false, out);
}

/* ---- sessions (the server's ticket keys), renegotiate() ------------------ */

bool cnet_tls_socket_is_session_reused(const cnet_socket *so) {
  tls_rec *r = rec_of(so);
  return r && r->secure && SSL_session_reused(r->ssl);
}

int cnet_tls_socket_get_session(const cnet_socket *so, void *buf, size_t size) {
  tls_rec *r = rec_of(so);
  SSL_SESSION *sess = r ? SSL_get_session(r->ssl) : NULL;
  int len = sess ? i2d_SSL_SESSION(sess, NULL) : 0;
  if (len <= 0) return cnet__fail(CNET_EINVAL, NULL);
  unsigned char *p = buf;
  if (buf && (size_t)len <= size) i2d_SSL_SESSION(sess, &p);
  return len;
}

int cnet_tls_socket_get_ticket(const cnet_socket *so, void *buf, size_t size) {
  tls_rec *r = rec_of(so);
  SSL_SESSION *sess = r ? SSL_get_session(r->ssl) : NULL;
  const unsigned char *ticket = NULL;
  size_t len = 0;
  if (sess) SSL_SESSION_get0_ticket(sess, &ticket, &len);
  if (!ticket || !len || len > SESSION_MAX) return cnet__fail(CNET_EINVAL, NULL);
  if (buf && len <= size) memcpy(buf, ticket, len);
  return (int)len;
}

int cnet_tls_server_get_ticket_keys(cnet_server *srv, void *keys) {
  tls_server *ts = tls_server_of(srv);
  if (!ts || !keys) return cnet__fail(CNET_EINVAL, NULL);
  pthread_mutex_lock(&ts->ctx->ticket_lock);
  memcpy(keys, ts->ctx->ticket_keys, sizeof ts->ctx->ticket_keys);
  pthread_mutex_unlock(&ts->ctx->ticket_lock);
  return 0;
}

int cnet_tls_server_set_ticket_keys(cnet_server *srv, const void *keys, size_t len) {
  tls_server *ts = tls_server_of(srv);
  if (!ts || !keys) return cnet__fail(CNET_EINVAL, NULL);
  if (len != sizeof ts->ctx->ticket_keys)
    return cnet__fail(CNET_ERR_INVALID_ARG_VALUE, "Session ticket keys must be a 48-byte buffer");
  pthread_mutex_lock(&ts->ctx->ticket_lock);
  memcpy(ts->ctx->ticket_keys, keys, len);
  pthread_mutex_unlock(&ts->ctx->ticket_lock);
  return 0;
}

static void renegotiate_failed(cnet__stream *s) {
  tls_rec *r = rec_of((cnet_socket *)s);
  cnet_callback cb = r ? r->reneg_cb : NULL;
  if (!cb) return;
  r->reneg_cb = NULL;
  cb(r->so, &r->reneg_error, r->reneg_arg);
}

int cnet_tls_socket_renegotiate(cnet_socket *so, cnet_callback cb, void *arg) {
  tls_rec *r = rec_of(so);
  if (!r || dead(r) || !r->secure || r->reneg_wanted || r->reneg_cb)
    return cnet__fail(CNET_EINVAL, NULL);
  if (SSL_renegotiate(r->ssl) != 1) {
    /* TLS 1.3: Node's callback gets OpenSSL's error on the next tick. */
    ssl_error(&r->reneg_error);
    if (cb && cnet__stream_tick(stream_of(r), renegotiate_failed) == 0) {
      r->reneg_cb = cb;
      r->reneg_arg = arg;
    }
    return cnet__fail(r->reneg_error.code, "%s", r->reneg_error.message);
  }
  r->reneg_wanted = true;
  r->reneg_cb = cb;
  r->reneg_arg = arg;
  /* Sends the hello; the rest of the handshake comes with the reads. */
  if (SSL_do_handshake(r->ssl) != 1) ERR_clear_error();
  if (r->send_error) fail_send(r);
  return 0;
}

/* ---- the rest of tlsSocket's methods ------------------------------------ */

int cnet_tls_socket_disable_renegotiation(cnet_socket *so) {
  tls_rec *r = rec_of(so);
  if (!r) return cnet__fail(CNET_EINVAL, NULL);
  r->reneg_disabled = true;
  return 0;
}

int cnet_tls_socket_export_keying_material(const cnet_socket *so, void *out, size_t length,
                                          const char *label, const void *context,
                                          size_t context_len) {
  tls_rec *r = rec_of(so);
  if (!r || !r->secure || dead(r))
    return cnet__fail(CNET_ERR_TLS_INVALID_STATE,
                      "TLS socket connection must be securely established");
  if (length == 0 || length > UINT32_MAX)
    return cnet__fail(CNET_ERR_OUT_OF_RANGE,
                      "The value of \"length\" is out of range. It must be >= 1 && <= "
                      "4294967295. Received %zu", length);
  if (!out || !label) return cnet__fail(CNET_EINVAL, NULL);
  static const unsigned char none;
  if (SSL_export_keying_material(r->ssl, out, length, label, strlen(label),
                                 context ? context : &none, context ? context_len : 0,
                                 context != NULL) != 1) {
    cnet_error e;
    ssl_error(&e);
    return cnet__fail(e.code, "%s", e.message);
  }
  return 0;
}

int cnet_tls_socket_get_ephemeral_key_info(const cnet_socket *so,
                                           cnet_tls_ephemeral_key_info *out) {
  tls_rec *r = rec_of(so);
  if (!r || r->server || !out) return cnet__fail(CNET_EINVAL, NULL);
  *out = (cnet_tls_ephemeral_key_info){0};
  EVP_PKEY *key = NULL;
  if (!r->secure || dead(r) || !SSL_get_peer_tmp_key(r->ssl, &key)) return 0;
  int id = EVP_PKEY_get_base_id(key);
  if (id == EVP_PKEY_DH) {
    out->type = "DH";
    out->size = EVP_PKEY_get_bits(key);
  } else if (id == EVP_PKEY_EC || id == EVP_PKEY_X25519 || id == EVP_PKEY_X448) {
    out->type = "ECDH";
    out->size = EVP_PKEY_get_bits(key);
    if (id != EVP_PKEY_EC) {
      out->name = OBJ_nid2sn(id);
    } else {
      /* the group's short name, as Node's OBJ_nid2sn of the curve */
      char group[64];
      size_t len;
      if (EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof group,
                                         &len) == 1)
        out->name = OBJ_nid2sn(OBJ_txt2nid(group));
    }
  }
  EVP_PKEY_free(key);
  return 0;
}

static size_t finished(const cnet_socket *so, void *buf, size_t size, bool peer) {
  tls_rec *r = rec_of(so);
  if (!r || !r->secure || dead(r)) return 0;
  char none;
  if (!buf) buf = &none, size = 0;
  return peer ? SSL_get_peer_finished(r->ssl, buf, size) : SSL_get_finished(r->ssl, buf, size);
}

size_t cnet_tls_socket_get_finished(const cnet_socket *so, void *buf, size_t size) {
  return finished(so, buf, size, false);
}

size_t cnet_tls_socket_get_peer_finished(const cnet_socket *so, void *buf, size_t size) {
  return finished(so, buf, size, true);
}

/* Node's name of a signature algorithm's key type. */
static const char *sign_name(int nid) {
  switch (nid) {
    case EVP_PKEY_RSA: return "RSA";
    case EVP_PKEY_RSA_PSS: return "RSA-PSS";
    case EVP_PKEY_DSA: return "DSA";
    case EVP_PKEY_EC: return "ECDSA";
    case NID_ED25519: return "Ed25519";
    case NID_ED448: return "Ed448";
    default: return OBJ_nid2sn(nid);
  }
}

size_t cnet_tls_socket_get_shared_sigalgs(const cnet_socket *so, char *buf, size_t size) {
  tls_rec *r = rec_of(so);
  if (buf && size) buf[0] = '\0';
  if (!r || dead(r)) return 0;
  size_t len = 0;
  int n = SSL_get_shared_sigalgs(r->ssl, 0, NULL, NULL, NULL, NULL, NULL);
  for (int i = 0; i < n; i++) {
    int sign, hash;
    SSL_get_shared_sigalgs(r->ssl, i, &sign, &hash, NULL, NULL, NULL);
    const char *h = hash == NID_undef ? "UNDEF" : OBJ_nid2sn(hash);
    int k = snprintf(buf && len < size ? buf + len : NULL, buf && len < size ? size - len : 0,
                     "%s%s+%s", i ? ":" : "", sign_name(sign), h);
    if (k > 0) len += (size_t)k;
  }
  return len;
}

bool cnet_tls_socket_set_max_send_fragment(cnet_socket *so, size_t size) {
  tls_rec *r = rec_of(so);
  if (!r || dead(r) || size < 512 || size > SSL3_RT_MAX_PLAIN_LENGTH) return false;
  return SSL_set_max_send_fragment(r->ssl, (long)size) == 1;
}
