/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* An echo server: every byte a client sends comes back to it.
 *
 *   const net = require('net');
 *   const server = net.createServer((socket) => {
 *     socket.on('data', (data) => socket.write(data));
 *   });
 *   server.listen(8124, '127.0.0.1', () => console.log('listening on 8124'));
 *
 * Run: build/bin/echo_server [port]   then: nc 127.0.0.1 8124 */
#include <cnet.h>
#include <stdio.h>
#include <stdlib.h>

static void on_data(const cnet_event *ev, void *arg) {
  (void)arg;
  cnet_socket_write(ev->target, ev->data, ev->len, NULL, NULL);
}

static void on_connection(const cnet_event *ev, void *arg) {
  (void)arg;
  cnet_on(ev->object, CNET_EV_DATA, on_data, NULL);
}

static void on_listening(const cnet_event *ev, void *arg) {
  cnet_address a;
  cnet_server_address(ev->target, &a);
  printf("listening on %s:%d\n", a.address, a.port);
  fflush(stdout);
  (void)arg;
}

int main(int argc, char **argv) {
  int port = argc > 1 ? atoi(argv[1]) : 8124;
  cnet_loop *loop = cnet_default_loop();
  cnet_server *server = NULL;
  cnet_create_server(loop, NULL, on_connection, NULL, &server);
  cnet_on(server, CNET_EV_LISTENING, on_listening, NULL);
  int r = cnet_server_listen(server, port, "127.0.0.1", 0);
  if (r != 0) {
    fprintf(stderr, "listen: %s\n", cnet_err_name(r));
    return 1;
  }
  cnet_loop_run(loop, CNET_RUN_DEFAULT);
  cnet_server_free(server);
  return cnet_loop_close(loop) == 0 ? 0 : 1;
}
