/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* Fuzz target: a cnet TLS client (src/tls.c) fed a server's bytes.
 *
 * cnet_tls_connect() connects to a Unix socket of the target's own; the
 * server is the peer of tls_fuzz.h. Input: a settings byte, then either
 *  - (handshake bit clear) the server's answer to the ClientHello: raw
 *    bytes, cut whole, byte by byte or in random pieces, then a FIN or a
 *    close; the client verifies the server or not;
 *  - (handshake bit set) a handshake through OpenSSL (TLS 1.2 or 1.3,
 *    the client not verifying), then steps: plaintext through TLS, raw
 *    bytes, a close_notify, a FIN.
 * Properties:
 *  - the loop always comes to rest;
 *  - a failure is an 'error' with a code and a message, and comes with
 *    no 'secureConnect' before the handshake is done;
 *  - what the server sent through TLS arrives whole as 'data';
 *  - once the server is gone the socket closes, exactly once, and the
 *    loop closes with no handle open and nothing leaked (LSan). */
#include "tls_fuzz.h"

enum { S_TLS13 = 1, S_SPLIT = 6, S_HANDSHAKE = 8, S_FIN = 16, S_VERIFY = 32 };

typedef struct world {
  cnet_loop *loop;
  cnet_socket *so;
  tls_peer peer;
  unsigned events;
  int closes, errors, secure;
  fuzz_buf sent, got;
  bool raw, shut;
} world;

static void on_data(const cnet_event *ev, void *arg) {
  world *w = arg;
  w->events++;
  FUZZ_CHECK(w->secure == 1);
  fuzz_buf_add(&w->got, ev->data, ev->len);
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

static void on_secure(void *so, const cnet_error *err, void *arg) {
  world *w = arg;
  (void)err;
  w->events++;
  w->secure++;
  FUZZ_CHECK(cnet_tls_socket_get_protocol(so) != NULL);
}

static int listener(const char *path) {
  unlink(path);
  int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
  struct sockaddr_un a = {.sun_family = AF_UNIX};
  memcpy(a.sun_path, path, strlen(path) + 1);
  FUZZ_CHECK(fd >= 0 && bind(fd, (struct sockaddr *)&a, sizeof a) == 0);
  FUZZ_CHECK(listen(fd, 4) == 0);
  return fd;
}

static void start(world *w, bool verify) {
  static cnet_tls_context *ctx;
  const tls_material *m = tls_material_get();
  if (!ctx) FUZZ_CHECK(cnet_tls_context_new(NULL, &ctx) == 0);
  memset(w, 0, sizeof *w);
  w->peer.fd = -1;
  FUZZ_CHECK(cnet_loop_new(&w->loop) == 0);
  int lfd = listener(m->path);
  cnet_connect_options net = {.path = m->path};
  cnet_tls_connect_options o = {.connect = &net, .secure_context = ctx,
                                .servername = "localhost",
                                .has_reject_unauthorized = true,
                                .reject_unauthorized = verify};
  FUZZ_CHECK(cnet_tls_connect(w->loop, &o, on_secure, w, &w->so) == 0);
  cnet_on(w->so, CNET_EV_DATA, on_data, w);
  cnet_on(w->so, CNET_EV_ERROR, on_error, w);
  cnet_on(w->so, CNET_EV_CLOSE, on_close, w);
  for (int turns = 0; w->peer.fd < 0; turns++) {
    FUZZ_CHECK(turns < TLS_MAX_TURNS);
    FUZZ_CHECK(cnet_loop_run(w->loop, CNET_RUN_NOWAIT) >= 0);
    w->peer.fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK);
  }
  close(lfd);
  unlink(m->path);
}

static void run(const uint8_t *data, size_t size) {
  world w;
  bool handshake = data[0] & S_HANDSHAKE;
  start(&w, !handshake && (data[0] & S_VERIFY));
  fuzz_reader in = fuzz_reader_init(data + 1, size - 1);
  fuzz_rng g = fuzz_rng_from(data, size);
  unsigned split = (data[0] & S_SPLIT) >> 1;
  enum tls_split how = split > TLS_RANDOM ? TLS_RANDOM : (enum tls_split)split;
  if (handshake) {
    tls_peer_start(&w.peer, w.peer.fd, true, data[0] & S_TLS13);
    tls_settle(w.loop, &w.peer, &w.events);
    FUZZ_CHECK(w.peer.secure && w.secure == 1);
    tls_play_state ps = {w.loop, &w.peer, &w.events, &w.sent, &w.raw, &w.shut};
    tls_play(&ps, &in, how, &g);
    if (!w.raw && !w.errors) FUZZ_CHECK(fuzz_buf_eq(&w.got, &w.sent));
  } else {
    tls_settle(w.loop, &w.peer, &w.events); /* the ClientHello, read raw */
    tls_send_raw(w.loop, &w.peer, &w.events, in.p, in.left, how, &g);
  }
  if (data[0] & S_FIN) {
    shutdown(w.peer.fd, SHUT_WR);
    tls_settle(w.loop, &w.peer, &w.events);
  }
  tls_peer_free(&w.peer);
  tls_settle(w.loop, &w.peer, &w.events);
  FUZZ_CHECK(w.closes == 1);
  FUZZ_CHECK(w.secure <= 1);
  FUZZ_CHECK(cnet_loop_close(w.loop) == 0);
  fuzz_buf_free(&w.sent);
  fuzz_buf_free(&w.got);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size == 0) return 0;
  run(data, size);
  return 0;
}
