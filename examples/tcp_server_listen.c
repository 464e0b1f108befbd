/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* The smallest TCP server: say when it listens and when a client comes.
 *
 * Node original (seed 001, 1.1.2 "Using a TCP server"; seed 000 has the
 * same program):
 *
 *   const net = require("net");
 *   const server = net.createServer(function (socket) {
 *     console.log("Client connected");
 *   });
 *   server.listen(8080, "localhost", function () {
 *     console.log("Server started listening");
 *   });
 *
 * Run: build/bin/tcp_server_listen [port]   (default 8080), then connect
 * with nc localhost 8080. */
#include <cnet.h>
#include <stdio.h>
#include <stdlib.h>

static void on_connection(const cnet_event *ev, void *arg) {
  (void)ev;
  (void)arg;
  printf("Client connected\n");
}

static void on_listening(const cnet_event *ev, void *arg) {
  (void)ev;
  (void)arg;
  printf("Server started listening\n");
}

int main(int argc, char **argv) {
  int port = argc > 1 ? atoi(argv[1]) : 8080;
  /* Line-buffered even into a pipe, as console.log writes line by line. */
  setvbuf(stdout, NULL, _IOLBF, 0);
  cnet_loop *loop = cnet_default_loop();
  cnet_server *server = NULL;
  cnet_create_server(loop, NULL, on_connection, NULL, &server);
  cnet_on(server, CNET_EV_LISTENING, on_listening, NULL);
  int r = cnet_server_listen(server, port, "localhost", 0);
  if (r != 0) {
    fprintf(stderr, "listen: %s\n", cnet_err_name(r));
    return 1;
  }
  cnet_loop_run(loop, CNET_RUN_DEFAULT);
  cnet_server_free(server);
  return cnet_loop_close(loop) == 0 ? 0 : 1;
}
