/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* cnet tls: Node's tls module over OpenSSL 3. A TLS socket is a
 * cnet_socket (Node's TLSSocket extends net.Socket): every cnet_socket_*
 * and cnet_stream_* call works on it unchanged, and its 'data' is the
 * plaintext. A TLS server is a cnet_server whose connections are TLS.
 *
 *   cnet_tls_context_options sec = {.ca = ca_pem};
 *   cnet_connect_options net = {.port = 8443, .host = "localhost"};
 *   cnet_tls_connect_options o = {.connect = &net, .secure = &sec};
 *   cnet_socket *so;
 *   if (cnet_tls_connect(loop, &o, on_secure_connect, NULL, &so) < 0) ...
 *
 * Events, beside a socket's: CNET_EV_SECURE_CONNECT on a client socket
 * when the handshake is done and the server was verified (or
 * reject_unauthorized is off); CNET_EV_SECURE_CONNECTION on the server
 * (object: the socket, cnet_event_socket()); CNET_EV_TLS_CLIENT_ERROR on
 * the server when a connection fails before it is secure (error, and
 * object: the socket); CNET_EV_SESSION on a client socket (the session
 * to resume, as bytes); CNET_EV_KEYLOG on a client socket, and on the
 * server with the socket as object (a key log line). Reference:
 * docs/tls.md. */
#ifndef CNET_TLS_H
#define CNET_TLS_H

#include "cnet/net.h"

#ifdef __cplusplus
extern "C" {
#endif

/* tls.createSecureContext()'s result: keys, certificates, trusted CAs,
 * versions and ALPN, shared (reference counted) by the sockets made with
 * it. */
typedef struct cnet_tls_context cnet_tls_context;

/* tls.createSecureContext(options). Strings are PEM text, or the name of
 * a PEM file in the _file fields (Node's fs.readFileSync(path) passed
 * as the option). NULL or {0} means Node's defaults. */
typedef struct cnet_tls_context_options {
  const char *key;         /* the private key (a server's, PEM) */
  const char *cert;        /* its certificate, then the chain (PEM) */
  const char *ca;          /* trusted CAs (PEM); NULL: the system's */
  const char *key_file;
  const char *cert_file;
  const char *ca_file;
  /* ciphers, as Node's: OpenSSL's syntax, the TLS_ names TLS 1.3's
   * suites and the others TLS 1.2's (no TLS 1.2 one: TLS 1.3 only);
   * NULL or "": Node's tls.DEFAULT_CIPHERS. */
  const char *ciphers;
  /* "TLSv1", "TLSv1.1", "TLSv1.2" or "TLSv1.3"; NULL: TLSv1.2 (min),
   * TLSv1.3 (max), Node's defaults. */
  const char *min_version;
  const char *max_version;
  /* ALPNProtocols: NULL-terminated, in order of preference. */
  const char *const *alpn_protocols;
  /* ticketKeys: 48 bytes (ticket_keys_len must say 48), as Node's; NULL:
   * random keys of the context's own. */
  const void *ticket_keys;
  size_t ticket_keys_len;
  /* sessionTimeout, in seconds: how long a session the server issues
   * can be resumed; 0: OpenSSL's default, as Node v20's (7200). */
  int session_timeout;
  /* sessionIdContext (up to 32 bytes): a server resumes only sessions
   * issued under the same one, Node's or cnet's; NULL: "cnet". */
  const char *session_id_context;
  /* passphrase: the key's, when its PEM is encrypted; NULL: none (an
   * encrypted key fails with CNET_ERR_OSSL_BAD_DECRYPT). */
  const char *passphrase;
  /* ecdhCurve: the key exchange groups, OpenSSL's list ("X25519:P-256");
   * NULL or "auto": OpenSSL's (Node's default). */
  const char *ecdh_curve;
  /* honorCipherOrder: a server picks by its own order of ciphers, not
   * the client's. false counts only with has_honor_cipher_order: the
   * context cnet_tls_create_server makes from its options honors its
   * order unless told not to (Node's server default); one made by
   * cnet_tls_context_new does not (createSecureContext's). */
  bool honor_cipher_order;
  bool has_honor_cipher_order;
  /* sigalgs: the signature algorithms offered, OpenSSL's list
   * ("ECDSA+SHA256:RSA-PSS+SHA256"); NULL: OpenSSL's. */
  const char *sigalgs;
  /* secureOptions: OpenSSL's SSL_OP_* bits, added to the context's. */
  uint64_t secure_options;
  /* crl: PEM CRLs; the peer's whole chain is then checked against them
   * (CNET_CERT_REVOKED; a certificate whose issuer has no CRL given:
   * CNET_UNABLE_TO_GET_CRL), as Node checks. */
  const char *crl;
  /* pfx: a PKCS#12 file's pfx_len bytes (a key, its certificate, the
   * chain and CAs), opened with passphrase; pfx_file: the same read from
   * a file. Used after key and cert, as Node's. */
  const void *pfx;
  size_t pfx_len;
  const char *pfx_file;
} cnet_tls_context_options;

/* tls.createSecureContext(options): 0 and *out, or CNET_EINVAL (a bad
 * version name, no PEM where one was expected, a key that does not match
 * its certificate; cnet_last_error() gives OpenSSL's reason),
 * CNET_ERR_INVALID_ARG_VALUE (ticket keys that are not 48 bytes),
 * CNET_ERR_OUT_OF_RANGE (a negative session_timeout) or the error
 * of a _file that cannot be read (CNET_ENOENT, CNET_EACCES, ...; over
 * 4 MiB: CNET_EINVAL), its message naming the file. A _file is read
 * whole and used as the PEM field it stands for would be. Free with
 * cnet_tls_context_free(). */
int cnet_tls_context_new(const cnet_tls_context_options *opts,
                         cnet_tls_context **out);
/* Drops the caller's reference; the sockets and servers made with the
 * context keep theirs. */
void cnet_tls_context_free(cnet_tls_context *ctx);

/* SNICallback(servername, callback): a client asked for servername (SNI;
 * up to 255 bytes, no NUL: OpenSSL refuses the handshake otherwise; any
 * other byte as the client sent it, so treat it as untrusted). Answer
 * with cnet_tls_sni_answer(socket, ...), inside the callback or later:
 * the handshake waits for the answer. */
typedef void (*cnet_tls_sni_callback)(cnet_socket *socket, const char *servername,
                                      void *arg);

/* tls.createServer(options). */
typedef struct cnet_tls_server_options {
  /* secureContext; NULL: one made from secure (which then needs a key
   * and a certificate). */
  cnet_tls_context *secure_context;
  const cnet_tls_context_options *secure;
  const cnet_server_options *server; /* net.Server's options; NULL: defaults */
  /* requestCert: ask each client for its certificate (verified against
   * the context's ca). */
  bool request_cert;
  /* rejectUnauthorized (only with request_cert): a client without a
   * certificate, or whose certificate does not verify, is refused. true
   * unless has_reject_unauthorized says otherwise. */
  bool has_reject_unauthorized;
  bool reject_unauthorized;
  /* SNICallback: picks the context for the name a client sent (below);
   * NULL: the contexts of cnet_tls_server_add_context(), else the
   * server's own. */
  cnet_tls_sni_callback sni_callback;
  void *sni_arg;
  /* handshakeTimeout in ms: a connection not secure by then is
   * CNET_ERR_TLS_HANDSHAKE_TIMEOUT on 'tlsClientError', then destroyed.
   * 0: Node's default, 120000; negative: none. */
  int handshake_timeout;
} cnet_tls_server_options;

/* tls.createServer(options[, secureConnectionListener]):
 * on_secure_connection (may be NULL) is a CNET_EV_SECURE_CONNECTION
 * listener. 0 and *out (listen with cnet_server_listen*(), free with
 * cnet_server_free()), or CNET_EINVAL (no key or certificate) and the
 * errors of cnet_tls_context_new() and cnet_create_server(). */
int cnet_tls_create_server(cnet_loop *loop, const cnet_tls_server_options *opts,
                           cnet_listener on_secure_connection, void *arg,
                           cnet_server **out);

/* SNICallback's callback(err, ctx): err not NULL fails the connection
 * with it (the server's 'tlsClientError', the socket destroyed); else
 * ctx's key, certificate and chain, and its CAs for the client's
 * certificate, serve this connection (NULL ctx: the server's own). The
 * connection takes its own reference to ctx. 0; CNET_EINVAL when socket
 * asked nothing; CNET_ERR_SOCKET_CLOSED when it was destroyed meanwhile
 * (answer before its 'close', or hold it: cnet_socket_hold()); a second
 * answer destroys the socket with CNET_ERR_MULTIPLE_CALLBACK and returns
 * it, as Node's. */
int cnet_tls_sni_answer(cnet_socket *socket, const cnet_error *err, cnet_tls_context *ctx);

/* server.addContext(hostname, context): a client asking for hostname
 * gets ctx (a reference of the server's own). '*' in hostname stands
 * for any run of characters but '.', as Node's; the names are compared
 * byte for byte; the context added last wins. Used when the server has
 * no sni_callback. 0, or CNET_ERR_TLS_REQUIRED_SERVER_NAME (hostname
 * NULL or empty), CNET_EINVAL (not a TLS server, ctx NULL). */
int cnet_tls_server_add_context(cnet_server *server, const char *hostname,
                                cnet_tls_context *ctx);
/* server.setSecureContext(options), with the options made into ctx by
 * cnet_tls_context_new: connections accepted from now on use ctx (the
 * server keeps a reference of its own); those accepted before keep the
 * context they began with. Its certificate, key, CAs, ciphers, versions,
 * ALPN and ticket keys replace the old (new ticket keys unless ctx was
 * given some: sessions issued before then no longer resume, as with
 * Node's). The context is used as it was made: Node's setSecureContext
 * honors the server's cipher order unless told not to, so give ctx
 * honor_cipher_order for the same. A certificate renewed on disk, taken
 * without a restart. 0,
 * or CNET_EINVAL (not a TLS server, ctx NULL or without a key and a
 * certificate). */
int cnet_tls_server_set_secure_context(cnet_server *server, cnet_tls_context *ctx);

/* tls.connect(options). */
typedef struct cnet_tls_connect_options {
  const cnet_connect_options *connect; /* where: host and port, or path */
  cnet_tls_context *secure_context;    /* NULL: one made from secure */
  const cnet_tls_context_options *secure;
  /* SNI and the name the certificate must carry; NULL: the host, unless
   * it is an IP address (then no SNI, and the address is checked). */
  const char *servername;
  /* rejectUnauthorized: true unless has_reject_unauthorized says
   * otherwise. */
  bool has_reject_unauthorized;
  bool reject_unauthorized;
  /* session: the bytes of a CNET_EV_SESSION (or of
   * cnet_tls_socket_get_session()) to resume. Bytes that are not a
   * session (or over 10 KiB) are ignored, as Node ignores them: the
   * handshake is then a full one. */
  const void *session;
  size_t session_len;
  /* highWaterMark: the socket's writable mark (Node's TLSSocket takes
   * it); 0: 16 KiB, unless has_high_water_mark (0 is then the mark). */
  size_t high_water_mark;
  bool has_high_water_mark;
} cnet_tls_connect_options;

/* tls.connect(options[, callback]): callback (may be NULL) runs once on
 * CNET_EV_SECURE_CONNECT. Writes made before it wait for the handshake.
 * With reject_unauthorized, a server whose certificate does not verify,
 * or does not carry the name (Node's checkServerIdentity), destroys the
 * socket with the error (CNET_UNABLE_TO_VERIFY_LEAF_SIGNATURE,
 * CNET_ERR_TLS_CERT_ALTNAME_INVALID, ...). The connection closed before
 * the handshake ends is CNET_ECONNRESET "Client network socket
 * disconnected before secure TLS connection was established". 0 and
 * *out, or the errors of cnet_connect() and cnet_tls_context_new(). */
int cnet_tls_connect(cnet_loop *loop, const cnet_tls_connect_options *opts,
                     cnet_callback callback, void *arg, cnet_socket **out);

/* tlsSocket.encrypted: whether socket is a TLS socket. */
bool cnet_tls_socket_encrypted(const cnet_socket *socket);
/* tlsSocket.authorized: the peer's certificate verified (and, on a
 * client, carries the name). false for a plain socket. */
bool cnet_tls_socket_authorized(const cnet_socket *socket);
/* tlsSocket.authorizationError: why it is not authorized (code and
 * Node's message), NULL when it is, before the handshake, or for a
 * plain socket. */
const cnet_error *cnet_tls_socket_authorization_error(const cnet_socket *socket);
/* tlsSocket.getProtocol(): "TLSv1.2", "TLSv1.3"; NULL before the
 * handshake and for a plain socket (Node's null). */
const char *cnet_tls_socket_get_protocol(const cnet_socket *socket);
/* tlsSocket.alpnProtocol: the protocol ALPN chose, NULL when none was
 * (Node's false) or before the handshake. */
const char *cnet_tls_socket_alpn_protocol(const cnet_socket *socket);

/* tlsSocket.getCipher()'s object: its strings live as long as the
 * socket. */
typedef struct cnet_tls_cipher {
  const char *name;          /* OpenSSL's name: "ECDHE-RSA-AES128-GCM-SHA256" */
  const char *standard_name; /* IETF's: "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256" */
  const char *version;       /* "TLSv1.2", ...: the cipher's, as Node gives */
} cnet_tls_cipher;
/* tlsSocket.getCipher(): 0 and *out, or CNET_EINVAL for a plain socket
 * or before the handshake (Node's undefined). */
int cnet_tls_socket_get_cipher(const cnet_socket *socket, cnet_tls_cipher *out);

/* tlsSocket.servername: on a server, the name the client asked for
 * (SNI); on a client, the name it sent. NULL when there was none (Node's
 * false), before the handshake and for a plain socket. */
const char *cnet_tls_socket_servername(const cnet_socket *socket);

/* One attribute of a distinguished name: its short name ("CN", "OU";
 * the OID as digits when OpenSSL has no name for it) and its value as
 * UTF-8 (a NUL byte, which a C string cannot hold, as U+FFFD). */
typedef struct cnet_tls_name_entry {
  const char *name;
  const char *value;
} cnet_tls_name_entry;

/* A subject or an issuer, as Node's object: the usual attributes (NULL:
 * absent; the first value when given more than once, where Node makes an
 * array), and every entry in the certificate's order. */
typedef struct cnet_tls_name {
  const char *c, *st, *l, *o, *ou, *cn;
  const cnet_tls_name_entry *entries;
  size_t n_entries;
} cnet_tls_name;

/* getPeerCertificate()'s object. Strings and bytes live as long as the
 * socket. */
typedef struct cnet_tls_certificate cnet_tls_certificate;
struct cnet_tls_certificate {
  cnet_tls_name subject;
  cnet_tls_name issuer;
  /* "DNS:a.example, IP Address:127.0.0.1, ..." as Node prints it; NULL:
   * the certificate has none. */
  const char *subjectaltname;
  /* infoAccess: {"OCSP - URI", "http://..."}, {"CA Issuers - URI", ...}
   * in order (Node groups them by name). */
  const cnet_tls_name_entry *info_access;
  size_t n_info_access;
  bool ca;                  /* a CA's certificate */
  int bits;                 /* the key's size; 0: neither RSA nor EC */
  const char *modulus;      /* RSA: hex ("B22D...") and "0x10001"; else NULL */
  const char *exponent;
  const unsigned char *pubkey; /* RSA: SubjectPublicKeyInfo (DER); EC: the point */
  size_t pubkey_len;
  const char *asn1_curve;   /* EC: "prime256v1" and "P-256"; else NULL */
  const char *nist_curve;
  const char *valid_from;   /* "Dec  6 12:31:55 2026 GMT" */
  const char *valid_to;
  const char *fingerprint;  /* SHA-1, "33:A0:...", and SHA-256, SHA-512 */
  const char *fingerprint256;
  const char *fingerprint512;
  const char *const *ext_key_usage; /* OIDs: "1.3.6.1.5.5.7.3.2" */
  size_t n_ext_key_usage;
  const char *serial_number; /* hex: "552E9CA0..." */
  const unsigned char *raw; /* the certificate (DER) */
  size_t raw_len;
  /* getPeerCertificate(true): its issuer's (itself for a self-signed
   * root, as Node's); NULL when not detailed or the issuer is unknown. */
  const cnet_tls_certificate *issuer_certificate;
};

/* tlsSocket.getPeerCertificate([detailed]): 0 and *out, NULL when the
 * peer sent none (Node's {}), or CNET_EINVAL for a plain socket,
 * CNET_ENOMEM, CNET_E2BIG for a certificate past cnet's limits
 * (docs/tls.md). detailed: the issuers' chain too. */
int cnet_tls_socket_get_peer_certificate(const cnet_socket *socket, bool detailed,
                                         const cnet_tls_certificate **out);
/* tlsSocket.getCertificate(): the socket's own certificate, as above. */
int cnet_tls_socket_get_certificate(const cnet_socket *socket,
                                    const cnet_tls_certificate **out);

/* tlsSocket.isSessionReused(): the handshake resumed a session. */
bool cnet_tls_socket_is_session_reused(const cnet_socket *socket);
/* tlsSocket.getSession(): the session's bytes (i2d_SSL_SESSION, as Node's
 * Buffer), copied into buf when they fit in size (NULL, 0 asks for the
 * length). Returns the length, or CNET_EINVAL for a plain socket or one
 * with no session yet (Node's undefined). */
int cnet_tls_socket_get_session(const cnet_socket *socket, void *buf, size_t size);
/* tlsSocket.getTLSTicket(): the ticket a client holds, as get_session
 * gives the session; CNET_EINVAL when it has none. */
int cnet_tls_socket_get_ticket(const cnet_socket *socket, void *buf, size_t size);

/* server.getTicketKeys(): the 48 bytes of the keys that seal its
 * tickets, into keys. 0, or CNET_EINVAL for a server that is not TLS. */
int cnet_tls_server_get_ticket_keys(cnet_server *server, void *keys);
/* server.setTicketKeys(keys): tickets sealed with the old keys are no
 * longer resumed. 0, CNET_EINVAL (not a TLS server) or
 * CNET_ERR_INVALID_ARG_VALUE (len is not 48). */
int cnet_tls_server_set_ticket_keys(cnet_server *server, const void *keys, size_t len);

/* tlsSocket.renegotiate(options, callback), TLS 1.2 only: starts a new
 * handshake; callback (may be NULL) runs once it is done. 0, or
 * CNET_EINVAL (a plain socket, one not secure yet, destroyed, or with a
 * renegotiation under way) or CNET_ERR_SSL_WRONG_SSL_VERSION (TLS 1.3
 * has no renegotiation: the callback then gets the error on a later
 * tick, as Node's does). A server allows a client 3 renegotiations
 * within 10 minutes (Node's tls.CLIENT_RENEG_LIMIT and
 * CLIENT_RENEG_WINDOW); the next one destroys the socket with
 * CNET_ERR_TLS_SESSION_ATTACK. */
int cnet_tls_socket_renegotiate(cnet_socket *socket, cnet_callback callback, void *arg);
/* tlsSocket.disableRenegotiation(): a server's socket refuses the
 * client's renegotiations from now on: the next one destroys it with
 * CNET_ERR_TLS_RENEGOTIATION_DISABLED (Node emits that 'error' and goes
 * on, as with CNET_ERR_TLS_SESSION_ATTACK above). 0, or CNET_EINVAL for
 * a plain socket. */
int cnet_tls_socket_disable_renegotiation(cnet_socket *socket);

/* tlsSocket.exportKeyingMaterial(length, label[, context]): length bytes
 * of keying material (RFC 5705, RFC 8446 7.5) into out. context NULL:
 * none (Node's context left out; an empty one given is not the same).
 * 0, or CNET_ERR_TLS_INVALID_STATE (a plain socket or one not secure
 * yet), CNET_ERR_OUT_OF_RANGE (length 0 or over 2^32 - 1), or OpenSSL's
 * refusal (CNET_ERR_SSL_TLS_ILLEGAL_EXPORTER_LABEL: TLS 1.2's reserved
 * labels). */
int cnet_tls_socket_export_keying_material(const cnet_socket *socket, void *out,
                                          size_t length, const char *label,
                                          const void *context, size_t context_len);

/* tlsSocket.getEphemeralKeyInfo()'s object. */
typedef struct cnet_tls_ephemeral_key_info {
  const char *type; /* "ECDH" or "DH"; NULL: none (Node's {}) */
  const char *name; /* ECDH's group: "X25519", "prime256v1"; else NULL */
  int size;         /* the key's bits: 253 for X25519; 0 with no type */
} cnet_tls_ephemeral_key_info;
/* tlsSocket.getEphemeralKeyInfo(): a client's key exchange, 0 and *out
 * (no type before the handshake or for an exchange that is not
 * ephemeral); CNET_EINVAL on a server's socket (Node's null) or a plain
 * one. */
int cnet_tls_socket_get_ephemeral_key_info(const cnet_socket *socket,
                                           cnet_tls_ephemeral_key_info *out);

/* tlsSocket.getFinished() and getPeerFinished(): the verify data of the
 * last Finished message the socket sent (received), copied into buf up
 * to size bytes. Returns its length; 0 before the handshake or for a
 * plain socket (Node's undefined). */
size_t cnet_tls_socket_get_finished(const cnet_socket *socket, void *buf, size_t size);
size_t cnet_tls_socket_get_peer_finished(const cnet_socket *socket, void *buf, size_t size);

/* tlsSocket.getSharedSigalgs(): the signature algorithms both sides
 * share, Node's strings joined by ':' ("ECDSA+SHA256:RSA-PSS+SHA256:...",
 * "Ed25519+UNDEF") into buf, NUL-ended, as snprintf: returns the length
 * the whole list needs (0: none, or a plain socket). A client shares
 * none unless it sent a certificate, as Node's. */
size_t cnet_tls_socket_get_shared_sigalgs(const cnet_socket *socket, char *buf, size_t size);

/* tlsSocket.setMaxSendFragment(size): records of at most size bytes of
 * plaintext from now on. true, or false for a size outside 512..16384
 * or a plain socket (Node's false). */
bool cnet_tls_socket_set_max_send_fragment(cnet_socket *socket, size_t size);

#ifdef __cplusplus
}
#endif

#endif
