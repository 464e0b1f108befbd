/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* server.address(): listen on a free port and print the address object;
 * every client is told goodbye and ended.
 *
 * Node original (seed 003, 2.3 "server.address()"):
 *
 *   const net = require('net');
 *   const server = net.createServer((socket) => {
 *     socket.end('goodbye\n');
 *   }).on('error', (err) => {
 *     // handle errors here
 *     throw err;
 *   });
 *   // grab an arbitrary unused port.
 *   server.listen(() => {
 *     console.log('opened server', server.address());
 *   });
 *
 * Run: build/bin/tcp_server_address [port]   (default 0: a free port) */
#include <cnet.h>
#include <stdio.h>
#include <stdlib.h>

static void on_connection(const cnet_event *ev, void *arg) {
  (void)arg;
  cnet_socket_end(ev->object, "goodbye\n", 8, NULL, NULL);
}

static void on_error(const cnet_event *ev, void *arg) {
  (void)arg;
  /* throw err: uncaught, it ends the process. */
  fprintf(stderr, "Error: %s\n", ev->error->message);
  exit(1);
}

static void on_listening(const cnet_event *ev, void *arg) {
  (void)arg;
  cnet_address a;
  if (cnet_server_address(ev->target, &a) == 0)
    printf("opened server { address: '%s', family: '%s', port: %d }\n",
           a.address, a.family, a.port);
}

int main(int argc, char **argv) {
  int port = argc > 1 ? atoi(argv[1]) : 0;
  setvbuf(stdout, NULL, _IOLBF, 0);
  cnet_loop *loop = cnet_default_loop();
  cnet_server *server = NULL;
  cnet_create_server(loop, NULL, on_connection, NULL, &server);
  cnet_on(server, CNET_EV_ERROR, on_error, NULL);
  cnet_on(server, CNET_EV_LISTENING, on_listening, NULL);
  int r = cnet_server_listen(server, port, NULL, 0);
  if (r != 0) {
    fprintf(stderr, "listen: %s\n", cnet_err_name(r));
    return 1;
  }
  cnet_loop_run(loop, CNET_RUN_DEFAULT);
  cnet_server_free(server);
  return cnet_loop_close(loop) == 0 ? 0 : 1;
}
