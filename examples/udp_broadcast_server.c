/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* A UDP server that answers every datagram with a broadcast: the reply
 * goes to every host of the subnet listening on port 41235.
 *
 * Node original (seed 000, "创建一个UDP服务器并通过该服务器进行数据的广播"):
 *
 *   let dgram = require('dgram');
 *   let server = dgram.createSocket('udp4');
 *   server.on('message', function (msg) {
 *     let buf = new Buffer('已经接收客户端发送的数据' + msg);
 *     server.setBroadcast(true);
 *     server.send(buf, 0, buf.length, 41235, "192.168.1.255");
 *   });
 *   server.bind(41234, '192.168.1.100');
 *
 * Run: build/bin/udp_broadcast_server [bind-address [broadcast-address
 *        [port [reply-port]]]]   (0.0.0.0, 255.255.255.255, 41234, 41235)
 * e.g. udp_broadcast_server 192.168.1.100 192.168.1.255
 * and udp_broadcast_client on the other hosts. */
#include <cnet.h>
#include <stdio.h>
#include <stdlib.h>

static const char *broadcast_address = "255.255.255.255";
static int reply_port = 41235;

static void on_message(const cnet_event *ev, void *arg) {
  char buf[65536];
  int n = snprintf(buf, sizeof buf, "已经接收客户端发送的数据%.*s", (int)ev->len, ev->data);
  if (n < 0) return;
  if ((size_t)n >= sizeof buf) n = (int)sizeof buf - 1;
  cnet_dgram *server = ev->target;
  printf("%.*s from %s:%d\n", (int)ev->len, ev->data, ev->rinfo->address,
         ev->rinfo->port);
  if (cnet_dgram_set_broadcast(server, true) < 0 ||
      cnet_dgram_send(server, buf, (size_t)n, reply_port, broadcast_address,
                      NULL, NULL) < 0)
    fprintf(stderr, "%s\n", cnet_last_error()->message);
}

static void on_listening(const cnet_event *ev, void *arg) {
  cnet_address a;
  cnet_dgram_address(ev->target, &a);
  printf("listening on %s:%d\n", a.address, a.port);
}

static void on_error(const cnet_event *ev, void *arg) {
  fprintf(stderr, "udp_broadcast_server: %s\n", ev->error->message);
  cnet_dgram_close(ev->target, NULL, NULL);
}

int main(int argc, char **argv) {
  const char *address = argc > 1 ? argv[1] : "0.0.0.0";
  if (argc > 2) broadcast_address = argv[2];
  int port = argc > 3 ? atoi(argv[3]) : 41234;
  if (argc > 4) reply_port = atoi(argv[4]);
  setvbuf(stdout, NULL, _IOLBF, 0);
  cnet_loop *loop = cnet_default_loop();
  cnet_dgram *server = NULL;
  cnet_dgram_create(loop, "udp4", on_message, NULL, &server);
  cnet_on(server, CNET_EV_LISTENING, on_listening, NULL);
  cnet_on(server, CNET_EV_ERROR, on_error, NULL);
  cnet_dgram_bind(server, port, address, NULL, NULL);
  cnet_loop_run(loop, CNET_RUN_DEFAULT);
  return cnet_loop_close(loop) == 0 ? 0 : 1;
}
