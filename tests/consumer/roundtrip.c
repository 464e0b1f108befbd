/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* A program outside cnet, built against an installed or added cnet the way
 * a user builds one (tests/consumer/run.sh): a TCP echo round trip and a
 * UDP round trip on 127.0.0.1, through the public API alone. Prints what
 * it checked and exits 0 when both round trips brought their bytes back
 * and the loop closed with nothing left on it. */
#include <cnet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TCP_MSG "hello over tcp"
#define UDP_MSG "hello over udp"

typedef struct state {
  cnet_loop *loop;
  cnet_server *server;
  cnet_dgram *udp_server;
  char tcp_got[sizeof TCP_MSG];
  size_t tcp_len;
  int tcp_ok;
  int udp_ok;
} state;

static void fail(const char *what, const cnet_error *err) {
  fprintf(stderr, "roundtrip: %s: %s\n", what, err ? err->message : "?");
  exit(1);
}

static void on_error(const cnet_event *ev, void *arg) {
  fail(arg, ev->error);
}

/* TCP: the server echoes; the client ends once all of it came back, and
 * the server closes then (its side of the connection ends with the
 * client's, as Node's does without allowHalfOpen). */
static void on_server_data(const cnet_event *ev, void *arg) {
  (void)arg;
  cnet_socket_write(ev->target, ev->data, ev->len, NULL, NULL);
}

static void on_connection(const cnet_event *ev, void *arg) {
  (void)arg;
  cnet_socket *peer = cnet_event_socket(ev);
  cnet_on(peer, CNET_EV_DATA, on_server_data, NULL);
  cnet_on(peer, CNET_EV_ERROR, on_error, "tcp server socket");
}

static void on_client_data(const cnet_event *ev, void *arg) {
  state *s = arg;
  if (s->tcp_len + ev->len > strlen(TCP_MSG))
    fail("tcp: more bytes came back than were sent", NULL);
  memcpy(s->tcp_got + s->tcp_len, ev->data, ev->len);
  s->tcp_len += ev->len;
  if (s->tcp_len < strlen(TCP_MSG))
    return;
  s->tcp_ok = memcmp(s->tcp_got, TCP_MSG, s->tcp_len) == 0;
  cnet_socket_end(ev->target, NULL, 0, NULL, NULL);
  cnet_server_close(s->server, NULL, NULL);
}

static void on_connect(void *client, const cnet_error *err, void *arg) {
  (void)err;
  (void)arg;
  cnet_socket_write(client, TCP_MSG, strlen(TCP_MSG), NULL, NULL);
}

static void on_listening(const cnet_event *ev, void *arg) {
  state *s = arg;
  cnet_address a;
  if (cnet_server_address(ev->target, &a) != 0)
    fail("server address", cnet_last_error());
  cnet_connect_options o = {.port = a.port, .host = "127.0.0.1"};
  cnet_socket *client;
  if (cnet_connect(s->loop, &o, on_connect, NULL, &client) != 0)
    fail("connect", cnet_last_error());
  cnet_on(client, CNET_EV_DATA, on_client_data, s);
  cnet_on(client, CNET_EV_ERROR, on_error, "tcp client");
}

/* UDP: the server sends each datagram back to where it came from. */
static void on_udp_server_message(const cnet_event *ev, void *arg) {
  (void)arg;
  cnet_dgram_send(ev->target, ev->data, ev->len, ev->rinfo->port,
                  ev->rinfo->address, NULL, NULL);
}

static void on_udp_client_message(const cnet_event *ev, void *arg) {
  state *s = arg;
  s->udp_ok = ev->len == strlen(UDP_MSG) &&
              memcmp(ev->data, UDP_MSG, ev->len) == 0;
  cnet_dgram_close(ev->target, NULL, NULL);
  cnet_dgram_close(s->udp_server, NULL, NULL);
}

static void on_udp_listening(const cnet_event *ev, void *arg) {
  state *s = arg;
  cnet_address a;
  if (cnet_dgram_address(ev->target, &a) != 0)
    fail("udp address", cnet_last_error());
  cnet_dgram *client;
  if (cnet_dgram_create(s->loop, "udp4", on_udp_client_message, s, &client) != 0)
    fail("udp client", cnet_last_error());
  cnet_on(client, CNET_EV_ERROR, on_error, "udp client");
  if (cnet_dgram_send(client, UDP_MSG, strlen(UDP_MSG), a.port, "127.0.0.1",
                      NULL, NULL) != 0)
    fail("udp send", cnet_last_error());
}

int main(void) {
  state s = {0};
  if (cnet_loop_new(&s.loop) != 0)
    fail("loop", cnet_last_error());
  if (cnet_create_server(s.loop, NULL, on_connection, NULL, &s.server) != 0)
    fail("server", cnet_last_error());
  cnet_on(s.server, CNET_EV_LISTENING, on_listening, &s);
  cnet_on(s.server, CNET_EV_ERROR, on_error, "tcp server");
  if (cnet_server_listen(s.server, 0, "127.0.0.1", 0) != 0)
    fail("listen", cnet_last_error());

  if (cnet_dgram_create(s.loop, "udp4", on_udp_server_message, NULL,
                        &s.udp_server) != 0)
    fail("udp server", cnet_last_error());
  cnet_on(s.udp_server, CNET_EV_LISTENING, on_udp_listening, &s);
  cnet_on(s.udp_server, CNET_EV_ERROR, on_error, "udp server");
  if (cnet_dgram_bind(s.udp_server, 0, "127.0.0.1", NULL, NULL) != 0)
    fail("udp bind", cnet_last_error());

  cnet_loop_run(s.loop, CNET_RUN_DEFAULT);
  cnet_server_free(s.server);
  printf("tcp round trip: %s\nudp round trip: %s\n", s.tcp_ok ? "ok" : "FAILED",
         s.udp_ok ? "ok" : "FAILED");
  if (cnet_loop_close(s.loop) != 0)
    fail("loop close: something is still open", NULL);
  return s.tcp_ok && s.udp_ok ? 0 : 1;
}
