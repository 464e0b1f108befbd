/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* Fuzz target: a cnet TLS server (src/tls.c) fed a client's bytes.
 *
 * The server listens on a Unix socket and echoes what it receives; the
 * client is the peer of tls_fuzz.h. Input: a settings byte, then either
 *  - (handshake bit clear) the client's first flight: raw bytes, cut
 *    whole, byte by byte or in random pieces, then a FIN or a close;
 *  - (handshake bit set) a handshake through OpenSSL (TLS 1.2 or 1.3),
 *    then steps: plaintext through TLS, raw bytes (garbage, records,
 *    alerts made by hand), a close_notify, a FIN.
 * Properties:
 *  - the loop always comes to rest: no input makes the server spin;
 *  - every failure is reported with a code and a message, as
 *    'tlsClientError' before the handshake ends, 'error' after;
 *  - a client that only speaks TLS gets back exactly what it sent;
 *  - once the client is gone the connection closes, exactly once, and
 *    the loop closes with no handle open and nothing leaked (LSan). */
#include <fcntl.h>

#include "tls_fuzz.h"

enum { S_TLS13 = 1, S_SPLIT = 6, S_HANDSHAKE = 8, S_FIN = 16 };

typedef struct world {
  cnet_loop *loop;
  cnet_server *server;
  tls_peer peer;
  unsigned events;
  int connections, closes, errors, client_errors, secure;
  fuzz_buf sent; /* plaintext the client sent through TLS */
  bool raw, shut;
} world;

static void on_data(const cnet_event *ev, void *arg) {
  world *w = arg;
  w->events++;
  cnet_socket_write(ev->target, ev->data, ev->len, NULL, NULL);
}

static void on_error(const cnet_event *ev, void *arg) {
  world *w = arg;
  w->events++;
  w->errors++;
  tls_check_error(ev->error);
}

static void on_close(const cnet_event *ev, void *arg) {
  world *w = arg;
  (void)ev;
  w->events++;
  w->closes++;
}

static void on_connection(const cnet_event *ev, void *arg) {
  world *w = arg;
  cnet_socket *so = cnet_event_socket(ev);
  w->events++;
  w->connections++;
  FUZZ_CHECK(cnet_tls_socket_encrypted(so));
  cnet_on(so, CNET_EV_DATA, on_data, w);
  cnet_on(so, CNET_EV_ERROR, on_error, w);
  cnet_on(so, CNET_EV_CLOSE, on_close, w);
}

static void on_secure(const cnet_event *ev, void *arg) {
  world *w = arg;
  w->events++;
  w->secure++;
  FUZZ_CHECK(cnet_tls_socket_get_protocol(cnet_event_socket(ev)) != NULL);
}

static void on_client_error(const cnet_event *ev, void *arg) {
  world *w = arg;
  w->events++;
  w->client_errors++;
  tls_check_error(ev->error);
  FUZZ_CHECK(w->secure == 0);
}

static cnet_tls_context *context(void) {
  static cnet_tls_context *ctx;
  if (ctx) return ctx;
  const tls_material *m = tls_material_get();
  cnet_tls_context_options o = {.key = m->key_pem, .cert = m->cert_pem};
  FUZZ_CHECK(cnet_tls_context_new(&o, &ctx) == 0);
  return ctx;
}

static void start(world *w) {
  const tls_material *m = tls_material_get();
  memset(w, 0, sizeof *w);
  w->peer.fd = -1;
  FUZZ_CHECK(cnet_loop_new(&w->loop) == 0);
  cnet_tls_server_options o = {.secure_context = context()};
  FUZZ_CHECK(cnet_tls_create_server(w->loop, &o, on_secure, w, &w->server) == 0);
  cnet_on(w->server, CNET_EV_CONNECTION, on_connection, w);
  cnet_on(w->server, CNET_EV_TLS_CLIENT_ERROR, on_client_error, w);
  unlink(m->path);
  FUZZ_CHECK(cnet_server_listen_path(w->server, m->path) == 0);
  int fd = socket(AF_UNIX, SOCK_STREAM, 0);
  struct sockaddr_un a = {.sun_family = AF_UNIX};
  memcpy(a.sun_path, m->path, strlen(m->path) + 1);
  FUZZ_CHECK(fd >= 0 && connect(fd, (struct sockaddr *)&a, sizeof a) == 0);
  FUZZ_CHECK(fcntl(fd, F_SETFL, O_NONBLOCK) == 0);
  w->peer.fd = fd;
  tls_settle(w->loop, &w->peer, &w->events);
  FUZZ_CHECK(w->connections == 1);
}

static void run(const uint8_t *data, size_t size) {
  world w;
  start(&w);
  fuzz_reader in = fuzz_reader_init(data + 1, size - 1);
  fuzz_rng g = fuzz_rng_from(data, size);
  unsigned split = (data[0] & S_SPLIT) >> 1;
  enum tls_split how = split > TLS_RANDOM ? TLS_RANDOM : (enum tls_split)split;
  if (data[0] & S_HANDSHAKE) {
    tls_peer_start(&w.peer, w.peer.fd, false, data[0] & S_TLS13);
    tls_settle(w.loop, &w.peer, &w.events);
    FUZZ_CHECK(w.peer.secure && w.secure == 1);
    tls_play_state ps = {w.loop, &w.peer, &w.events, &w.sent, &w.raw, &w.shut};
    tls_play(&ps, &in, how, &g);
    /* Only TLS went out and cnet saw nothing wrong: all of it came back. */
    if (!w.raw && !w.errors) FUZZ_CHECK(fuzz_buf_eq(&w.peer.got, &w.sent));
  } else {
    tls_send_raw(w.loop, &w.peer, &w.events, in.p, in.left, how, &g);
  }
  if (data[0] & S_FIN) {
    shutdown(w.peer.fd, SHUT_WR);
    tls_settle(w.loop, &w.peer, &w.events);
  }
  tls_peer_free(&w.peer);
  tls_settle(w.loop, &w.peer, &w.events);
  FUZZ_CHECK(w.closes == 1);
  FUZZ_CHECK(w.client_errors + w.secure <= 1);
  FUZZ_CHECK(cnet_server_connection_count(w.server) == 0);
  cnet_server_free(w.server);
  tls_settle(w.loop, &w.peer, &w.events);
  FUZZ_CHECK(cnet_loop_close(w.loop) == 0);
  fuzz_buf_free(&w.sent);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size == 0) return 0;
  run(data, size);
  return 0;
}
