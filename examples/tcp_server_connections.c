/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* getConnections(), maxConnections and socket.address(): the first client
 * is counted and shown; once maxConnections is 1, later clients are dropped
 * while it stays connected.
 *
 * Node original (seed 001, 1.2.1 "address"; seed 000 has the same
 * program; the seed shows no listen(), this one listens on the chapter's
 * port on all interfaces):
 *
 *   const net = require("net");
 *   const util = require("util");
 *   const server = net.createServer(function (socket) {
 *     server.getConnections((err, count) => {
 *       server.maxConnections = 1;
 *       console.log("max connections %d, current connections %d",
 *                   server.maxConnections, count);
 *     });
 *     const address = socket.address();
 *     console.log("client address %s", util.inspect(address));
 *   });
 *   server.listen(8080);
 *
 * Run: build/bin/tcp_server_connections [port]   (default 8080) */
#include <cnet.h>
#include <stdio.h>
#include <stdlib.h>

static void on_count(void *server, const cnet_error *err, void *arg) {
  int count = cnet_server_connection_count(server);
  (void)err;
  (void)arg;
  cnet_server_set_max_connections(server, 1);
  printf("max connections %d, current connections %d\n",
         cnet_server_max_connections(server), count);
}

static void on_connection(const cnet_event *ev, void *arg) {
  cnet_server *server = arg;
  cnet_server_get_connections(server, on_count, NULL);
  /* util.inspect() of the address() object, as Node prints it. */
  cnet_address a;
  if (cnet_socket_local_address(ev->object, &a) == 0)
    printf("client address { address: '%s', family: '%s', port: %d }\n",
           a.address, a.family, a.port);
  else
    printf("client address {}\n");
}

int main(int argc, char **argv) {
  int port = argc > 1 ? atoi(argv[1]) : 8080;
  setvbuf(stdout, NULL, _IOLBF, 0);
  cnet_loop *loop = cnet_default_loop();
  cnet_server *server = NULL;
  cnet_create_server(loop, NULL, NULL, NULL, &server);
  cnet_on(server, CNET_EV_CONNECTION, on_connection, server);
  int r = cnet_server_listen(server, port, NULL, 0);
  if (r != 0) {
    fprintf(stderr, "listen: %s\n", cnet_err_name(r));
    return 1;
  }
  cnet_loop_run(loop, CNET_RUN_DEFAULT);
  cnet_server_free(server);
  return cnet_loop_close(loop) == 0 ? 0 : 1;
}
