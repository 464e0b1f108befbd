/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* The 'end' event: the client ended its side (sent FIN).
 *
 * As in Node, the socket here has no 'data' listener, so it never flows:
 * 'end' comes for a client that ends without sending anything, while one
 * that sent data first leaves it unread and sees no 'end' (the server,
 * not reading, does not end its side either).
 *
 * Node original (seed 001, 1.2.3 "Listening for the close"; seed 000 has
 * the same program; the seed shows no listen(), this one listens on the
 * chapter's port on all interfaces):
 *
 *   const net = require("net");
 *   const server = net.createServer(function (socket) {
 *     socket.on("end", function () {
 *       console.log("client closed");
 *     });
 *   });
 *   server.listen(8080);
 *
 * Run: build/bin/tcp_server_end [port]   (default 8080) */
#include <cnet.h>
#include <stdio.h>
#include <stdlib.h>

static void on_end(const cnet_event *ev, void *arg) {
  (void)ev;
  (void)arg;
  printf("client closed\n");
}

static void on_connection(const cnet_event *ev, void *arg) {
  (void)arg;
  cnet_on(ev->object, CNET_EV_END, on_end, NULL);
}

int main(int argc, char **argv) {
  int port = argc > 1 ? atoi(argv[1]) : 8080;
  setvbuf(stdout, NULL, _IOLBF, 0);
  cnet_loop *loop = cnet_default_loop();
  cnet_server *server = NULL;
  cnet_create_server(loop, NULL, on_connection, NULL, &server);
  int r = cnet_server_listen(server, port, NULL, 0);
  if (r != 0) {
    fprintf(stderr, "listen: %s\n", cnet_err_name(r));
    return 1;
  }
  cnet_loop_run(loop, CNET_RUN_DEFAULT);
  cnet_server_free(server);
  return cnet_loop_close(loop) == 0 ? 0 : 1;
}
