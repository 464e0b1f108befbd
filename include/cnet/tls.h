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
 * object: the socket). Reference: docs/tls.md. */
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
  const char *ciphers;     /* TLS 1.2's cipher list (OpenSSL's syntax) */
  const char *min_version; /* "TLSv1.2" (the default) or "TLSv1.3" */
  const char *max_version; /* "TLSv1.3" (the default) or "TLSv1.2" */
  /* ALPNProtocols: NULL-terminated, in order of preference. */
  const char *const *alpn_protocols;
} cnet_tls_context_options;

/* tls.createSecureContext(options): 0 and *out, or CNET_EINVAL (a bad
 * version name, no PEM where one was expected, a key that does not match
 * its certificate; cnet_last_error() gives OpenSSL's reason) or the error
 * of a _file that cannot be read (CNET_ENOENT, CNET_EACCES, ...; over
 * 4 MiB: CNET_EINVAL), its message naming the file. A _file is read
 * whole and used as the PEM field it stands for would be. Free with
 * cnet_tls_context_free(). */
int cnet_tls_context_new(const cnet_tls_context_options *opts,
                         cnet_tls_context **out);
/* Drops the caller's reference; the sockets and servers made with the
 * context keep theirs. */
void cnet_tls_context_free(cnet_tls_context *ctx);

/* tls.createServer(options). */
typedef struct cnet_tls_server_options {
  /* secureContext; NULL: one made from secure (which then needs a key
   * and a certificate). */
  cnet_tls_context *secure_context;
  const cnet_tls_context_options *secure;
  const cnet_server_options *server; /* net.Server's options; NULL: defaults */
} cnet_tls_server_options;

/* tls.createServer(options[, secureConnectionListener]):
 * on_secure_connection (may be NULL) is a CNET_EV_SECURE_CONNECTION
 * listener. 0 and *out (listen with cnet_server_listen*(), free with
 * cnet_server_free()), or CNET_EINVAL (no key or certificate) and the
 * errors of cnet_tls_context_new() and cnet_create_server(). */
int cnet_tls_create_server(cnet_loop *loop, const cnet_tls_server_options *opts,
                           cnet_listener on_secure_connection, void *arg,
                           cnet_server **out);

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

#ifdef __cplusplus
}
#endif

#endif
