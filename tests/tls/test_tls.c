/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* tls: TLS sockets over TCP. cnet against itself, against openssl's
 * s_server and s_client and against Node's tls, TLS 1.2 and 1.3: the
 * handshake and its events, writes made before it, bytes both ways (16
 * MiB with backpressure), pause and resume, end and close in Node's
 * order, the verify errors with Node's codes, ALPN. Certificates are made
 * for each test by make-certs.sh in a temporary directory. */
#include "harness.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/ssl.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../unit/pattern.h"

static char certs[256];

static char *texts[32]; /* pem()'s, freed at exit */
static int n_texts;

static void remove_certs(void) {
  for (int i = 0; i < n_texts; i++) free(texts[i]);
  char cmd[300];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", certs);
  if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", certs);
}

static void make_certs(void) {
  if (certs[0]) return;
  const char *t = getenv("TMPDIR");
  snprintf(certs, sizeof certs, "%s/cnet-tls-XXXXXX", t && *t ? t : "/tmp");
  ASSERT_NOT_NULL(mkdtemp(certs));
  atexit(remove_certs);
  char cmd[600];
  snprintf(cmd, sizeof cmd, "sh '%s/make-certs.sh' '%s'", CNET_TLS_TEST_DIR, certs);
  ASSERT_EQ(system(cmd), 0);
}

/* The certificate file's text. */
static char *pem(const char *name) {
  make_certs();
  char path[400];
  snprintf(path, sizeof path, "%s/%s", certs, name);
  FILE *f = fopen(path, "r");
  ASSERT_NOT_NULL(f);
  char *buf = calloc(1, 1 << 16);
  ASSERT_NOT_NULL(buf);
  size_t len = fread(buf, 1, (1 << 16) - 1, f);
  fclose(f);
  ASSERT(len > 0);
  ASSERT(n_texts < 32);
  texts[n_texts++] = buf;
  return buf;
}

static cnet_loop *loop;
static cnet_server *server;
static int port;

/* ---- a cnet server that answers upper-cased ----------------------------- */

static bool end_on_data; /* answer once, then end (s_client waits for it) */

static void upper_data(const cnet_event *ev, void *arg) {
  (void)arg;
  char buf[4096];
  size_t n = ev->len < sizeof buf ? ev->len : sizeof buf;
  for (size_t i = 0; i < n; i++)
    buf[i] = (char)(ev->data[i] >= 'a' && ev->data[i] <= 'z' ? ev->data[i] - 32 : ev->data[i]);
  if (end_on_data)
    cnet_socket_end(ev->target, buf, n, NULL, NULL);
  else
    cnet_socket_write(ev->target, buf, n, NULL, NULL);
}

static void srv_end(const cnet_event *ev, void *arg) {
  (void)arg;
  test_trace("srv:end");
  cnet_socket_end(ev->target, NULL, 0, NULL, NULL);
}

static void srv_close(const cnet_event *ev, void *arg) {
  (void)ev, (void)arg;
  test_trace("srv:close");
  cnet_server_close(server, NULL, NULL);
}

static void on_secure_connection(const cnet_event *ev, void *arg) {
  (void)arg;
  cnet_socket *so = cnet_event_socket(ev);
  test_trace("srv:secureConnection:%s:%s", cnet_tls_socket_get_protocol(so),
             cnet_tls_socket_alpn_protocol(so) ? cnet_tls_socket_alpn_protocol(so) : "false");
  cnet_on(so, CNET_EV_DATA, upper_data, NULL);
  cnet_on(so, CNET_EV_END, srv_end, NULL);
  cnet_on(so, CNET_EV_CLOSE, srv_close, NULL);
}

static void start_server(const char *cert, const char *key, const char *max_version,
                         const char *const *alpn) {
  cnet_tls_context_options sec = {.cert = pem(cert), .key = pem(key),
                                  .max_version = max_version, .alpn_protocols = alpn};
  cnet_tls_server_options o = {.secure = &sec};
  ASSERT_EQ(cnet_tls_create_server(loop, &o, on_secure_connection, NULL, &server), 0);
  port = test_listen(loop, server, "127.0.0.1", 0);
}

/* ---- a cnet client ------------------------------------------------------ */

static struct {
  char got[1 << 12];
  size_t len;
} rx;

static void cli_data(const cnet_event *ev, void *arg) {
  (void)arg;
  if (rx.len + ev->len < sizeof rx.got) memcpy(rx.got + rx.len, ev->data, ev->len);
  rx.len += ev->len;
}

static void cli_event(const cnet_event *ev, void *arg) {
  (void)arg;
  if (ev->type == CNET_EV_ERROR)
    test_trace("cli:error:%s:%s", cnet_err_name(ev->error->code), ev->error->message);
  else
    test_trace("cli:%s", cnet_event_name((int)ev->type));
}

static void on_secure_connect(void *object, const cnet_error *err, void *arg) {
  (void)err, (void)arg;
  cnet_socket *so = object;
  cnet_tls_cipher c;
  ASSERT_EQ(cnet_tls_socket_get_cipher(so, &c), 0);
  const cnet_error *ae = cnet_tls_socket_authorization_error(so);
  test_trace("cli:secureConnect:%s:%s:%s:%s", cnet_tls_socket_get_protocol(so),
             cnet_tls_socket_authorized(so) ? "authorized" : ae ? cnet_err_name(ae->code) : "?",
             c.version,
             cnet_tls_socket_alpn_protocol(so) ? cnet_tls_socket_alpn_protocol(so) : "false");
  cnet_socket_end_string(so, "bye", NULL, NULL, NULL);
}

static cnet_socket *connect_with(const cnet_tls_context_options *sec, const char *servername,
                                 bool reject) {
  cnet_connect_options net = {.port = port, .host = "127.0.0.1"};
  cnet_tls_connect_options o = {.connect = &net, .secure = sec, .servername = servername,
                                .has_reject_unauthorized = !reject,
                                .reject_unauthorized = reject};
  cnet_socket *so;
  ASSERT_EQ(cnet_tls_connect(loop, &o, on_secure_connect, NULL, &so), 0);
  ASSERT(cnet_tls_socket_encrypted(so));
  cnet_on(so, CNET_EV_DATA, cli_data, NULL);
  static const int traced[] = {CNET_EV_CONNECT, CNET_EV_END, CNET_EV_FINISH, CNET_EV_ERROR,
                               CNET_EV_CLOSE};
  for (size_t i = 0; i < sizeof traced / sizeof traced[0]; i++)
    cnet_on(so, traced[i], cli_event, NULL);
  return so;
}

static void setup(void) {
  loop = test_loop();
  test_trace_reset();
  rx.len = 0;
}

static void teardown(void) {
  cnet_server_free(server);
  server = NULL;
  test_loop_close(loop);
}

/* ---- cnet against cnet -------------------------------------------------- */

static void exchange(const char *max_version, const char *expected) {
  setup();
  start_server("server.pem", "server.key", max_version, NULL);
  cnet_tls_context_options sec = {.ca = pem("ca.pem")};
  cnet_socket *so = connect_with(&sec, NULL, true);
  /* Written before the handshake: Node holds it until 'secure'. */
  cnet_socket_write_string(so, "early,", NULL, NULL, NULL);
  test_run(loop);
  ASSERT_TRACE(expected);
  ASSERT_EQ(rx.len, 9);
  ASSERT_MEM_EQ(rx.got, "EARLY,BYE", 9);
  teardown();
}

/* Node's order (its trace for the same exchange): under TLS 1.3 the
 * client is secure first and its end() finishes at once; the server's
 * 'end' comes from the client's close_notify, the client's from the
 * server's. The server's last write completes in the check phase, so
 * both sockets close in one turn, the newer first (libuv's order). */
CNET_TEST(cnet_tls13_exchange) {
  exchange(NULL, "cli:connect cli:secureConnect:TLSv1.3:authorized:TLSv1.3:false "
                 "cli:finish srv:secureConnection:TLSv1.3:false srv:end cli:end "
                 "cli:close srv:close");
}

CNET_TEST(cnet_tls12_exchange) {
  exchange("TLSv1.2", "cli:connect srv:secureConnection:TLSv1.2:false "
                      "cli:secureConnect:TLSv1.2:authorized:TLSv1.2:false cli:finish "
                      "srv:end cli:end cli:close srv:close");
}

/* A write the kernel takes at once completes in the check phase, before
 * the immediates set earlier (Node's TLSWrap completes it from a native
 * immediate), and so does one made from that callback. */
static cnet_immediate timing_im;

static void timing_immediate(cnet_immediate *im, void *arg) {
  (void)im, (void)arg;
  test_trace("immediate");
}

static void timing_second_done(void *object, const cnet_error *err, void *arg) {
  (void)arg;
  test_trace("second:%s", err ? "error" : "done");
  cnet_socket_end(object, NULL, 0, NULL, NULL);
}

static void timing_first_done(void *object, const cnet_error *err, void *arg) {
  (void)arg;
  test_trace("first:%s", err ? "error" : "done");
  cnet_socket_write_string(object, "two", NULL, timing_second_done, NULL);
}

static void timing_secure(void *object, const cnet_error *err, void *arg) {
  (void)err, (void)arg;
  ASSERT_EQ(cnet_set_immediate(loop, &timing_im, timing_immediate, NULL), 0);
  cnet_socket_write_string(object, "one", NULL, timing_first_done, NULL);
  test_trace("written");
}

CNET_TEST(write_completes_in_check_phase) {
  setup();
  start_server("server.pem", "server.key", NULL, NULL);
  cnet_connect_options net = {.port = port, .host = "127.0.0.1"};
  cnet_tls_context_options sec = {.ca = pem("ca.pem")};
  cnet_tls_connect_options o = {.connect = &net, .secure = &sec};
  cnet_socket *so;
  timing_im = (cnet_immediate){0};
  ASSERT_EQ(cnet_tls_connect(loop, &o, timing_secure, NULL, &so), 0);
  cnet_on(so, CNET_EV_DATA, cli_data, NULL);
  test_run(loop);
  ASSERT_TRACE("written first:done second:done immediate srv:secureConnection:TLSv1.3:false "
               "srv:end srv:close");
  ASSERT_EQ(rx.len, 6);
  ASSERT_MEM_EQ(rx.got, "ONETWO", 6);
  teardown();
}

CNET_TEST(cnet_key_cert_from_files) {
  setup();
  make_certs();
  char cert[400], key[400], ca[400];
  snprintf(cert, sizeof cert, "%s/server.pem", certs);
  snprintf(key, sizeof key, "%s/server.key", certs);
  snprintf(ca, sizeof ca, "%s/ca.pem", certs);
  cnet_tls_context_options sec = {.cert_file = cert, .key_file = key};
  cnet_tls_context *ctx;
  ASSERT_EQ(cnet_tls_context_new(&sec, &ctx), 0);
  cnet_tls_server_options o = {.secure_context = ctx};
  ASSERT_EQ(cnet_tls_create_server(loop, &o, on_secure_connection, NULL, &server), 0);
  cnet_tls_context_free(ctx); /* the server keeps its own reference */
  port = test_listen(loop, server, "127.0.0.1", 0);
  cnet_tls_context_options csec = {.ca_file = ca};
  connect_with(&csec, "localhost", true);
  test_run(loop);
  ASSERT_EQ(rx.len, 3);
  ASSERT_MEM_EQ(rx.got, "BYE", 3);
  teardown();
}

CNET_TEST(context_bad_key) {
  cnet_tls_context_options sec = {.cert = pem("server.pem"), .key = pem("self.key")};
  cnet_tls_context *ctx;
  ASSERT_EQ(cnet_tls_context_new(&sec, &ctx), CNET_ERR_OSSL_X509_KEY_VALUES_MISMATCH);
  ASSERT_NULL(ctx);
  cnet_tls_context_options v = {.min_version = "TLSv1.9"};
  ASSERT_EQ(cnet_tls_context_new(&v, &ctx), CNET_ERR_TLS_INVALID_PROTOCOL_VERSION);
}

/* Files are read and used as the PEM they hold: a key that does not match
 * its certificate is the same error either way, a file that cannot be
 * read is its errno, the message naming the file, and a CA file with no
 * certificate in it is taken (as Node takes such a ca) and trusts none. */
CNET_TEST(context_files_errors) {
  make_certs();
  char cert[400], key[400], missing[400];
  snprintf(cert, sizeof cert, "%s/server.pem", certs);
  snprintf(key, sizeof key, "%s/self.key", certs);
  snprintf(missing, sizeof missing, "%s/no-such.pem", certs);
  cnet_tls_context *ctx;
  cnet_tls_context_options mismatch = {.cert_file = cert, .key_file = key};
  ASSERT_EQ(cnet_tls_context_new(&mismatch, &ctx), CNET_ERR_OSSL_X509_KEY_VALUES_MISMATCH);
  ASSERT_NULL(ctx);
  cnet_tls_context_options gone = {.cert_file = missing, .key_file = key};
  ASSERT_EQ(cnet_tls_context_new(&gone, &ctx), CNET_ENOENT);
  ASSERT_NULL(ctx);
  ASSERT(strstr(cnet_last_error()->message, "no-such.pem") != NULL);
  cnet_tls_context_options no_cert = {.ca_file = key};
  ASSERT_EQ(cnet_tls_context_new(&no_cert, &ctx), 0);
  cnet_tls_context_free(ctx);
}

CNET_TEST(tls_getters_on_plain_socket) {
  cnet_loop *l = test_loop();
  cnet_socket *so;
  ASSERT_EQ(cnet_socket_new(l, NULL, &so), 0);
  ASSERT(!cnet_tls_socket_encrypted(so));
  ASSERT(!cnet_tls_socket_authorized(so));
  ASSERT_NULL(cnet_tls_socket_get_protocol(so));
  ASSERT_NULL(cnet_tls_socket_authorization_error(so));
  cnet_tls_cipher c;
  ASSERT_EQ(cnet_tls_socket_get_cipher(so, &c), CNET_EINVAL);
  cnet_socket_destroy(so, NULL);
  test_run(l);
  test_loop_close(l);
}

/* ---- ALPN --------------------------------------------------------------- */

CNET_TEST(alpn_server_preference) {
  setup();
  static const char *const srv[] = {"h2", "http/1.1", NULL};
  static const char *const cli[] = {"x", "http/1.1", NULL};
  start_server("server.pem", "server.key", NULL, srv);
  cnet_tls_context_options sec = {.ca = pem("ca.pem"), .alpn_protocols = cli};
  connect_with(&sec, NULL, true);
  test_run(loop);
  ASSERT(strstr(test_trace_get(), "cli:secureConnect:TLSv1.3:authorized:TLSv1.3:http/1.1"));
  ASSERT(strstr(test_trace_get(), "srv:secureConnection:TLSv1.3:http/1.1"));
  teardown();
}

static void on_tls_client_error(const cnet_event *ev, void *arg);

CNET_TEST(alpn_no_overlap) {
  /* Node's server refuses with a no_application_protocol alert. */
  setup();
  static const char *const srv[] = {"h2", NULL};
  static const char *const cli[] = {"x", NULL};
  start_server("server.pem", "server.key", NULL, srv);
  cnet_on(server, CNET_EV_TLS_CLIENT_ERROR, on_tls_client_error, NULL);
  cnet_tls_context_options sec = {.ca = pem("ca.pem"), .alpn_protocols = cli};
  connect_with(&sec, NULL, true);
  test_run(loop);
  ASSERT(strstr(test_trace_get(), "cli:error:ERR_SSL_TLSV1_ALERT_NO_APPLICATION_PROTOCOL"));
  ASSERT(strstr(test_trace_get(), "srv:tlsClientError:ERR_SSL_NO_APPLICATION_PROTOCOL"));
  teardown();
}

/* ---- verify errors, with Node's codes and messages ---------------------- */

static void refused(const char *cert, const char *key, const char *ca, const char *servername,
                    const char *expected) {
  setup();
  start_server(cert, key, NULL, NULL);
  cnet_on(server, CNET_EV_TLS_CLIENT_ERROR, on_tls_client_error, NULL);
  cnet_tls_context_options sec = {.ca = ca ? pem(ca) : NULL};
  connect_with(&sec, servername, true);
  test_run(loop);
  ASSERT_TRACE(expected);
  teardown();
}

CNET_TEST(verify_no_ca) {
  /* The system's store does not know the test CA. */
  refused("server.pem", "server.key", NULL, NULL,
          "cli:connect cli:error:UNABLE_TO_VERIFY_LEAF_SIGNATURE:unable to verify the first "
          "certificate cli:close srv:tlsClientError:ECONNRESET:socket hang up");
}

CNET_TEST(verify_self_signed) {
  refused("self.pem", "self.key", "ca.pem", NULL,
          "cli:connect cli:error:DEPTH_ZERO_SELF_SIGNED_CERT:self-signed certificate "
          "cli:close srv:tlsClientError:ECONNRESET:socket hang up");
}

CNET_TEST(verify_self_signed_in_chain) {
  /* The server sends its root; the client trusts another. */
  char *chain = calloc(1, 1 << 17);
  ASSERT_NOT_NULL(chain);
  strcat(chain, pem("server.pem"));
  strcat(chain, pem("ca.pem"));
  setup();
  cnet_tls_context_options s = {.cert = chain, .key = pem("server.key")};
  cnet_tls_server_options o = {.secure = &s};
  ASSERT_EQ(cnet_tls_create_server(loop, &o, on_secure_connection, NULL, &server), 0);
  free(chain);
  port = test_listen(loop, server, "127.0.0.1", 0);
  cnet_on(server, CNET_EV_TLS_CLIENT_ERROR, on_tls_client_error, NULL);
  cnet_tls_context_options sec = {.ca = pem("self.pem")};
  connect_with(&sec, NULL, true);
  test_run(loop);
  ASSERT_TRACE("cli:connect cli:error:SELF_SIGNED_CERT_IN_CHAIN:self-signed certificate in "
               "certificate chain cli:close srv:tlsClientError:ECONNRESET:socket hang up");
  teardown();
}

CNET_TEST(verify_expired) {
  refused("expired.pem", "expired.key", "ca.pem", NULL,
          "cli:connect cli:error:CERT_HAS_EXPIRED:certificate has expired cli:close "
          "srv:tlsClientError:ECONNRESET:socket hang up");
}

CNET_TEST(verify_altname_host) {
  refused("server.pem", "server.key", "ca.pem", "foo.example",
          "cli:connect cli:error:ERR_TLS_CERT_ALTNAME_INVALID:Hostname/IP does not match "
          "certificate's altnames: Host: foo.example. is not in the cert's altnames: "
          "DNS:localhost, IP Address:127.0.0.1 cli:close "
          "srv:tlsClientError:ECONNRESET:socket hang up");
}

CNET_TEST(verify_chain_from_server) {
  /* The leaf's intermediate comes from the server: verified. */
  setup();
  start_server("chain.pem", "leaf.key", NULL, NULL);
  cnet_tls_context_options sec = {.ca = pem("ca.pem")};
  connect_with(&sec, "localhost", true);
  test_run(loop);
  ASSERT(strstr(test_trace_get(), "cli:secureConnect:TLSv1.3:authorized"));
  teardown();
}

CNET_TEST(reject_unauthorized_off) {
  setup();
  start_server("self.pem", "self.key", NULL, NULL);
  cnet_tls_context_options sec = {.ca = pem("ca.pem")};
  connect_with(&sec, NULL, false);
  test_run(loop);
  ASSERT(strstr(test_trace_get(),
                "cli:secureConnect:TLSv1.3:DEPTH_ZERO_SELF_SIGNED_CERT:TLSv1.3:false"));
  ASSERT_EQ(rx.len, 3);
  teardown();
}

/* ---- the connection lost during the handshake --------------------------- */

static void drop_connection(const cnet_event *ev, void *arg) {
  (void)arg;
  cnet_socket_destroy(cnet_event_socket(ev), NULL);
  cnet_server_close(server, NULL, NULL);
}

CNET_TEST(reset_before_secure) {
  setup();
  ASSERT_EQ(cnet_create_server(loop, NULL, drop_connection, NULL, &server), 0);
  port = test_listen(loop, server, "127.0.0.1", 0);
  cnet_tls_context_options sec = {.ca = pem("ca.pem")};
  connect_with(&sec, NULL, true);
  test_run(loop);
  ASSERT_TRACE("cli:connect cli:error:ECONNRESET:Client network socket disconnected before "
               "secure TLS connection was established cli:close");
  teardown();
}

static void on_tls_client_error(const cnet_event *ev, void *arg) {
  (void)arg;
  test_trace("srv:tlsClientError:%s:%s", cnet_err_name(ev->error->code), ev->error->message);
  cnet_server_close(server, NULL, NULL);
}

CNET_TEST(server_client_gone) {
  /* A plain TCP client that leaves at once: Node's 'tlsClientError'. */
  setup();
  start_server("server.pem", "server.key", NULL, NULL);
  cnet_on(server, CNET_EV_TLS_CLIENT_ERROR, on_tls_client_error, NULL);
  cnet_socket *so;
  ASSERT_EQ(cnet_connect_port(loop, port, "127.0.0.1", NULL, NULL, &so), 0);
  cnet_socket_end(so, NULL, 0, NULL, NULL);
  test_run(loop);
  ASSERT_TRACE("srv:tlsClientError:ECONNRESET:socket hang up");
  teardown();
}

/* ---- 16 MiB both ways with backpressure --------------------------------- */

#define BIG (16u << 20)

static struct {
  size_t sent, got, drains;
  uint64_t bad;
  cnet_socket *writer;
} big;

static void big_pump(void);

static void big_drain(const cnet_event *ev, void *arg) {
  (void)ev, (void)arg;
  big.drains++;
  big_pump();
}

static void big_pump(void) {
  char chunk[65536];
  while (big.sent < BIG) {
    size_t n = BIG - big.sent < sizeof chunk ? BIG - big.sent : sizeof chunk;
    pattern_fill(big.sent, chunk, n);
    big.sent += n;
    if (cnet_socket_write(big.writer, chunk, n, NULL, NULL) == 0) return;
  }
  cnet_socket_end(big.writer, NULL, 0, NULL, NULL);
}

static void big_data(const cnet_event *ev, void *arg) {
  (void)arg;
  char want[65536];
  for (size_t off = 0; off < ev->len; off += sizeof want) {
    size_t n = ev->len - off < sizeof want ? ev->len - off : sizeof want;
    pattern_fill(big.got + off, want, n);
    if (memcmp(want, ev->data + off, n) != 0) big.bad++;
  }
  big.got += ev->len;
}

static void big_reader(cnet_socket *so) {
  cnet_on(so, CNET_EV_DATA, big_data, NULL);
}

static void big_server_side(const cnet_event *ev, void *arg) {
  cnet_socket *so = cnet_event_socket(ev);
  if (arg) { /* the server writes */
    big.writer = so;
    cnet_on(so, CNET_EV_DRAIN, big_drain, NULL);
    big_pump();
  } else {
    big_reader(so);
  }
  cnet_server_close(server, NULL, NULL);
}

static void big_client_secure(void *object, const cnet_error *err, void *arg) {
  (void)err;
  if (arg) {
    big_reader(object);
    return;
  }
  big.writer = object;
  cnet_on(object, CNET_EV_DRAIN, big_drain, NULL);
  big_pump();
}

static void big_run(bool server_writes, const char *max_version) {
  setup();
  memset(&big, 0, sizeof big);
  cnet_tls_context_options s = {.cert = pem("server.pem"), .key = pem("server.key"),
                                .max_version = max_version};
  cnet_tls_server_options o = {.secure = &s};
  ASSERT_EQ(cnet_tls_create_server(loop, &o, big_server_side,
                                   server_writes ? (void *)1 : NULL, &server), 0);
  port = test_listen(loop, server, "127.0.0.1", 0);
  cnet_tls_context_options sec = {.ca = pem("ca.pem")};
  cnet_connect_options net = {.port = port, .host = "127.0.0.1"};
  cnet_tls_connect_options c = {.connect = &net, .secure = &sec};
  cnet_socket *so;
  ASSERT_EQ(cnet_tls_connect(loop, &c, big_client_secure, server_writes ? (void *)1 : NULL,
                             &so), 0);
  test_run(loop);
  ASSERT_EQ(big.got, BIG);
  ASSERT_EQ(big.bad, 0);
  ASSERT(big.drains > 0);
  teardown();
}

CNET_TEST(big_client_to_server_tls13) { big_run(false, NULL); }
CNET_TEST(big_server_to_client_tls12) { big_run(true, "TLSv1.2"); }

/* ---- pause and resume --------------------------------------------------- */

/* The client pauses at its first 'data' and resumes 50 ms later (the
 * user's pause, not a wait for an event): nothing is emitted and nothing
 * read from the fd meanwhile (the ciphertext stays in the kernel), then
 * every byte arrives in order, then 'end'. */
static struct {
  cnet_socket *client;
  cnet_timer timer;
  size_t got, while_paused;
  uint64_t read_at_pause, read_at_resume;
  bool paused, ended;
} pz;

static void pz_resume(cnet_timer *t, void *arg) {
  (void)t, (void)arg;
  pz.read_at_resume = cnet_socket_bytes_read(pz.client);
  pz.paused = false;
  cnet_socket_resume(pz.client);
}

static void pz_data(const cnet_event *ev, void *arg) {
  (void)arg;
  if (pz.paused) pz.while_paused += ev->len;
  pz.got += ev->len;
  if (pz.got == ev->len) {
    cnet_socket_pause(ev->target);
    pz.paused = true;
    pz.read_at_pause = cnet_socket_bytes_read(ev->target);
    cnet_timer_init(loop, &pz.timer);
    cnet_timer_start(&pz.timer, pz_resume, NULL, 50, 0);
  }
}

static void pz_end(const cnet_event *ev, void *arg) {
  (void)ev, (void)arg;
  pz.ended = true;
}

static void pz_server_side(const cnet_event *ev, void *arg) {
  (void)arg;
  cnet_socket *so = cnet_event_socket(ev);
  char chunk[65536];
  for (size_t off = 0; off < (4u << 20); off += sizeof chunk) {
    pattern_fill(off, chunk, sizeof chunk);
    cnet_socket_write(so, chunk, sizeof chunk, NULL, NULL);
  }
  cnet_socket_end(so, NULL, 0, NULL, NULL);
  cnet_server_close(server, NULL, NULL);
}

CNET_TEST(pause_resume) {
  setup();
  memset(&pz, 0, sizeof pz);
  cnet_tls_context_options s = {.cert = pem("server.pem"), .key = pem("server.key")};
  cnet_tls_server_options o = {.secure = &s};
  ASSERT_EQ(cnet_tls_create_server(loop, &o, pz_server_side, NULL, &server), 0);
  port = test_listen(loop, server, "127.0.0.1", 0);
  cnet_tls_context_options sec = {.ca = pem("ca.pem")};
  cnet_connect_options net = {.port = port, .host = "127.0.0.1"};
  cnet_tls_connect_options c = {.connect = &net, .secure = &sec};
  ASSERT_EQ(cnet_tls_connect(loop, &c, NULL, NULL, &pz.client), 0);
  cnet_on(pz.client, CNET_EV_DATA, pz_data, NULL);
  cnet_on(pz.client, CNET_EV_END, pz_end, NULL);
  test_run(loop);
  ASSERT_EQ(pz.got, 4u << 20);
  ASSERT_EQ(pz.while_paused, 0);
  ASSERT_EQ(pz.read_at_resume, pz.read_at_pause);
  ASSERT(pz.ended);
  teardown();
}

/* ---- real peers: openssl s_server / s_client, Node's tls ---------------- */

/* A peer started with its stdout on a pipe: the first line it prints
 * ("ACCEPT [::]:port", "PORT n") gives its port. */
static pid_t spawn(const char *cmd, FILE **out) {
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  pid_t pid = fork();
  ASSERT(pid >= 0);
  if (pid == 0) {
    dup2(fds[1], 1);
    close(fds[0]);
    close(fds[1]);
    execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
    _exit(127);
  }
  close(fds[1]);
  *out = fdopen(fds[0], "r");
  return pid;
}

static int read_port(FILE *f) {
  char line[256];
  while (fgets(line, sizeof line, f)) {
    char *colon = strrchr(line, ':');
    if (strncmp(line, "ACCEPT", 6) == 0 && colon) return atoi(colon + 1);
    if (strncmp(line, "PORT ", 5) == 0) return atoi(line + 5);
  }
  return -1;
}

static void upper_client_done(void *object, const cnet_error *err, void *arg) {
  (void)err;
  test_trace("cli:secureConnect:%s", cnet_tls_socket_get_protocol(object));
  cnet_socket_end_string(object, arg, NULL, NULL, NULL);
}

/* cnet's client against a server process that answers with reversed
 * (s_server -rev) or upper-cased (Node) lines. */
static void against_server(const char *cmd, const char *send, const char *expect,
                           const char *protocol) {
  setup();
  FILE *out;
  pid_t pid = spawn(cmd, &out);
  port = read_port(out);
  ASSERT(port > 0);
  cnet_tls_context_options sec = {.ca = pem("ca.pem")};
  cnet_connect_options net = {.port = port, .host = "127.0.0.1"};
  cnet_tls_connect_options c = {.connect = &net, .secure = &sec};
  cnet_socket *so;
  ASSERT_EQ(cnet_tls_connect(loop, &c, upper_client_done, (void *)send, &so), 0);
  cnet_on(so, CNET_EV_DATA, cli_data, NULL);
  cnet_on(so, CNET_EV_END, cli_event, NULL);
  test_run(loop);
  kill(pid, SIGTERM);
  waitpid(pid, NULL, 0);
  fclose(out);
  char want[128];
  snprintf(want, sizeof want, "cli:secureConnect:%s cli:end", protocol);
  ASSERT_TRACE(want);
  ASSERT_EQ(rx.len, strlen(expect));
  ASSERT_MEM_EQ(rx.got, expect, rx.len);
  teardown();
}

static void s_server(const char *version, const char *protocol) {
  make_certs();
  char cmd[800];
  snprintf(cmd, sizeof cmd,
           "cd '%s' && exec %s s_server -accept 127.0.0.1:0 -naccept 1 -cert server.pem "
           "-key server.key -rev %s 2>/dev/null",
           certs, CNET_OPENSSL, version);
  against_server(cmd, "hello\n", "olleh\n", protocol);
}

CNET_TEST(openssl_s_server_tls13) { s_server("-tls1_3", "TLSv1.3"); }
CNET_TEST(openssl_s_server_tls12) { s_server("-tls1_2", "TLSv1.2"); }

static void node_server(const char *version) {
  make_certs();
  char cmd[800];
  snprintf(cmd, sizeof cmd, "exec %s '%s/peer.js' server '%s' %s", CNET_NODE,
           CNET_TLS_TEST_DIR, certs, version);
  against_server(cmd, "hello node", "HELLO NODE", version);
}

CNET_TEST(node_server_tls13) { node_server("TLSv1.3"); }
CNET_TEST(node_server_tls12) { node_server("TLSv1.2"); }

/* A client process against cnet's server (upper-cased answers, the
 * first one ending the connection when end_first); what it prints must
 * be expect. */
static void against_client(const char *fmt, const char *expect, bool end_first) {
  setup();
  end_on_data = end_first;
  start_server("server.pem", "server.key", NULL, NULL);
  char cmd[900];
  snprintf(cmd, sizeof cmd, fmt, certs, port);
  FILE *out;
  pid_t pid = spawn(cmd, &out);
  test_run(loop);
  char line[512] = "";
  size_t n = fread(line, 1, sizeof line - 1, out);
  line[n] = '\0';
  int status;
  waitpid(pid, &status, 0);
  fclose(out);
  ASSERT(strstr(line, expect));
  ASSERT(strstr(test_trace_get(), "srv:end"));
  teardown();
}

CNET_TEST(openssl_s_client_tls13) {
  make_certs();
  char fmt[600];
  snprintf(fmt, sizeof fmt,
           "cd '%%s' && printf 'hello openssl' | exec %s s_client -connect 127.0.0.1:%%d "
           "-CAfile ca.pem -verify_return_error -tls1_3 -quiet -ign_eof 2>/dev/null",
           CNET_OPENSSL);
  against_client(fmt, "HELLO OPENSSL", true);
}

CNET_TEST(openssl_s_client_tls12) {
  make_certs();
  char fmt[600];
  snprintf(fmt, sizeof fmt,
           "cd '%%s' && printf 'hello openssl' | exec %s s_client -connect 127.0.0.1:%%d "
           "-CAfile ca.pem -verify_return_error -tls1_2 -quiet -ign_eof 2>/dev/null",
           CNET_OPENSSL);
  against_client(fmt, "HELLO OPENSSL", true);
}

static void node_client(const char *version) {
  make_certs();
  char fmt[600];
  snprintf(fmt, sizeof fmt, "exec %s '%s/peer.js' client '%%s' %%d %s 'hello node'",
           CNET_NODE, CNET_TLS_TEST_DIR, version);
  char expect[64];
  snprintf(expect, sizeof expect, "%s true HELLO NODE", version);
  against_client(fmt, expect, false);
}

CNET_TEST(node_client_tls13) { node_client("TLSv1.3"); }
CNET_TEST(node_client_tls12) { node_client("TLSv1.2"); }

CNET_TEST(reset_before_secure_with_write) {
  /* A write waiting for the handshake when the connection is lost. */
  setup();
  ASSERT_EQ(cnet_create_server(loop, NULL, drop_connection, NULL, &server), 0);
  port = test_listen(loop, server, "127.0.0.1", 0);
  cnet_tls_context_options sec = {.ca = pem("ca.pem")};
  cnet_socket *so = connect_with(&sec, NULL, true);
  cnet_socket_write_string(so, "early", NULL, NULL, NULL);
  test_run(loop);
  ASSERT_TRACE("cli:connect cli:error:ECONNRESET:Client network socket disconnected before "
               "secure TLS connection was established cli:close");
  teardown();
}

/* ---- a peer that cuts a record short ------------------------------------ */

/* A client of OpenSSL's own: the handshake, "hi" through TLS, then the
 * first 3 bytes of a record header and its FIN; it reads until the
 * server closes. */
static void *cut_record_client(void *arg) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port),
                          .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
  SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
  SSL *ssl = SSL_new(ctx);
  if (fd >= 0 && connect(fd, (struct sockaddr *)&a, sizeof a) == 0 && ssl &&
      SSL_set_fd(ssl, fd) == 1 && SSL_connect(ssl) == 1 && SSL_write(ssl, "hi", 2) == 2) {
    static const char cut[] = {0x17, 0x03, 0x03};
    if (send(fd, cut, sizeof cut, MSG_NOSIGNAL) == sizeof cut) shutdown(fd, SHUT_WR);
    char buf[256];
    while (recv(fd, buf, sizeof buf, 0) > 0) {
    }
  }
  SSL_free(ssl);
  SSL_CTX_free(ctx);
  if (fd >= 0) close(fd);
  return arg;
}

/* A record cut short by the FIN never completes: 'end', then 'close',
 * instead of a connection left open for good. */
static void cut_record(const char *max_version) {
  setup();
  start_server("server.pem", "server.key", max_version, NULL);
  pthread_t t;
  ASSERT_EQ(pthread_create(&t, NULL, cut_record_client, NULL), 0);
  test_run(loop);
  pthread_join(t, NULL);
  ASSERT(strstr(test_trace_get(), "srv:end srv:close"));
  teardown();
}

CNET_TEST(server_cut_record_then_fin_tls13) { cut_record("TLSv1.3"); }
CNET_TEST(server_cut_record_then_fin_tls12) { cut_record("TLSv1.2"); }

/* ---- client certificates (requestCert) ---------------------------------- */

static void peer_secure_connection(const cnet_event *ev, void *arg) {
  (void)arg;
  cnet_socket *so = cnet_event_socket(ev);
  const cnet_error *ae = cnet_tls_socket_authorization_error(so);
  test_trace("srv:secureConnection:%s:%s", cnet_tls_socket_authorized(so) ? "true" : "false",
             ae ? cnet_err_name(ae->code) : "null");
  cnet_on(so, CNET_EV_DATA, cli_data, NULL); /* reads: sees the client's end */
  cnet_on(so, CNET_EV_CLOSE, srv_close, NULL);
  cnet_socket_end(so, NULL, 0, NULL, NULL);
}

/* A server of server.pem trusting ca (NULL: the test CA), asking for
 * client certificates when request_cert; reject as Node's
 * rejectUnauthorized. */
static void start_peer_server(bool request_cert, bool reject, const char *ca,
                              const char *max_version) {
  cnet_tls_context_options sec = {.cert = pem("server.pem"), .key = pem("server.key"),
                                  .ca = pem(ca ? ca : "ca.pem"), .max_version = max_version};
  cnet_tls_server_options o = {.secure = &sec, .request_cert = request_cert,
                               .has_reject_unauthorized = true, .reject_unauthorized = reject};
  ASSERT_EQ(cnet_tls_create_server(loop, &o, peer_secure_connection, NULL, &server), 0);
  cnet_on(server, CNET_EV_TLS_CLIENT_ERROR, on_tls_client_error, NULL);
  port = test_listen(loop, server, "127.0.0.1", 0);
}

/* A client with the certificate name.pem (NULL: none) that reads (TLS
 * 1.3's refusal comes after 'secureConnect'). */
static void connect_as(const char *name) {
  char key[64], cert[64];
  snprintf(key, sizeof key, "%s.key", name ? name : "");
  snprintf(cert, sizeof cert, "%s.pem", name ? name : "");
  cnet_tls_context_options sec = {.ca = pem("ca.pem"), .key = name ? pem(key) : NULL,
                                  .cert = name ? pem(cert) : NULL};
  connect_with(&sec, "localhost", true);
}

CNET_TEST(client_cert_required_and_sent) {
  setup();
  start_peer_server(true, true, NULL, NULL);
  connect_as("client");
  test_run(loop);
  ASSERT(strstr(test_trace_get(), "srv:secureConnection:true:null"));
  ASSERT(strstr(test_trace_get(), "cli:secureConnect:TLSv1.3:authorized"));
  teardown();
}

/* Node's refusal: the server's OpenSSL error and the client's alert;
 * under TLS 1.3 the client was secure already. */
CNET_TEST(client_cert_missing_tls13) {
  setup();
  start_peer_server(true, true, NULL, "TLSv1.3");
  connect_as(NULL);
  test_run(loop);
  ASSERT(strstr(test_trace_get(), "cli:secureConnect:TLSv1.3:authorized"));
  ASSERT(strstr(test_trace_get(), "srv:tlsClientError:ERR_SSL_PEER_DID_NOT_RETURN_A_CERTIFICATE"));
  ASSERT(strstr(test_trace_get(), "cli:error:ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED"));
  teardown();
}

CNET_TEST(client_cert_missing_tls12) {
  setup();
  start_peer_server(true, true, NULL, "TLSv1.2");
  connect_as(NULL);
  test_run(loop);
  ASSERT(!strstr(test_trace_get(), "cli:secureConnect"));
  ASSERT(strstr(test_trace_get(), "srv:tlsClientError:ERR_SSL_PEER_DID_NOT_RETURN_A_CERTIFICATE"));
  ASSERT(strstr(test_trace_get(), "cli:error:ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE"));
  teardown();
}

/* A certificate the server does not trust: Node's server destroys the
 * socket at 'secure' ("socket hang up"); under TLS 1.2 its Finished never
 * leaves, so the client was never secure. */
CNET_TEST(client_cert_untrusted_tls12) {
  setup();
  start_peer_server(true, true, NULL, "TLSv1.2");
  connect_as("stranger");
  test_run(loop);
  ASSERT_TRACE("cli:connect srv:tlsClientError:ECONNRESET:socket hang up "
               "cli:error:ECONNRESET:Client network socket disconnected before secure TLS "
               "connection was established cli:close");
  teardown();
}

CNET_TEST(client_cert_untrusted_tls13) {
  setup();
  start_peer_server(true, true, NULL, "TLSv1.3");
  connect_as("stranger");
  test_run(loop);
  ASSERT(strstr(test_trace_get(), "srv:tlsClientError:ECONNRESET:socket hang up"));
  ASSERT(!strstr(test_trace_get(), "srv:secureConnection"));
  teardown();
}

CNET_TEST(client_cert_not_rejected) {
  setup();
  start_peer_server(true, false, NULL, NULL);
  connect_as("stranger");
  test_run(loop);
  ASSERT(strstr(test_trace_get(), "srv:secureConnection:false:UNABLE_TO_VERIFY_LEAF_SIGNATURE"));
  teardown();
}

CNET_TEST(client_cert_not_rejected_missing) {
  /* Node's verdict without a certificate: UNABLE_TO_GET_ISSUER_CERT. */
  setup();
  start_peer_server(true, false, NULL, NULL);
  connect_as(NULL);
  test_run(loop);
  ASSERT(strstr(test_trace_get(), "srv:secureConnection:false:UNABLE_TO_GET_ISSUER_CERT"));
  teardown();
}

CNET_TEST(reject_unauthorized_without_request_cert) {
  /* Nothing asked, nothing refused: not authorized, and no reason. */
  setup();
  start_peer_server(false, true, NULL, NULL);
  connect_as("client");
  test_run(loop);
  ASSERT(strstr(test_trace_get(), "srv:secureConnection:false:null"));
  teardown();
}

static void openssl_client_cert(const char *args, const char *expect_trace) {
  setup();
  start_peer_server(true, true, NULL, NULL);
  char cmd[900];
  snprintf(cmd, sizeof cmd,
           "cd '%s' && exec %s s_client -connect 127.0.0.1:%d -CAfile ca.pem %s "
           "-quiet -ign_eof </dev/null >/dev/null 2>&1",
           certs, CNET_OPENSSL, port, args);
  FILE *out;
  pid_t pid = spawn(cmd, &out);
  test_run(loop);
  waitpid(pid, NULL, 0);
  fclose(out);
  ASSERT(strstr(test_trace_get(), expect_trace));
  teardown();
}

CNET_TEST(openssl_s_client_sends_cert) {
  make_certs();
  openssl_client_cert("-cert client.pem -key client.key", "srv:secureConnection:true:null");
}

CNET_TEST(openssl_s_client_without_cert) {
  make_certs();
  openssl_client_cert("", "srv:tlsClientError:ERR_SSL_PEER_DID_NOT_RETURN_A_CERTIFICATE");
}

/* cnet's client sends its certificate to s_server -Verify (which refuses
 * a client without one). */
static void s_server_verify(const char *version, const char *protocol) {
  make_certs();
  char cmd[800];
  snprintf(cmd, sizeof cmd,
           "cd '%s' && exec %s s_server -accept 127.0.0.1:0 -naccept 1 -cert server.pem "
           "-key server.key -CAfile ca.pem -Verify 1 -verify_return_error -rev %s "
           "2>/dev/null",
           certs, CNET_OPENSSL, version);
  setup();
  FILE *out;
  pid_t pid = spawn(cmd, &out);
  port = read_port(out);
  ASSERT(port > 0);
  cnet_tls_context_options sec = {.ca = pem("ca.pem"), .key = pem("client.key"),
                                  .cert = pem("client.pem")};
  cnet_connect_options net = {.port = port, .host = "127.0.0.1"};
  cnet_tls_connect_options c = {.connect = &net, .secure = &sec};
  cnet_socket *so;
  ASSERT_EQ(cnet_tls_connect(loop, &c, upper_client_done, (void *)"hello\n", &so), 0);
  cnet_on(so, CNET_EV_DATA, cli_data, NULL);
  cnet_on(so, CNET_EV_END, cli_event, NULL);
  test_run(loop);
  kill(pid, SIGTERM);
  waitpid(pid, NULL, 0);
  fclose(out);
  char want[128];
  snprintf(want, sizeof want, "cli:secureConnect:%s cli:end", protocol);
  ASSERT_TRACE(want);
  ASSERT_EQ(rx.len, 6);
  ASSERT_MEM_EQ(rx.got, "olleh\n", 6);
  teardown();
}

CNET_TEST(openssl_s_server_verify_tls13) { s_server_verify("-tls1_3", "TLSv1.3"); }
CNET_TEST(openssl_s_server_verify_tls12) { s_server_verify("-tls1_2", "TLSv1.2"); }

/* ---- getPeerCertificate(), against Node's object ------------------------ */

static char dumped[1 << 15];

static void dumpf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void dumpf(const char *fmt, ...) {
  size_t len = strlen(dumped);
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(dumped + len, sizeof dumped - len, fmt, ap);
  va_end(ap);
}

static void dump_hex(const char *field, const unsigned char *p, size_t n) {
  dumpf("%s ", field);
  for (size_t i = 0; i < n; i++) dumpf("%02x", p[i]);
  dumpf("\n");
}

/* A name as Node's object lists it: each attribute at its first place,
 * with all its values. */
static void dump_name(const char *field, const cnet_tls_name *n) {
  for (size_t i = 0; i < n->n_entries; i++) {
    bool seen = false;
    for (size_t j = 0; j < i; j++) seen |= strcmp(n->entries[j].name, n->entries[i].name) == 0;
    for (size_t j = i; j < n->n_entries && !seen; j++)
      if (strcmp(n->entries[j].name, n->entries[i].name) == 0)
        dumpf("%s %s=%s\n", field, n->entries[j].name, n->entries[j].value);
  }
}

/* The certificate in peer.js's "cert" format (Node's field order). */
static void dump_cert(const cnet_tls_certificate *c) {
  dumped[0] = '\0';
  dump_name("subject", &c->subject);
  dump_name("issuer", &c->issuer);
  if (c->subjectaltname) dumpf("subjectaltname %s\n", c->subjectaltname);
  for (size_t i = 0; i < c->n_info_access; i++)
    dumpf("infoAccess %s=%s\n", c->info_access[i].name, c->info_access[i].value);
  dumpf("ca %s\n", c->ca ? "true" : "false");
  if (c->modulus) {
    dumpf("modulus %s\nbits %d\nexponent %s\n", c->modulus, c->bits, c->exponent);
    dump_hex("pubkey", c->pubkey, c->pubkey_len);
  } else if (c->asn1_curve) {
    dumpf("bits %d\n", c->bits);
    dump_hex("pubkey", c->pubkey, c->pubkey_len);
    dumpf("asn1Curve %s\nnistCurve %s\n", c->asn1_curve, c->nist_curve);
  }
  dumpf("valid_from %s\nvalid_to %s\n", c->valid_from, c->valid_to);
  dumpf("fingerprint %s\nfingerprint256 %s\nfingerprint512 %s\n", c->fingerprint,
        c->fingerprint256, c->fingerprint512);
  for (size_t i = 0; i < c->n_ext_key_usage; i++) dumpf("ext_key_usage %s\n", c->ext_key_usage[i]);
  dumpf("serialNumber %s\n", c->serial_number);
  dump_hex("raw", c->raw, c->raw_len);
}

/* What Node prints for the certificate file. */
static void assert_as_node(const char *file) {
  char cmd[700];
  snprintf(cmd, sizeof cmd, "exec %s '%s/peer.js' cert '%s' %s", CNET_NODE, CNET_TLS_TEST_DIR,
           certs, file);
  FILE *out;
  pid_t pid = spawn(cmd, &out);
  static char node[sizeof dumped];
  size_t n = fread(node, 1, sizeof node - 1, out);
  node[n] = '\0';
  waitpid(pid, NULL, 0);
  fclose(out);
  ASSERT_STR_EQ(node, dumped);
}

static enum { DUMP_PEER, DUMP_PEER_DETAILED, DUMP_OWN } dump_what;

static void srv_close_on_secure(const cnet_event *ev, void *arg) {
  (void)arg;
  cnet_on(cnet_event_socket(ev), CNET_EV_DATA, cli_data, NULL);
  cnet_socket_end(cnet_event_socket(ev), NULL, 0, NULL, NULL);
  cnet_server_close(server, NULL, NULL);
}

static void dump_on_secure_connection(const cnet_event *ev, void *arg) {
  (void)arg;
  cnet_socket *so = cnet_event_socket(ev);
  const cnet_tls_certificate *c = NULL;
  if (dump_what == DUMP_OWN) ASSERT_EQ(cnet_tls_socket_get_certificate(so, &c), 0);
  else ASSERT_EQ(cnet_tls_socket_get_peer_certificate(so, dump_what == DUMP_PEER_DETAILED, &c), 0);
  ASSERT_NOT_NULL(c);
  dump_cert(dump_what == DUMP_PEER_DETAILED ? c->issuer_certificate : c);
  cnet_on(so, CNET_EV_DATA, cli_data, NULL);
  cnet_socket_end(so, NULL, 0, NULL, NULL);
  cnet_server_close(server, NULL, NULL);
}

static void dump_on_secure_connect(void *object, const cnet_error *err, void *arg) {
  (void)err, (void)arg;
  const cnet_tls_certificate *c = NULL;
  ASSERT_EQ(cnet_tls_socket_get_peer_certificate(object, false, &c), 0);
  ASSERT_NOT_NULL(c);
  dump_cert(c);
  cnet_socket_end(object, NULL, 0, NULL, NULL);
}

/* A connection to a server of name.pem; the client of client.pem. The
 * server dumps what `what` says; with what DUMP_PEER and on_client, the
 * client dumps the server's. */
static void dump_run(const char *name, bool on_client) {
  setup();
  char key[64], cert[64];
  snprintf(key, sizeof key, "%s.key", name);
  snprintf(cert, sizeof cert, "%s.pem", name);
  cnet_tls_context_options s = {.cert = pem(cert), .key = pem(key), .ca = pem("ca.pem")};
  cnet_tls_server_options o = {.secure = &s, .request_cert = true};
  ASSERT_EQ(cnet_tls_create_server(loop, &o, on_client ? NULL : dump_on_secure_connection,
                                   NULL, &server), 0);
  if (on_client) cnet_on(server, CNET_EV_SECURE_CONNECTION, srv_close_on_secure, NULL);
  port = test_listen(loop, server, "127.0.0.1", 0);
  cnet_tls_context_options sec = {.ca = pem("ca.pem"), .key = pem("client.key"),
                                  .cert = pem("client.pem")};
  cnet_connect_options net = {.port = port, .host = "127.0.0.1"};
  cnet_tls_connect_options c = {.connect = &net, .secure = &sec, .has_reject_unauthorized = true};
  cnet_socket *so;
  ASSERT_EQ(cnet_tls_connect(loop, &c, on_client ? dump_on_secure_connect : NULL, NULL, &so), 0);
  cnet_on(so, CNET_EV_DATA, cli_data, NULL);
  test_run(loop);
  teardown();
}

CNET_TEST(peer_certificate_rsa_as_node) {
  dump_what = DUMP_PEER;
  dump_run("server", false);
  assert_as_node("client.pem");
}

CNET_TEST(peer_certificate_ec_as_node) {
  dump_run("server", true);
  assert_as_node("server.pem");
}

CNET_TEST(peer_certificate_quoted_names_as_node) {
  /* A DNS name with a comma, a DirName: Node's JSON quoting. */
  dump_run("odd", true);
  ASSERT(strstr(dumped, "DNS:\"evil.test\\u002c DNS:good.test\""));
  assert_as_node("odd.pem");
}

CNET_TEST(get_certificate_as_node) {
  dump_what = DUMP_OWN;
  dump_run("server", false);
  assert_as_node("server.pem");
}

CNET_TEST(peer_certificate_issuer_as_node) {
  /* detailed: the issuer's object comes from the server's store. */
  dump_what = DUMP_PEER_DETAILED;
  dump_run("server", false);
  assert_as_node("ca.pem");
}

static void chain_on_secure_connect(void *object, const cnet_error *err, void *arg) {
  (void)err, (void)arg;
  const cnet_tls_certificate *c = NULL, *plain = NULL;
  ASSERT_EQ(cnet_tls_socket_get_peer_certificate(object, true, &c), 0);
  for (int depth = 0; c && depth < 5; depth++) {
    test_trace("%s", c->subject.cn);
    if (c->issuer_certificate == c) test_trace("self");
    c = c->issuer_certificate == c ? NULL : c->issuer_certificate;
  }
  ASSERT_EQ(cnet_tls_socket_get_peer_certificate(object, false, &plain), 0);
  ASSERT_NULL(plain->issuer_certificate);
  cnet_socket_end(object, NULL, 0, NULL, NULL);
}

CNET_TEST(peer_certificate_detailed_chain) {
  /* The intermediate from what the server sent, the root from the store,
   * the root its own issuer (Node's circular issuerCertificate). */
  setup();
  cnet_tls_context_options s = {.cert = pem("chain.pem"), .key = pem("leaf.key")};
  cnet_tls_server_options o = {.secure = &s};
  ASSERT_EQ(cnet_tls_create_server(loop, &o, srv_close_on_secure, NULL, &server), 0);
  port = test_listen(loop, server, "127.0.0.1", 0);
  cnet_tls_context_options sec = {.ca = pem("ca.pem")};
  cnet_connect_options net = {.port = port, .host = "localhost"};
  cnet_tls_connect_options c = {.connect = &net, .secure = &sec};
  cnet_socket *so;
  ASSERT_EQ(cnet_tls_connect(loop, &c, chain_on_secure_connect, NULL, &so), 0);
  cnet_on(so, CNET_EV_DATA, cli_data, NULL);
  test_run(loop);
  ASSERT_TRACE("localhost cnet-test-intermediate cnet-test-ca self");
  teardown();
}

static void none_on_secure_connection(const cnet_event *ev, void *arg) {
  (void)arg;
  cnet_socket *so = cnet_event_socket(ev);
  const cnet_tls_certificate *c = (void *)1;
  ASSERT_EQ(cnet_tls_socket_get_peer_certificate(so, true, &c), 0);
  test_trace("peer:%s", c ? "some" : "none");
  cnet_on(so, CNET_EV_DATA, cli_data, NULL);
  cnet_socket_end(so, NULL, 0, NULL, NULL);
  cnet_server_close(server, NULL, NULL);
}

CNET_TEST(peer_certificate_none) {
  /* No certificate from the client: Node's {}, here NULL; nor before the
   * handshake. */
  setup();
  cnet_tls_context_options s = {.cert = pem("server.pem"), .key = pem("server.key")};
  cnet_tls_server_options o = {.secure = &s};
  ASSERT_EQ(cnet_tls_create_server(loop, &o, none_on_secure_connection, NULL, &server), 0);
  port = test_listen(loop, server, "127.0.0.1", 0);
  cnet_tls_context_options sec = {.ca = pem("ca.pem"), .key = pem("client.key"),
                                  .cert = pem("client.pem")};
  cnet_socket *so = connect_with(&sec, NULL, true);
  const cnet_tls_certificate *c = (void *)1;
  ASSERT_EQ(cnet_tls_socket_get_peer_certificate(so, false, &c), 0);
  ASSERT_NULL(c);
  test_run(loop);
  ASSERT(strstr(test_trace_get(), "peer:none"));
  teardown();
}

/* tls.connect({highWaterMark}): the socket's writable mark, at once (as
 * Node's: 1234, and 0 when given). */
static size_t connect_mark(size_t mark, bool has) {
  cnet_connect_options net = {.port = 1, .host = "127.0.0.1"};
  cnet_tls_connect_options c = {.connect = &net, .high_water_mark = mark,
                                .has_high_water_mark = has};
  cnet_socket *so;
  ASSERT_EQ(cnet_tls_connect(loop, &c, NULL, NULL, &so), 0);
  size_t got = cnet_stream_writable_high_water_mark(so);
  cnet_socket_destroy(so, NULL);
  test_run(loop);
  return got;
}

CNET_TEST(connect_high_water_mark) {
  setup();
  ASSERT_EQ(connect_mark(1234, false), 1234);
  ASSERT_EQ(connect_mark(0, true), 0);
  ASSERT_EQ(connect_mark(0, false), 16384);
  teardown();
}

/* ---- SNI ---------------------------------------------------------------- */

static cnet_tls_context *context_of_files(const char *name) {
  char key[64], cert[64];
  snprintf(key, sizeof key, "%s.key", name);
  snprintf(cert, sizeof cert, "%s.pem", name);
  cnet_tls_context_options sec = {.key = pem(key), .cert = pem(cert), .ca = pem("ca.pem")};
  cnet_tls_context *ctx;
  ASSERT_EQ(cnet_tls_context_new(&sec, &ctx), 0);
  return ctx;
}

static void sni_secure_connection(const cnet_event *ev, void *arg) {
  (void)arg;
  cnet_socket *so = cnet_event_socket(ev);
  const char *name = cnet_tls_socket_servername(so);
  test_trace("srv:servername:%s", name ? name : "false");
  cnet_on(so, CNET_EV_DATA, cli_data, NULL);
  cnet_on(so, CNET_EV_CLOSE, srv_close, NULL);
  cnet_socket_end(so, NULL, 0, NULL, NULL);
}

static void sni_secure_connect(void *object, const cnet_error *err, void *arg) {
  (void)err, (void)arg;
  const cnet_tls_certificate *c;
  ASSERT_EQ(cnet_tls_socket_get_peer_certificate(object, false, &c), 0);
  const char *name = cnet_tls_socket_servername(object);
  test_trace("cli:cert:%s:%s:%s", c->subject.cn, name ? name : "false",
             cnet_tls_socket_authorized(object) ? "authorized" : "unauthorized");
  cnet_socket_end(object, NULL, 0, NULL, NULL);
}

/* A server of server.pem with sni (NULL: its contexts); the client asks
 * for name (NULL: sends no SNI). */
static void sni_server(cnet_tls_sni_callback cb, void *sni_arg) {
  cnet_tls_context_options s = {.cert = pem("server.pem"), .key = pem("server.key")};
  cnet_tls_server_options o = {.secure = &s, .sni_callback = cb, .sni_arg = sni_arg};
  ASSERT_EQ(cnet_tls_create_server(loop, &o, sni_secure_connection, NULL, &server), 0);
  cnet_on(server, CNET_EV_TLS_CLIENT_ERROR, on_tls_client_error, NULL);
}

static cnet_socket *sni_connect(const char *name) {
  port = test_listen(loop, server, "127.0.0.1", 0);
  cnet_connect_options net = {.port = port, .host = "127.0.0.1"};
  cnet_tls_context_options sec = {.ca = pem("ca.pem")};
  cnet_tls_connect_options c = {.connect = &net, .secure = &sec, .servername = name,
                                .has_reject_unauthorized = true};
  cnet_socket *so;
  ASSERT_EQ(cnet_tls_connect(loop, &c, sni_secure_connect, NULL, &so), 0);
  cnet_on(so, CNET_EV_DATA, cli_data, NULL);
  cnet_on(so, CNET_EV_ERROR, cli_event, NULL);
  return so;
}

/* addContext(alpha.test) and addContext(*.beta.test); the client asks
 * for name. */
static void sni_contexts(const char *name, const char *expected) {
  setup();
  sni_server(NULL, NULL);
  cnet_tls_context *alpha = context_of_files("alpha"), *wild = context_of_files("wild");
  ASSERT_EQ(cnet_tls_server_add_context(server, "alpha.test", alpha), 0);
  ASSERT_EQ(cnet_tls_server_add_context(server, "*.beta.test", wild), 0);
  cnet_tls_context_free(alpha); /* the server keeps its own references */
  cnet_tls_context_free(wild);
  sni_connect(name);
  test_run(loop);
  ASSERT_TRACE(expected);
  teardown();
}

CNET_TEST(sni_add_context) {
  sni_contexts("alpha.test",
               "cli:cert:alpha.test:alpha.test:authorized srv:servername:alpha.test srv:close");
}

CNET_TEST(sni_add_context_wildcard) {
  sni_contexts("x.beta.test",
               "cli:cert:*.beta.test:x.beta.test:authorized srv:servername:x.beta.test "
               "srv:close");
}

CNET_TEST(sni_wildcard_is_one_label) {
  sni_contexts("a.b.beta.test",
               "cli:cert:localhost:a.b.beta.test:unauthorized srv:servername:a.b.beta.test "
               "srv:close");
}

CNET_TEST(sni_unknown_name_gets_default) {
  sni_contexts("nobody.test",
               "cli:cert:localhost:nobody.test:unauthorized srv:servername:nobody.test "
               "srv:close");
}

CNET_TEST(sni_no_servername) {
  /* An address as host sends no SNI: the server's own certificate, and
   * no servername on either side (Node's false). */
  sni_contexts(NULL, "cli:cert:localhost:false:authorized srv:servername:false srv:close");
}

CNET_TEST(sni_last_context_wins) {
  /* Node searches from the last added: *.test's context, then. */
  setup();
  sni_server(NULL, NULL);
  cnet_tls_context *alpha = context_of_files("alpha"), *wild = context_of_files("wild");
  ASSERT_EQ(cnet_tls_server_add_context(server, "alpha.test", alpha), 0);
  ASSERT_EQ(cnet_tls_server_add_context(server, "*.test", wild), 0);
  cnet_tls_context_free(alpha);
  cnet_tls_context_free(wild);
  sni_connect("alpha.test");
  test_run(loop);
  ASSERT(strstr(test_trace_get(), "cli:cert:*.beta.test:alpha.test:unauthorized"));
  teardown();
}

CNET_TEST(sni_add_context_errors) {
  setup();
  sni_server(NULL, NULL);
  cnet_tls_context *alpha = context_of_files("alpha");
  ASSERT_EQ(cnet_tls_server_add_context(server, "", alpha), CNET_ERR_TLS_REQUIRED_SERVER_NAME);
  ASSERT_EQ(cnet_tls_server_add_context(server, NULL, alpha), CNET_ERR_TLS_REQUIRED_SERVER_NAME);
  ASSERT_EQ(cnet_tls_server_add_context(server, "a.test", NULL), CNET_EINVAL);
  cnet_server *plain;
  ASSERT_EQ(cnet_create_server(loop, NULL, NULL, NULL, &plain), 0);
  ASSERT_EQ(cnet_tls_server_add_context(plain, "a.test", alpha), CNET_EINVAL);
  cnet_server_free(plain);
  cnet_tls_context_free(alpha);
  teardown();
}

static struct {
  cnet_immediate im;
  cnet_socket *so;
  cnet_tls_context *ctx;
  int second; /* what a second answer returned */
} sni;

static void sni_answer_later(cnet_immediate *im, void *arg) {
  (void)im, (void)arg;
  ASSERT_EQ(cnet_tls_sni_answer(sni.so, NULL, sni.ctx), 0);
}

static void sni_async(cnet_socket *so, const char *servername, void *arg) {
  (void)arg;
  test_trace("srv:SNICallback:%s", servername);
  sni.so = so;
  cnet_set_immediate(loop, &sni.im, sni_answer_later, NULL);
}

static void sni_sync(cnet_socket *so, const char *servername, void *arg) {
  (void)arg;
  test_trace("srv:SNICallback:%s", servername);
  ASSERT_EQ(cnet_tls_sni_answer(so, NULL, sni.ctx), 0);
}

static void sni_with(cnet_tls_sni_callback cb, const char *name, const char *expected) {
  setup();
  memset(&sni, 0, sizeof sni);
  sni.ctx = context_of_files("alpha");
  sni_server(cb, NULL);
  sni_connect(name);
  test_run(loop);
  if (expected) ASSERT_TRACE(expected);
  cnet_tls_context_free(sni.ctx);
  teardown();
}

CNET_TEST(sni_callback_answers_later) {
  sni_with(sni_async, "alpha.test",
           "srv:SNICallback:alpha.test cli:cert:alpha.test:alpha.test:authorized "
           "srv:servername:alpha.test srv:close");
}

CNET_TEST(sni_callback_answers_at_once) {
  sni_with(sni_sync, "alpha.test",
           "srv:SNICallback:alpha.test cli:cert:alpha.test:alpha.test:authorized "
           "srv:servername:alpha.test srv:close");
}

CNET_TEST(sni_callback_not_called_without_name) {
  sni_with(sni_sync, NULL, "cli:cert:localhost:false:authorized srv:servername:false srv:close");
}

static void sni_refuse(cnet_socket *so, const char *servername, void *arg) {
  (void)arg;
  cnet_error e;
  cnet_error_set(&e, CNET_EPROTO, "no certificate for %s", servername);
  ASSERT_EQ(cnet_tls_sni_answer(so, &e, NULL), 0);
}

CNET_TEST(sni_callback_error) {
  /* Node destroys the socket with the error: 'tlsClientError' has it;
   * the client's connection closes before it is secure. */
  sni_with(sni_refuse, "alpha.test",
           "srv:tlsClientError:EPROTO:no certificate for alpha.test "
           "cli:error:ECONNRESET:Client network socket disconnected before secure TLS "
           "connection was established");
}

static void sni_twice(cnet_socket *so, const char *servername, void *arg) {
  (void)servername, (void)arg;
  ASSERT_EQ(cnet_tls_sni_answer(so, NULL, sni.ctx), 0);
  ASSERT_EQ(cnet_tls_sni_answer(so, NULL, sni.ctx), CNET_ERR_MULTIPLE_CALLBACK);
}

CNET_TEST(sni_answer_twice) {
  sni_with(sni_twice, "alpha.test",
           "srv:tlsClientError:ERR_MULTIPLE_CALLBACK:Callback called multiple times "
           "cli:error:ECONNRESET:Client network socket disconnected before secure TLS "
           "connection was established");
}

CNET_TEST(sni_answer_unasked) {
  setup();
  cnet_socket *so;
  ASSERT_EQ(cnet_socket_new(loop, NULL, &so), 0);
  ASSERT_EQ(cnet_tls_sni_answer(so, NULL, NULL), CNET_EINVAL);
  cnet_socket_destroy(so, NULL);
  sni_server(NULL, NULL);
  cnet_socket *c = sni_connect("localhost");
  ASSERT_EQ(cnet_tls_sni_answer(c, NULL, NULL), CNET_EINVAL); /* a client */
  test_run(loop);
  teardown();
}

/* While a server waits for its SNI answer it reads nothing more of the
 * client: what follows the ClientHello waits in the kernel, where TCP
 * holds the client back, not in the server's memory. A plain client
 * replays a real ClientHello (caught by a plain server) and 16 MiB
 * after it, more than the kernels' buffers hold: five seconds later the
 * client's write has not completed (read as it came, and kept, it is
 * done in about a second, even under ASan). */
static struct {
  char hello[8192];
  size_t len;
  cnet_server *catcher;
  cnet_socket *tls, *raw; /* the client, then the server's socket */
  cnet_timer timer;
  bool written; /* the 16 MiB write completed */
} hold;

static void hold_catch_data(const cnet_event *ev, void *arg) {
  cnet_socket *so = arg;
  size_t n = ev->len < sizeof hold.hello - hold.len ? ev->len : sizeof hold.hello - hold.len;
  memcpy(hold.hello + hold.len, ev->data, n);
  hold.len += n;
  /* The record's length is in its header: the whole ClientHello is in. */
  const unsigned char *h = (const unsigned char *)hold.hello;
  if (hold.len >= 5 && hold.len >= 5 + (size_t)(h[3] << 8 | h[4])) {
    cnet_socket_destroy(so, NULL);
    cnet_socket_destroy(hold.tls, NULL);
    cnet_server_close(hold.catcher, NULL, NULL);
  }
}

static void hold_catch(const cnet_event *ev, void *arg) {
  (void)arg;
  cnet_socket *so = cnet_event_socket(ev);
  cnet_on(so, CNET_EV_DATA, hold_catch_data, so);
}

static void hold_check(cnet_timer *t, void *arg) {
  (void)t, (void)arg;
  test_trace("cli:%s", hold.written ? "all-written" : "held-back");
  cnet_error e;
  cnet_error_set(&e, CNET_EPROTO, "no answer");
  ASSERT_EQ(cnet_tls_sni_answer(hold.tls, &e, NULL), 0);
}

static void hold_sni(cnet_socket *so, const char *servername, void *arg) {
  (void)arg;
  test_trace("srv:SNICallback:%s", servername);
  hold.tls = so;
  cnet_timer_init(loop, &hold.timer);
  ASSERT_EQ(cnet_timer_start(&hold.timer, hold_check, NULL, 5000, 0), 0);
}

static void hold_ignore(const cnet_event *ev, void *arg) { (void)ev, (void)arg; }

static void hold_check(cnet_timer *t, void *arg);

/* Read at once, the write completes: the test ends there, failed. */
static void hold_written(void *object, const cnet_error *err, void *arg) {
  (void)object, (void)arg;
  if (err || hold.written) return;
  hold.written = true;
  cnet_timer_stop(&hold.timer);
  hold_check(&hold.timer, NULL);
}

static void hold_send(void *object, const cnet_error *err, void *arg) {
  (void)err, (void)arg;
  size_t junk = 16u << 20;
  char *p = calloc(1, junk);
  ASSERT_NOT_NULL(p);
  cnet_socket_write(object, hold.hello, hold.len, NULL, NULL);
  cnet_socket_write(object, p, junk, hold_written, NULL);
  free(p);
}

CNET_TEST(sni_wait_reads_nothing_more) {
  setup();
  memset(&hold, 0, sizeof hold);
  ASSERT_EQ(cnet_create_server(loop, NULL, hold_catch, NULL, &hold.catcher), 0);
  int catcher_port = test_listen(loop, hold.catcher, "127.0.0.1", 0);
  cnet_connect_options net = {.port = catcher_port, .host = "127.0.0.1"};
  cnet_tls_context_options sec = {.ca = pem("ca.pem")};
  cnet_tls_connect_options c = {.connect = &net, .secure = &sec, .servername = "alpha.test"};
  ASSERT_EQ(cnet_tls_connect(loop, &c, NULL, NULL, &hold.tls), 0);
  cnet_on(hold.tls, CNET_EV_ERROR, hold_ignore, NULL);
  test_run(loop);
  cnet_server_free(hold.catcher);
  ASSERT(hold.len > 5);

  sni_server(hold_sni, NULL);
  port = test_listen(loop, server, "127.0.0.1", 0);
  ASSERT_EQ(cnet_connect_port(loop, port, "127.0.0.1", hold_send, NULL, &hold.raw), 0);
  cnet_on(hold.raw, CNET_EV_ERROR, hold_ignore, NULL);
  test_run(loop);
  ASSERT_TRACE("srv:SNICallback:alpha.test cli:held-back srv:tlsClientError:EPROTO:"
               "no answer");
  teardown();
}

static void sni_context_ca(cnet_socket *so, const char *servername, void *arg) {
  (void)servername;
  ASSERT_EQ(cnet_tls_sni_answer(so, NULL, arg), 0);
}

CNET_TEST(sni_context_verifies_client) {
  /* The server trusts another CA; the context SNI chose trusts the
   * client's (Node's SetCACerts). */
  setup();
  cnet_tls_context *alpha = context_of_files("alpha");
  cnet_tls_context_options s = {.cert = pem("server.pem"), .key = pem("server.key"),
                                .ca = pem("other-ca.pem")};
  cnet_tls_server_options o = {.secure = &s, .request_cert = true,
                               .sni_callback = sni_context_ca, .sni_arg = alpha};
  ASSERT_EQ(cnet_tls_create_server(loop, &o, peer_secure_connection, NULL, &server), 0);
  cnet_on(server, CNET_EV_TLS_CLIENT_ERROR, on_tls_client_error, NULL);
  port = test_listen(loop, server, "127.0.0.1", 0);
  cnet_tls_context_options sec = {.ca = pem("ca.pem"), .key = pem("client.key"),
                                  .cert = pem("client.pem")};
  connect_with(&sec, "alpha.test", true);
  test_run(loop);
  ASSERT(strstr(test_trace_get(), "srv:secureConnection:true:null"));
  ASSERT(strstr(test_trace_get(), "cli:secureConnect:TLSv1.3:authorized"));
  cnet_tls_context_free(alpha);
  teardown();
}

static void sni_name_bytes(cnet_socket *so, const char *servername, void *arg) {
  (void)arg;
  test_trace("srv:SNICallback:%zu", strlen(servername));
  ASSERT_EQ(cnet_tls_sni_answer(so, NULL, NULL), 0);
}

CNET_TEST(sni_longest_name) {
  /* 255 bytes, the most SNI carries, reaches the callback whole. */
  char name[256];
  memset(name, 'a', 255);
  for (int i = 63; i < 255; i += 64) name[i] = '.';
  name[255] = '\0';
  sni_with(sni_name_bytes, name, NULL);
  ASSERT(strstr(test_trace_get(), "srv:SNICallback:255"));
}

CNET_TEST(openssl_s_client_sni) {
  /* s_client -servername: the context addContext gave for the name. */
  setup();
  sni_server(NULL, NULL);
  cnet_tls_context *alpha = context_of_files("alpha");
  ASSERT_EQ(cnet_tls_server_add_context(server, "alpha.test", alpha), 0);
  cnet_tls_context_free(alpha);
  port = test_listen(loop, server, "127.0.0.1", 0);
  char cmd[900];
  snprintf(cmd, sizeof cmd,
           "cd '%s' && exec %s s_client -connect 127.0.0.1:%d -CAfile ca.pem "
           "-servername alpha.test -verify_hostname alpha.test -verify_return_error "
           "</dev/null 2>&1",
           certs, CNET_OPENSSL, port);
  FILE *out;
  pid_t pid = spawn(cmd, &out);
  test_run(loop);
  static char text[1 << 16];
  size_t n = fread(text, 1, sizeof text - 1, out);
  text[n] = '\0';
  waitpid(pid, NULL, 0);
  fclose(out);
  ASSERT(strstr(text, "subject=CN = alpha.test"));
  ASSERT(strstr(text, "Verify return code: 0 (ok)"));
  ASSERT(strstr(test_trace_get(), "srv:servername:alpha.test"));
  teardown();
}

CNET_TEST(verify_altname_lists_every_name) {
  /* Node's message gives the certificate's subjectaltname whole, each
   * kind of name and the quoted ones as getPeerCertificate() has them. */
  setup();
  start_server("odd.pem", "odd.key", NULL, NULL);
  cnet_on(server, CNET_EV_TLS_CLIENT_ERROR, on_tls_client_error, NULL);
  cnet_tls_context_options sec = {.ca = pem("ca.pem")};
  connect_with(&sec, "foo.example", true);
  test_run(loop);
  ASSERT(strstr(test_trace_get(),
                "Host: foo.example. is not in the cert's altnames: DNS:good.test, "
                "DNS:\"evil.test\\u002c DNS:good.test\", URI:http://a.test/?q=ab, "
                "email:x@a.test, IP Address:10.0.0.1"));
  teardown();
}

CNET_TEST(servername_too_long) {
  /* SNI carries at most 255 bytes. */
  setup();
  char name[300];
  memset(name, 'a', sizeof name - 1);
  name[sizeof name - 1] = '\0';
  cnet_connect_options net = {.port = 1, .host = "127.0.0.1"};
  cnet_tls_connect_options o = {.connect = &net, .servername = name};
  cnet_socket *so;
  ASSERT_EQ(cnet_tls_connect(loop, &o, NULL, NULL, &so), CNET_ERR_INVALID_ARG_VALUE);
  ASSERT_NULL(so);
  teardown();
}

static void many_on_secure_connect(void *object, const cnet_error *err, void *arg) {
  (void)err, (void)arg;
  const cnet_tls_certificate *c = (void *)1;
  test_trace("get:%s", cnet_err_name(cnet_tls_socket_get_peer_certificate(object, false, &c)));
  ASSERT_NULL(c);
  cnet_socket_end(object, NULL, 0, NULL, NULL);
}

CNET_TEST(peer_certificate_past_limits) {
  /* 1025 alternative names, one past the limit: CNET_E2BIG, while the
   * connection itself is fine (verified, the name found). */
  setup();
  cnet_tls_context_options s = {.cert = pem("many.pem"), .key = pem("many.key")};
  cnet_tls_server_options o = {.secure = &s};
  ASSERT_EQ(cnet_tls_create_server(loop, &o, srv_close_on_secure, NULL, &server), 0);
  port = test_listen(loop, server, "127.0.0.1", 0);
  cnet_tls_context_options sec = {.ca = pem("ca.pem")};
  cnet_connect_options net = {.port = port, .host = "localhost"};
  cnet_tls_connect_options c = {.connect = &net, .secure = &sec};
  cnet_socket *so;
  ASSERT_EQ(cnet_tls_connect(loop, &c, many_on_secure_connect, NULL, &so), 0);
  cnet_on(so, CNET_EV_DATA, cli_data, NULL);
  test_run(loop);
  ASSERT_TRACE("get:E2BIG");
  teardown();
}

static void sni_answer_closed(cnet_immediate *im, void *arg) {
  (void)im, (void)arg;
  test_trace("answer:%s", cnet_err_name(cnet_tls_sni_answer(sni.so, NULL, NULL)));
  cnet_socket_release(sni.so);
  cnet_server_close(server, NULL, NULL);
}

static void sni_gone(cnet_socket *so, const char *servername, void *arg) {
  (void)servername, (void)arg;
  /* Held, as an answer that may come after 'close' needs: the socket is
   * destroyed before the answer (the client gone meanwhile). */
  cnet_socket_hold(so);
  sni.so = so;
  cnet_socket_destroy(so, NULL);
  cnet_set_immediate(loop, &sni.im, sni_answer_closed, NULL);
}

CNET_TEST(sni_answer_after_destroy) {
  sni_with(sni_gone, "alpha.test", NULL);
  ASSERT(strstr(test_trace_get(), "answer:ERR_SOCKET_CLOSED"));
}

static void sni_keyless(cnet_socket *so, const char *servername, void *arg) {
  (void)servername, (void)arg;
  cnet_tls_context *ctx;
  cnet_tls_context_options only_ca = {.ca = pem("ca.pem")};
  ASSERT_EQ(cnet_tls_context_new(&only_ca, &ctx), 0);
  ASSERT_EQ(cnet_tls_sni_answer(so, NULL, ctx), 0);
  cnet_tls_context_free(ctx);
}

CNET_TEST(sni_context_without_certificate) {
  /* A context that cannot serve (no key, no certificate) fails the
   * connection rather than serving the server's own. */
  sni_with(sni_keyless, "alpha.test", NULL);
  ASSERT(strstr(test_trace_get(),
                "srv:tlsClientError:EINVAL:the SNI context has no key or certificate"));
  ASSERT(strstr(test_trace_get(), "cli:error:ECONNRESET"));
}

/* ---- sessions ----------------------------------------------------------- */

/* A server for n connections that answers upper-cased and ends when its
 * client ends; it closes after the last. Each handshake is traced as
 * resumed or new, and its key log lines (with keylog) are kept. */
static struct {
  int conns_left;
  unsigned char session[16384]; /* the client's last 'session' */
  size_t len;
  int sessions;
  char lines[16][512]; /* 'keylog' lines, server's then a client's */
  int n_lines;
  bool client_certs; /* the server asks for them; the client has one */
} ss;

static const char *reused(cnet_socket *so) {
  return cnet_tls_socket_is_session_reused(so) ? "reused" : "new";
}

static void ss_close(const cnet_event *ev, void *arg) {
  (void)ev, (void)arg;
  if (--ss.conns_left == 0) cnet_server_close(server, NULL, NULL);
}

static void ss_end(const cnet_event *ev, void *arg) {
  (void)arg;
  cnet_socket_end(ev->target, NULL, 0, NULL, NULL);
}

static void ss_secure_connection(const cnet_event *ev, void *arg) {
  (void)arg;
  cnet_socket *so = cnet_event_socket(ev);
  test_trace("srv:%s", reused(so));
  cnet_on(so, CNET_EV_DATA, upper_data, NULL);
  cnet_on(so, CNET_EV_END, ss_end, NULL);
  cnet_on(so, CNET_EV_CLOSE, ss_close, NULL);
}

static void ss_keylog(const cnet_event *ev, void *arg) {
  (void)arg;
  if (ss.n_lines < 16 && ev->len < sizeof ss.lines[0])
    memcpy(ss.lines[ss.n_lines++], ev->data, ev->len);
}

static void ss_start(const char *max_version, int conns, const void *keys) {
  setup();
  bool client_certs = ss.client_certs;
  memset(&ss, 0, sizeof ss);
  ss.conns_left = conns;
  ss.client_certs = client_certs;
  cnet_tls_context_options sec = {.cert = pem("server.pem"), .key = pem("server.key"),
                                  .max_version = max_version, .ticket_keys = keys,
                                  .ticket_keys_len = keys ? 48 : 0,
                                  .session_id_context = keys ? "cnet-test" : NULL};
  cnet_tls_server_options o = {.secure = &sec, .request_cert = ss.client_certs};
  if (ss.client_certs) sec.ca = pem("ca.pem");
  ASSERT_EQ(cnet_tls_create_server(loop, &o, ss_secure_connection, NULL, &server), 0);
  port = test_listen(loop, server, "127.0.0.1", 0);
}

static void ss_session(const cnet_event *ev, void *arg) {
  (void)arg;
  test_trace("cli:session");
  ss.sessions++;
  ASSERT(ev->len <= sizeof ss.session);
  memcpy(ss.session, ev->data, ev->len);
  ss.len = ev->len;
}

static void ss_secure(void *object, const cnet_error *err, void *arg) {
  (void)err, (void)arg;
  test_trace("cli:%s", reused(object));
  cnet_socket_end_string(object, "bye", NULL, NULL, NULL);
}

/* A client of the test CA, resuming session when it is given one. */
static cnet_socket *ss_connect(const void *session, size_t len) {
  cnet_connect_options net = {.port = port, .host = "127.0.0.1"};
  cnet_tls_context_options sec = {.ca = pem("ca.pem")};
  if (ss.client_certs) {
    sec.key = pem("client.key");
    sec.cert = pem("client.pem");
  }
  cnet_tls_connect_options o = {.connect = &net, .secure = &sec, .session = session,
                                .session_len = len};
  cnet_socket *so;
  ASSERT_EQ(cnet_tls_connect(loop, &o, ss_secure, NULL, &so), 0);
  cnet_on(so, CNET_EV_SESSION, ss_session, NULL);
  cnet_on(so, CNET_EV_DATA, cli_data, NULL); /* read: the tickets come with the data */
  return so;
}

static void ss_again(const cnet_event *ev, void *arg) {
  (void)ev, (void)arg;
  ss_connect(ss.session, ss.len);
}

/* A client, then another with the first's last session. */
static void resume(const char *max_version, const char *expected) {
  ss_start(max_version, 2, NULL);
  cnet_on(ss_connect(NULL, 0), CNET_EV_CLOSE, ss_again, NULL);
  test_run(loop);
  ASSERT_TRACE(expected);
  teardown();
}

/* Node's order: TLS 1.2's one session comes right after 'secureConnect';
 * TLS 1.3's two come with the tickets after the handshake, and the
 * resumption brings none. */
CNET_TEST(session_resume_tls12) {
  resume("TLSv1.2", "srv:new cli:new cli:session cli:reused srv:reused");
}

CNET_TEST(session_resume_tls13) {
  resume("TLSv1.3", "cli:new srv:new cli:session cli:session cli:reused srv:reused");
}

/* A TLS 1.3 client with no 'data' listener still gets its sessions, as
 * Node's does (it reads into its buffer): the tickets are read while the
 * socket is paused; the server's data after them waits unread until a
 * 'data' listener comes, and is all there then. */
static void late_session(const cnet_event *ev, void *arg) {
  ss_session(ev, arg);
  if (ss.sessions < 2) return;
  test_trace("cli:rx:%zu", rx.len);
  cnet_on(ev->target, CNET_EV_DATA, cli_data, NULL);
}

CNET_TEST(session_without_data_listener_tls13) {
  ss_start("TLSv1.3", 1, NULL);
  memset(&rx, 0, sizeof rx);
  cnet_connect_options net = {.port = port, .host = "127.0.0.1"};
  cnet_tls_context_options sec = {.ca = pem("ca.pem")};
  cnet_tls_connect_options o = {.connect = &net, .secure = &sec};
  cnet_socket *so;
  ASSERT_EQ(cnet_tls_connect(loop, &o, ss_secure, NULL, &so), 0);
  cnet_on(so, CNET_EV_SESSION, late_session, NULL);
  test_run(loop);
  ASSERT_TRACE("cli:new srv:new cli:session cli:session cli:rx:0");
  ASSERT_EQ(rx.len, 3);
  ASSERT_MEM_EQ(rx.got, "BYE", 3);
  teardown();
}

/* The worst case of that reading: a TLS 1.3 server of OpenSSL's own that
 * issues no ticket and sends 16 MiB at once. The paused client with a
 * 'session' listener takes one read, keeps at most a record decrypted,
 * and stops: the server's writes stall (1 s without progress ends them)
 * well short of the 16 MiB, and nothing is delivered. */
static struct {
  int lfd;
  size_t written;
  atomic_bool done;
  cnet_socket *client;
  cnet_timer poll;
  int sessions;
} flood;

static void *flooding_server(void *arg) {
  SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());
  char path[400];
  snprintf(path, sizeof path, "%s/server.pem", certs);
  SSL_CTX_use_certificate_file(ctx, path, SSL_FILETYPE_PEM);
  snprintf(path, sizeof path, "%s/server.key", certs);
  SSL_CTX_use_PrivateKey_file(ctx, path, SSL_FILETYPE_PEM);
  SSL_CTX_set_num_tickets(ctx, 0);
  int fd = accept(flood.lfd, NULL, NULL);
  struct timeval tv = {.tv_sec = 1};
  setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  SSL *ssl = SSL_new(ctx);
  static char chunk[16384];
  if (fd >= 0 && ssl && SSL_set_fd(ssl, fd) == 1 && SSL_accept(ssl) == 1) {
    while (flood.written < (16u << 20)) {
      int n = SSL_write(ssl, chunk, sizeof chunk);
      if (n <= 0) break; /* a second without progress */
      flood.written += (size_t)n;
    }
  }
  SSL_free(ssl);
  SSL_CTX_free(ctx);
  if (fd >= 0) close(fd);
  atomic_store(&flood.done, true);
  return arg;
}

static void flood_session(const cnet_event *ev, void *arg) {
  (void)ev, (void)arg;
  flood.sessions++;
}

/* The server's FIN, once its writes stopped: the client may end on its
 * own (what the kernel holds is read at the peer's end). */
static void flood_closed(const cnet_event *ev, void *arg) {
  (void)ev, (void)arg;
  flood.client = NULL;
}

/* The server thread's end, looked for every 50 ms. */
static void flood_poll(cnet_timer *t, void *arg) {
  (void)arg;
  if (!atomic_load(&flood.done)) return;
  cnet_timer_stop(t);
  if (flood.client) cnet_socket_destroy(flood.client, NULL);
}

CNET_TEST(session_wait_stops_at_data) {
  setup();
  make_certs(); /* before the thread reads them */
  memset(&flood, 0, sizeof flood);
  memset(&rx, 0, sizeof rx);
  flood.lfd = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
  socklen_t alen = sizeof a;
  ASSERT_EQ(bind(flood.lfd, (struct sockaddr *)&a, sizeof a), 0);
  ASSERT_EQ(listen(flood.lfd, 1), 0);
  ASSERT_EQ(getsockname(flood.lfd, (struct sockaddr *)&a, &alen), 0);
  pthread_t t;
  ASSERT_EQ(pthread_create(&t, NULL, flooding_server, NULL), 0);
  cnet_connect_options net = {.port = ntohs(a.sin_port), .host = "127.0.0.1"};
  cnet_tls_context_options sec = {.ca = pem("ca.pem")};
  cnet_tls_connect_options o = {.connect = &net, .secure = &sec};
  ASSERT_EQ(cnet_tls_connect(loop, &o, NULL, NULL, &flood.client), 0);
  cnet_on(flood.client, CNET_EV_SESSION, flood_session, NULL);
  cnet_on(flood.client, CNET_EV_CLOSE, flood_closed, NULL);
  cnet_on(flood.client, CNET_EV_ERROR, cli_event, NULL);
  cnet_timer_init(loop, &flood.poll);
  ASSERT_EQ(cnet_timer_start(&flood.poll, flood_poll, NULL, 50, 50), 0);
  test_run(loop);
  pthread_join(t, NULL);
  close(flood.lfd);
  ASSERT_EQ(flood.sessions, 0);
  ASSERT_EQ(rx.len, 0);
  ASSERT_TRACE("");
  /* The server wrote (the handshake went through), then stalled at what
   * the kernel buffers on loopback: far below 16 MiB. */
  ASSERT(flood.written >= (64u << 10));
  ASSERT(flood.written < (8u << 20));
  teardown();
}

/* A server that asks for client certificates resumes too (OpenSSL
 * refuses that without a session id context, which every cnet context
 * has). */
CNET_TEST(session_resume_client_certificate) {
  ss.client_certs = true;
  resume("TLSv1.2", "srv:new cli:new cli:session cli:reused srv:reused");
  ss.client_certs = false;
}

/* getSession() and getTLSTicket() at 'secureConnect' (TLS 1.2, where the
 * ticket is there by then): the session resumes as the event's does. */
static void ss_keep_session(void *object, const cnet_error *err, void *arg) {
  (void)err, (void)arg;
  int n = cnet_tls_socket_get_session(object, NULL, 0);
  ASSERT(n > 0 && (size_t)n <= sizeof ss.session);
  ASSERT_EQ(cnet_tls_socket_get_session(object, ss.session, sizeof ss.session), n);
  ss.len = (size_t)n;
  unsigned char ticket[4096];
  int t = cnet_tls_socket_get_ticket(object, ticket, sizeof ticket);
  ASSERT(t > 0);
  test_trace("cli:%s", reused(object));
  cnet_socket_end_string(object, "bye", NULL, NULL, NULL);
}

CNET_TEST(session_from_get_session) {
  ss_start("TLSv1.2", 2, NULL);
  cnet_connect_options net = {.port = port, .host = "127.0.0.1"};
  cnet_tls_context_options sec = {.ca = pem("ca.pem")};
  cnet_tls_connect_options o = {.connect = &net, .secure = &sec};
  cnet_socket *so;
  ASSERT_EQ(cnet_tls_connect(loop, &o, ss_keep_session, NULL, &so), 0);
  cnet_on(so, CNET_EV_SESSION, ss_session, NULL);
  cnet_on(so, CNET_EV_DATA, cli_data, NULL);
  cnet_on(so, CNET_EV_CLOSE, ss_again, NULL);
  test_run(loop);
  ASSERT_TRACE("srv:new cli:new cli:session cli:reused srv:reused");
  teardown();
}

/* Bytes that are no session (Node ignores them): a full handshake. */
CNET_TEST(session_not_a_session) {
  ss_start("TLSv1.2", 1, NULL);
  static const char junk[] = {0x30, 0x05, 0x02, 0x01, 0x01, 0x04, 0x00};
  ss_connect(junk, sizeof junk);
  test_run(loop);
  ASSERT_TRACE("srv:new cli:new cli:session");
  teardown();
}

/* New ticket keys on the server: the tickets sealed with the old ones
 * are not resumed. */
static void ss_rekey_then_again(const cnet_event *ev, void *arg) {
  unsigned char keys[48];
  ASSERT_EQ(cnet_tls_server_get_ticket_keys(server, keys), 0);
  keys[0] ^= 1; /* another key name */
  ASSERT_EQ(cnet_tls_server_set_ticket_keys(server, keys, sizeof keys), 0);
  ss_again(ev, arg);
}

CNET_TEST(session_ticket_keys_changed) {
  ss_start("TLSv1.2", 2, NULL);
  cnet_on(ss_connect(NULL, 0), CNET_EV_CLOSE, ss_rekey_then_again, NULL);
  test_run(loop);
  ASSERT_TRACE("srv:new cli:new cli:session srv:new cli:new cli:session");
  teardown();
}

CNET_TEST(session_ticket_keys_errors) {
  setup();
  unsigned char keys[48] = {0};
  cnet_tls_context_options bad = {.cert = pem("server.pem"), .key = pem("server.key"),
                                  .ticket_keys = keys, .ticket_keys_len = 47};
  cnet_tls_context *ctx;
  ASSERT_EQ(cnet_tls_context_new(&bad, &ctx), CNET_ERR_INVALID_ARG_VALUE);
  cnet_tls_context_options neg = {.session_timeout = -1};
  ASSERT_EQ(cnet_tls_context_new(&neg, &ctx), CNET_ERR_OUT_OF_RANGE);
  ASSERT_EQ(cnet_create_server(loop, NULL, NULL, NULL, &server), 0);
  ASSERT_EQ(cnet_tls_server_get_ticket_keys(server, keys), CNET_EINVAL); /* not TLS */
  cnet_server_free(server);
  server = NULL;
  start_server("server.pem", "server.key", NULL, NULL);
  ASSERT_EQ(cnet_tls_server_set_ticket_keys(server, keys, 16), CNET_ERR_INVALID_ARG_VALUE);
  cnet_server_close(server, NULL, NULL);
  test_run(loop);
  teardown();
}

/* Node's client resumes a session of cnet's server. */
static void node_resumes(const char *version) {
  make_certs();
  ss_start(version, 2, NULL);
  char cmd[900];
  snprintf(cmd, sizeof cmd, "exec %s '%s/peer.js' resume '%s' %d %s", CNET_NODE,
           CNET_TLS_TEST_DIR, certs, port, version);
  FILE *out;
  pid_t pid = spawn(cmd, &out);
  test_run(loop);
  char line[256] = "";
  ASSERT_NOT_NULL(fgets(line, sizeof line, out));
  waitpid(pid, NULL, 0);
  fclose(out);
  ASSERT_STR_EQ(line, "resumed false true\n");
  ASSERT_TRACE("srv:new srv:reused");
  teardown();
}

CNET_TEST(node_client_resumes_tls12) { node_resumes("TLSv1.2"); }
CNET_TEST(node_client_resumes_tls13) { node_resumes("TLSv1.3"); }

/* A Node server with the given ticket keys (hex) for two clients. */
static pid_t node_ticket_server(const char *version, const char *keys_hex, FILE **out) {
  make_certs();
  char cmd[900];
  snprintf(cmd, sizeof cmd, "exec %s '%s/peer.js' tickets '%s' %s %s", CNET_NODE,
           CNET_TLS_TEST_DIR, certs, version, keys_hex);
  pid_t pid = spawn(cmd, out);
  port = read_port(*out);
  ASSERT(port > 0);
  return pid;
}

static const char keys_hex[] = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
                               "202122232425262728292a2b2c2d2e2f";

/* cnet's client resumes a session of Node's server. */
static void resumes_node(const char *version, const char *expected) {
  setup();
  memset(&ss, 0, sizeof ss);
  FILE *out;
  pid_t pid = node_ticket_server(version, keys_hex, &out);
  cnet_on(ss_connect(NULL, 0), CNET_EV_CLOSE, ss_again, NULL);
  test_run(loop);
  waitpid(pid, NULL, 0);
  fclose(out);
  ASSERT_TRACE(expected);
  teardown();
}

CNET_TEST(cnet_client_resumes_node_tls12) {
  resumes_node("TLSv1.2", "cli:new cli:session cli:reused");
}

CNET_TEST(cnet_client_resumes_node_tls13) {
  resumes_node("TLSv1.3", "cli:new cli:session cli:session cli:reused");
}

/* A ticket of Node's server, resumed by cnet's server given the same
 * ticketKeys and sessionIdContext: the tickets are sealed as Node seals
 * them. */
static void ss_stop_node(const cnet_event *ev, void *arg) {
  (void)ev;
  kill(*(pid_t *)arg, SIGTERM);
}

static void node_ticket_on_cnet(const char *version) {
  setup();
  memset(&ss, 0, sizeof ss);
  FILE *out;
  pid_t pid = node_ticket_server(version, keys_hex, &out);
  cnet_on(ss_connect(NULL, 0), CNET_EV_CLOSE, ss_stop_node, &pid);
  test_run(loop);
  waitpid(pid, NULL, 0);
  fclose(out);
  ASSERT(ss.len > 0);
  cnet_loop *first = loop;
  unsigned char session[sizeof ss.session];
  size_t len = ss.len;
  memcpy(session, ss.session, len);
  test_loop_close(first);
  unsigned char keys[48];
  for (int i = 0; i < 48; i++) keys[i] = (unsigned char)i;
  ss_start(version, 1, keys);
  ss_connect(session, len);
  test_run(loop);
  ASSERT(strstr(test_trace_get(), "cli:reused srv:reused"));
  teardown();
}

CNET_TEST(node_ticket_keys_tls12) { node_ticket_on_cnet("TLSv1.2"); }
CNET_TEST(node_ticket_keys_tls13) { node_ticket_on_cnet("TLSv1.3"); }

/* ---- keylog ------------------------------------------------------------- */

static int line_cmp(const void *a, const void *b) { return strcmp(a, b); }

/* Node's client logs the same lines (the same secrets) as cnet's server
 * for one handshake: NSS key log lines, each ending in a newline. */
static void keylog_node(const char *version, int lines) {
  make_certs();
  ss_start(version, 1, NULL);
  cnet_on(server, CNET_EV_KEYLOG, ss_keylog, NULL);
  char cmd[900];
  snprintf(cmd, sizeof cmd, "exec %s '%s/peer.js' keylog '%s' %d %s", CNET_NODE,
           CNET_TLS_TEST_DIR, certs, port, version);
  FILE *out;
  pid_t pid = spawn(cmd, &out);
  test_run(loop);
  char node[16][512];
  int n = 0;
  while (n < 16 && fgets(node[n], sizeof node[n], out) && strcmp(node[n], "end\n") != 0) n++;
  waitpid(pid, NULL, 0);
  fclose(out);
  ASSERT_EQ(n, lines);
  ASSERT_EQ(ss.n_lines, lines);
  qsort(node, (size_t)n, sizeof node[0], line_cmp);
  qsort(ss.lines, (size_t)n, sizeof ss.lines[0], line_cmp);
  for (int i = 0; i < n; i++) ASSERT_STR_EQ(ss.lines[i], node[i]);
  teardown();
}

CNET_TEST(keylog_as_node_tls13) { keylog_node("TLSv1.3", 5); }
CNET_TEST(keylog_as_node_tls12) { keylog_node("TLSv1.2", 1); }

/* A client socket's lines: the server's, in the order OpenSSL makes
 * them on each side. */
static void client_keylog(const cnet_event *ev, void *arg) {
  (void)arg;
  const char *sp = memchr(ev->data, ' ', ev->len);
  ASSERT_NOT_NULL(sp);
  ASSERT_EQ(ev->data[ev->len - 1], '\n');
  test_trace("cli:%.*s", (int)(sp - ev->data), ev->data);
}

CNET_TEST(keylog_client_tls13) {
  ss_start("TLSv1.3", 1, NULL);
  cnet_on(ss_connect(NULL, 0), CNET_EV_KEYLOG, client_keylog, NULL);
  test_run(loop);
  ASSERT_TRACE("cli:SERVER_HANDSHAKE_TRAFFIC_SECRET cli:EXPORTER_SECRET "
               "cli:SERVER_TRAFFIC_SECRET_0 cli:CLIENT_HANDSHAKE_TRAFFIC_SECRET "
               "cli:CLIENT_TRAFFIC_SECRET_0 cli:new srv:new cli:session cli:session");
  teardown();
}

/* ---- handshakeTimeout --------------------------------------------------- */

static void hs_client_event(const cnet_event *ev, void *arg) {
  const char *bytes = arg;
  if (ev->type == CNET_EV_CONNECT && bytes) cnet_socket_write(ev->target, bytes, 40, NULL, NULL);
  if (ev->type != CNET_EV_CONNECT) test_trace("cli:%s", cnet_event_name((int)ev->type));
}

/* A plain TCP client that sends bytes (40 of them, or none) and waits:
 * the server gives up at its deadline, not later for the bytes. */
static void handshake_deadline(const char *bytes) {
  setup();
  cnet_tls_context_options sec = {.cert = pem("server.pem"), .key = pem("server.key")};
  cnet_tls_server_options o = {.secure = &sec, .handshake_timeout = 50};
  ASSERT_EQ(cnet_tls_create_server(loop, &o, on_secure_connection, NULL, &server), 0);
  port = test_listen(loop, server, "127.0.0.1", 0);
  cnet_on(server, CNET_EV_TLS_CLIENT_ERROR, on_tls_client_error, NULL);
  cnet_socket *so;
  ASSERT_EQ(cnet_connect_port(loop, port, "127.0.0.1", NULL, NULL, &so), 0);
  static const int evs[] = {CNET_EV_CONNECT, CNET_EV_END, CNET_EV_CLOSE};
  for (size_t i = 0; i < 3; i++) cnet_on(so, evs[i], hs_client_event, (void *)bytes);
  cnet_on(so, CNET_EV_DATA, cli_data, NULL);
  test_run(loop);
  ASSERT_TRACE("srv:tlsClientError:ERR_TLS_HANDSHAKE_TIMEOUT:TLS handshake timeout "
               "cli:end cli:close");
  ASSERT_EQ(rx.len, 0);
  teardown();
}

CNET_TEST(handshake_timeout_silent_client) { handshake_deadline(NULL); }

CNET_TEST(handshake_timeout_half_client_hello) {
  /* A handshake record that announces 512 bytes; 40 of them come. */
  static const char half[40] = {0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, (char)0xfc};
  handshake_deadline(half);
}

/* The deadline ends with the handshake: a client that waits 500 ms (its
 * own pause) once secure, past the server's 400 ms deadline, is still
 * answered. The deadline leaves the handshake time to finish on a loaded
 * machine under the sanitizers (20 ms once did not). */
static cnet_timer hs_timer;

static void hs_later(cnet_timer *t, void *arg) {
  (void)t;
  cnet_socket_end_string(arg, "late", NULL, NULL, NULL);
}

static void hs_secure(void *object, const cnet_error *err, void *arg) {
  (void)err, (void)arg;
  cnet_timer_init(loop, &hs_timer);
  cnet_timer_start(&hs_timer, hs_later, object, 500, 0);
}

CNET_TEST(handshake_timeout_over_once_secure) {
  setup();
  cnet_tls_context_options sec = {.cert = pem("server.pem"), .key = pem("server.key")};
  cnet_tls_server_options o = {.secure = &sec, .handshake_timeout = 400};
  ASSERT_EQ(cnet_tls_create_server(loop, &o, on_secure_connection, NULL, &server), 0);
  port = test_listen(loop, server, "127.0.0.1", 0);
  cnet_on(server, CNET_EV_TLS_CLIENT_ERROR, on_tls_client_error, NULL);
  cnet_connect_options net = {.port = port, .host = "127.0.0.1"};
  cnet_tls_context_options csec = {.ca = pem("ca.pem")};
  cnet_tls_connect_options c = {.connect = &net, .secure = &csec};
  cnet_socket *so;
  ASSERT_EQ(cnet_tls_connect(loop, &c, hs_secure, NULL, &so), 0);
  cnet_on(so, CNET_EV_DATA, cli_data, NULL);
  test_run(loop);
  ASSERT_TRACE("srv:secureConnection:TLSv1.3:false srv:end srv:close");
  ASSERT_EQ(rx.len, 4);
  ASSERT_MEM_EQ(rx.got, "LATE", 4);
  teardown();
}

/* ---- renegotiation ------------------------------------------------------ */

static void reneg_done(void *object, const cnet_error *err, void *arg) {
  (void)arg;
  if (err)
    test_trace("cli:renegotiated:%s:%s", cnet_err_name(err->code), err->message);
  else
    test_trace("cli:renegotiated");
  cnet_socket_end_string(object, "bye", NULL, NULL, NULL);
}

static void reneg_secure(void *object, const cnet_error *err, void *arg) {
  (void)err, (void)arg;
  int rc = cnet_tls_socket_renegotiate(object, reneg_done, NULL);
  test_trace("cli:renegotiate:%s", rc ? cnet_err_name(rc) : "0");
}

static void reneg_client(const char *max_version, const char *expected) {
  ss_start(max_version, 1, NULL);
  cnet_on(server, CNET_EV_KEYLOG, ss_keylog, NULL);
  cnet_connect_options net = {.port = port, .host = "127.0.0.1"};
  cnet_tls_context_options sec = {.ca = pem("ca.pem")};
  cnet_tls_connect_options o = {.connect = &net, .secure = &sec};
  cnet_socket *so;
  ASSERT_EQ(cnet_tls_connect(loop, &o, reneg_secure, NULL, &so), 0);
  cnet_on(so, CNET_EV_DATA, cli_data, NULL);
  test_run(loop);
  ASSERT_TRACE(expected);
  ASSERT_EQ(rx.len, 3);
  ASSERT_MEM_EQ(rx.got, "BYE", 3);
  teardown();
}

/* TLS 1.2: a second handshake (the server logs a second key), then the
 * data as before. */
CNET_TEST(renegotiate_tls12) {
  reneg_client("TLSv1.2", "srv:new cli:renegotiate:0 cli:renegotiated");
  ASSERT_EQ(ss.n_lines, 2);
}

/* TLS 1.3 has none: Node's false, and its callback's error a tick later. */
CNET_TEST(renegotiate_tls13_refused) {
  reneg_client("TLSv1.3", "cli:renegotiate:ERR_SSL_WRONG_SSL_VERSION "
                          "cli:renegotiated:ERR_SSL_WRONG_SSL_VERSION:error:0A00010A:SSL "
                          "routines::wrong ssl version srv:new");
}

/* A client of OpenSSL's own that renegotiates until the server stops it
 * (at most 10 times): Node's server allows 3 within its window. */
static int renegotiations;

static void *renegotiating_client(void *arg) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port),
                          .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
  SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
  SSL_CTX_set_max_proto_version(ctx, TLS1_2_VERSION);
  SSL *ssl = SSL_new(ctx);
  if (fd >= 0 && connect(fd, (struct sockaddr *)&a, sizeof a) == 0 && ssl &&
      SSL_set_fd(ssl, fd) == 1 && SSL_connect(ssl) == 1) {
    while (renegotiations < 10 && SSL_renegotiate(ssl) == 1 && SSL_do_handshake(ssl) == 1)
      renegotiations++;
  }
  SSL_free(ssl);
  SSL_CTX_free(ctx);
  if (fd >= 0) close(fd);
  return arg;
}

static void attack_error(const cnet_event *ev, void *arg) {
  (void)arg;
  test_trace("srv:error:%s:%s", cnet_err_name(ev->error->code), ev->error->message);
}

static void attack_secure_connection(const cnet_event *ev, void *arg) {
  ss_secure_connection(ev, arg);
  cnet_on(cnet_event_socket(ev), CNET_EV_ERROR, attack_error, NULL);
}

/* A server whose accepted socket goes to on_secure, and the client above
 * against it: how many renegotiations the client made. */
static int renegotiating_run(cnet_listener on_secure) {
  signal(SIGPIPE, SIG_IGN); /* the client writes on after the server is gone */
  setup();
  memset(&ss, 0, sizeof ss);
  ss.conns_left = 1;
  renegotiations = 0;
  cnet_tls_context_options sec = {.cert = pem("server.pem"), .key = pem("server.key")};
  cnet_tls_server_options o = {.secure = &sec};
  ASSERT_EQ(cnet_tls_create_server(loop, &o, on_secure, NULL, &server), 0);
  port = test_listen(loop, server, "127.0.0.1", 0);
  pthread_t t;
  ASSERT_EQ(pthread_create(&t, NULL, renegotiating_client, NULL), 0);
  test_run(loop);
  pthread_join(t, NULL);
  return renegotiations;
}

CNET_TEST(renegotiation_limit) {
  ASSERT_EQ(renegotiating_run(attack_secure_connection), 3);
  ASSERT_TRACE("srv:new srv:error:ERR_TLS_SESSION_ATTACK:TLS session renegotiation attack "
               "detected");
  teardown();
}

static void disabled_secure_connection(const cnet_event *ev, void *arg) {
  attack_secure_connection(ev, arg);
  ASSERT_EQ(cnet_tls_socket_disable_renegotiation(cnet_event_socket(ev)), 0);
}

/* After disableRenegotiation() the first renegotiation is refused: the
 * socket is destroyed with ERR_TLS_RENEGOTIATION_DISABLED, as the one
 * past the limit is with ERR_TLS_SESSION_ATTACK. */
CNET_TEST(renegotiation_disabled) {
  ASSERT_EQ(renegotiating_run(disabled_secure_connection), 0);
  ASSERT_TRACE("srv:new srv:error:ERR_TLS_RENEGOTIATION_DISABLED:TLS session renegotiation "
               "disabled for this socket");
  teardown();
}

/* setMaxSendFragment(512): a client of OpenSSL's own reads the server's
 * 4 KiB and notes the length of each record that carried it. */
static struct {
  size_t longest, records, got;
} frag;

static void frag_record(int write_p, int version, int content_type, const void *buf,
                        size_t len, SSL *ssl, void *arg) {
  (void)version, (void)ssl, (void)arg;
  if (write_p || content_type != SSL3_RT_HEADER || len != 5) return;
  const unsigned char *h = buf;
  size_t n = (size_t)h[3] << 8 | h[4];
  if (h[0] != SSL3_RT_APPLICATION_DATA) return;
  frag.records++;
  if (n > frag.longest) frag.longest = n;
}

static void *fragment_client(void *arg) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port),
                          .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
  SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
  SSL_CTX_set_msg_callback(ctx, frag_record);
  SSL *ssl = SSL_new(ctx);
  char buf[4096];
  if (fd >= 0 && connect(fd, (struct sockaddr *)&a, sizeof a) == 0 && ssl &&
      SSL_set_fd(ssl, fd) == 1 && SSL_connect(ssl) == 1) {
    int n;
    while (frag.got < sizeof buf && (n = SSL_read(ssl, buf, sizeof buf)) > 0) frag.got += (size_t)n;
  }
  SSL_free(ssl);
  SSL_CTX_free(ctx);
  if (fd >= 0) close(fd);
  return arg;
}

static void fragment_secure_connection(const cnet_event *ev, void *arg) {
  (void)arg;
  cnet_socket *so = cnet_event_socket(ev);
  ASSERT(!cnet_tls_socket_set_max_send_fragment(so, 511));
  ASSERT(!cnet_tls_socket_set_max_send_fragment(so, 16385));
  ASSERT(cnet_tls_socket_set_max_send_fragment(so, 512));
  static char data[4096];
  memset(data, 'x', sizeof data);
  cnet_socket_end(so, data, sizeof data, NULL, NULL);
  cnet_server_close(server, NULL, NULL);
}

CNET_TEST(max_send_fragment) {
  setup();
  memset(&frag, 0, sizeof frag);
  cnet_tls_context_options sec = {.cert = pem("server.pem"), .key = pem("server.key")};
  cnet_tls_server_options o = {.secure = &sec};
  ASSERT_EQ(cnet_tls_create_server(loop, &o, fragment_secure_connection, NULL, &server), 0);
  port = test_listen(loop, server, "127.0.0.1", 0);
  pthread_t t;
  ASSERT_EQ(pthread_create(&t, NULL, fragment_client, NULL), 0);
  test_run(loop);
  pthread_join(t, NULL);
  ASSERT_EQ(frag.got, 4096);
  /* 512 bytes of plaintext, TLS 1.3's content type and 16-byte tag */
  ASSERT(frag.longest <= 512 + 17);
  ASSERT(frag.records >= 8);
  teardown();
}

/* openssl s_client's 'R' (TLS 1.2): renegotiated, then its line is
 * answered. Its stdin is ours: 'R' once the server is secure, the line
 * once the server logged the second handshake's key. */
static struct {
  FILE *in;
} sc;

static void sc_keylog(const cnet_event *ev, void *arg) {
  ss_keylog(ev, arg);
  if (ss.n_lines == 2) {
    fputs("hello\n", sc.in);
    fflush(sc.in);
  }
}

static void sc_secure_connection(const cnet_event *ev, void *arg) {
  ss_secure_connection(ev, arg);
  fputs("R\n", sc.in);
  fflush(sc.in);
}

CNET_TEST(openssl_s_client_renegotiates) {
  make_certs();
  setup();
  memset(&ss, 0, sizeof ss);
  ss.conns_left = 1;
  end_on_data = true;
  cnet_tls_context_options sec = {.cert = pem("server.pem"), .key = pem("server.key")};
  cnet_tls_server_options o = {.secure = &sec};
  ASSERT_EQ(cnet_tls_create_server(loop, &o, sc_secure_connection, NULL, &server), 0);
  cnet_on(server, CNET_EV_KEYLOG, sc_keylog, NULL);
  port = test_listen(loop, server, "127.0.0.1", 0);
  int in[2];
  ASSERT_EQ(pipe(in), 0);
  char cmd[600];
  snprintf(cmd, sizeof cmd, "exec %s s_client -connect 127.0.0.1:%d -tls1_2 2>/dev/null <&%d",
           CNET_OPENSSL, port, in[0]);
  FILE *out;
  pid_t pid = spawn(cmd, &out);
  close(in[0]);
  sc.in = fdopen(in[1], "w");
  test_run(loop);
  fclose(sc.in);
  char text[16384];
  size_t n = fread(text, 1, sizeof text - 1, out);
  text[n] = '\0';
  waitpid(pid, NULL, 0);
  fclose(out);
  ASSERT(strstr(text, "HELLO\n"));
  ASSERT_EQ(ss.n_lines, 2);
  ASSERT_TRACE("srv:new");
  end_on_data = false;
  teardown();
}
