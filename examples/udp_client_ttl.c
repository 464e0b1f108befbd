/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* A UDP client that sends one datagram with TTL 128 and prints the reply.
 *
 * Node original (seed 000, "UDP"):
 *
 *   var dgram = require('dgram');
 *   var socket = dgram.createSocket('udp4');
 *   socket.on('message', function (msg, rinfo) {
 *     console.log(msg.toString());
 *     console.log(rinfo);
 *   });
 *   socket.setTTL(128);
 *   socket.send(new Buffer('珠峰培训'), 0, 6, 41234, 'localhost',
 *               function (err, bytes) { console.log('发送了个%d字节', bytes); });
 *   socket.on('error', function (err) { console.error(err); });
 *
 * As written, the seed's setTTL(128) fails in Node 20 ("setTTL EBADF": an
 * unbound socket has no file descriptor yet). Here the TTL is set from
 * 'listening', which the implicit bind of the send emits before the queued
 * datagram goes out, so the datagram does leave with TTL 128. The seed's
 * client runs until killed; this one closes after the first reply (or
 * after 2 s without one).
 *
 * Run: build/bin/udp_client_ttl [port [host [message [ttl]]]]
 *      (41234, localhost, the first 6 bytes of "珠峰培训", 128) */
#include <cnet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static cnet_timer give_up;
static int ttl = 128;

static void on_message(const cnet_event *ev, void *arg) {
  const cnet_rinfo *r = ev->rinfo;
  printf("%.*s\n", (int)ev->len, ev->data);
  printf("{ address: '%s', family: '%s', port: %d, size: %zu }\n", r->address,
         r->family, r->port, r->size);
  cnet_timer_stop(&give_up);
  cnet_dgram_close(ev->target, NULL, NULL);
}

static void on_listening(const cnet_event *ev, void *arg) {
  if (cnet_dgram_set_ttl(ev->target, ttl) < 0)
    fprintf(stderr, "%s\n", cnet_last_error()->message);
}

/* arg: the length sent, which is Node's bytes. */
static void on_sent(void *socket, const cnet_error *err, void *arg) {
  const size_t *bytes = arg;
  if (err) {
    fprintf(stderr, "%s\n", err->message);
    return;
  }
  printf("发送了个%zu字节\n", *bytes);
}

static void on_error(const cnet_event *ev, void *arg) {
  fprintf(stderr, "%s\n", ev->error->message);
}

static void on_give_up(cnet_timer *t, void *arg) {
  fprintf(stderr, "udp_client_ttl: no reply\n");
  cnet_dgram_close(arg, NULL, NULL);
}

int main(int argc, char **argv) {
  int port = argc > 1 ? atoi(argv[1]) : 41234;
  const char *host = argc > 2 ? argv[2] : "localhost";
  const char *msg = argc > 3 ? argv[3] : "珠峰培训";
  size_t len = argc > 3 ? strlen(msg) : 6; /* the seed sends bytes 0..6 */
  if (argc > 4) ttl = atoi(argv[4]);
  setvbuf(stdout, NULL, _IOLBF, 0);
  cnet_loop *loop = cnet_default_loop();
  cnet_dgram *socket = NULL;
  cnet_dgram_create(loop, "udp4", on_message, NULL, &socket);
  cnet_on(socket, CNET_EV_LISTENING, on_listening, NULL);
  cnet_on(socket, CNET_EV_ERROR, on_error, NULL);
  int r = cnet_dgram_send_range(socket, msg, strlen(msg), 0, len, port, host,
                                on_sent, &len);
  if (r < 0) {
    fprintf(stderr, "%s\n", cnet_last_error()->message);
    cnet_dgram_close(socket, NULL, NULL);
  } else {
    cnet_timer_init(loop, &give_up);
    cnet_set_timeout(&give_up, on_give_up, socket, 2000);
  }
  cnet_loop_run(loop, CNET_RUN_DEFAULT);
  return cnet_loop_close(loop) == 0 ? 0 : 1;
}
