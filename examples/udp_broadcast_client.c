/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* The broadcast server's client: listens on port 41235, sends "hello" to
 * the server and prints what the broadcasts bring.
 *
 * Node original (seed 000):
 *
 *   let dgram = require('dgram');
 *   let client = dgram.createSocket('udp4');
 *   client.bind(41235, '192.168.1.102');
 *   let buf = new Buffer('hello');
 *   client.send(buf, 0, buf.length, 41234, '192.168.1.100');
 *   client.on('message', function (msg, rinfo) {
 *     console.log('received : ', msg);
 *   });
 *
 * Differences, and why: Linux hands a broadcast only to sockets bound to
 * the wildcard address (or to the broadcast address itself), never to one
 * bound to a unicast address as the seed's is, so the client binds
 * 0.0.0.0 unless told otherwise. The message is printed as text; the seed
 * prints the Buffer. With a count the client leaves after that many
 * messages (the seed runs until killed); -n 0 only sends, -q only
 * listens.
 *
 * Run: build/bin/udp_broadcast_client [-b bind-address] [-p port]
 *        [-n count] [-m message] [-q] [server-address [server-port]]
 *      (0.0.0.0, 41235, forever, "hello", 127.0.0.1, 41234) */
#include <cnet.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int remaining = -1;
static bool quiet; /* -q: only listen */
static const char *message = "hello";
static const char *server_address = "127.0.0.1";
static int server_port = 41234;

static void on_message(const cnet_event *ev, void *arg) {
  printf("received : %.*s from %s:%d\n", (int)ev->len, ev->data,
         ev->rinfo->address, ev->rinfo->port);
  if (remaining > 0 && --remaining == 0) cnet_dgram_close(ev->target, NULL, NULL);
}

static void on_sent(void *client, const cnet_error *err, void *arg) {
  if (err) fprintf(stderr, "%s\n", err->message);
  if (remaining == 0) cnet_dgram_close(client, NULL, NULL);
}

static void on_listening(const cnet_event *ev, void *arg) {
  cnet_address a;
  cnet_dgram_address(ev->target, &a);
  printf("listening on %s:%d\n", a.address, a.port);
  if (!quiet && cnet_dgram_send(ev->target, message, strlen(message), server_port,
                                server_address, on_sent, NULL) < 0) {
    fprintf(stderr, "%s\n", cnet_last_error()->message);
    cnet_dgram_close(ev->target, NULL, NULL);
  }
}

static void on_error(const cnet_event *ev, void *arg) {
  fprintf(stderr, "udp_broadcast_client: %s\n", ev->error->message);
  cnet_dgram_close(ev->target, NULL, NULL);
}

int main(int argc, char **argv) {
  const char *address = "0.0.0.0";
  int port = 41235, opt;
  while ((opt = getopt(argc, argv, "b:p:n:m:q")) != -1) {
    switch (opt) {
      case 'b': address = optarg; break;
      case 'p': port = atoi(optarg); break;
      case 'n': remaining = atoi(optarg); break;
      case 'm': message = optarg; break;
      case 'q': quiet = true; break;
      default:
        fprintf(stderr, "usage: %s [-b address] [-p port] [-n count] [-m message] [-q] "
                        "[server-address [server-port]]\n", argv[0]);
        return 2;
    }
  }
  if (optind < argc) server_address = argv[optind++];
  if (optind < argc) server_port = atoi(argv[optind++]);
  setvbuf(stdout, NULL, _IOLBF, 0);
  cnet_loop *loop = cnet_default_loop();
  cnet_dgram *client = NULL;
  cnet_dgram_create(loop, "udp4", on_message, NULL, &client);
  cnet_on(client, CNET_EV_LISTENING, on_listening, NULL);
  cnet_on(client, CNET_EV_ERROR, on_error, NULL);
  cnet_dgram_bind(client, port, address, NULL, NULL);
  cnet_loop_run(loop, CNET_RUN_DEFAULT);
  return cnet_loop_close(loop) == 0 ? 0 : 1;
}
