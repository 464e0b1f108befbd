/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* A UDP echo server: prints each datagram and where it came from, and
 * sends it back to the sender.
 *
 * Node original (seed 000, "UDP"):
 *
 *   var dgram = require('dgram');
 *   var socket = dgram.createSocket('udp4');
 *   socket.on('message', function (msg, rinfo) {
 *     console.log(msg.toString());
 *     console.log(rinfo);
 *     socket.send(msg, 0, msg.length, rinfo.port, rinfo.address);
 *   });
 *   socket.bind(41234, 'localhost');
 *
 * Run: build/bin/udp_echo_server [port [address]]   (41234, localhost)
 * then build/bin/udp_client_ttl, or: echo hi | nc -u -w1 localhost 41234 */
#include <cnet.h>
#include <stdio.h>
#include <stdlib.h>

static void on_message(const cnet_event *ev, void *arg) {
  const cnet_rinfo *r = ev->rinfo;
  printf("%.*s\n", (int)ev->len, ev->data);
  /* console.log(rinfo) */
  printf("{ address: '%s', family: '%s', port: %d, size: %zu }\n", r->address,
         r->family, r->port, r->size);
  cnet_dgram_send_range(ev->target, ev->data, ev->len, 0, ev->len, r->port,
                        r->address, NULL, NULL);
}

static void on_listening(const cnet_event *ev, void *arg) {
  cnet_address a;
  cnet_dgram_address(ev->target, &a);
  fprintf(stderr, "udp_echo_server: listening on %s:%d\n", a.address, a.port);
}

static void on_error(const cnet_event *ev, void *arg) {
  fprintf(stderr, "udp_echo_server: %s\n", ev->error->message);
  cnet_dgram_close(ev->target, NULL, NULL);
}

int main(int argc, char **argv) {
  int port = argc > 1 ? atoi(argv[1]) : 41234;
  const char *address = argc > 2 ? argv[2] : "localhost";
  setvbuf(stdout, NULL, _IOLBF, 0); /* console.log writes line by line */
  cnet_loop *loop = cnet_default_loop();
  cnet_dgram *socket = NULL;
  cnet_dgram_create(loop, "udp4", on_message, NULL, &socket);
  cnet_on(socket, CNET_EV_LISTENING, on_listening, NULL);
  cnet_on(socket, CNET_EV_ERROR, on_error, NULL);
  cnet_dgram_bind(socket, port, address, NULL, NULL);
  cnet_loop_run(loop, CNET_RUN_DEFAULT);
  return cnet_loop_close(loop) == 0 ? 0 : 1;
}
