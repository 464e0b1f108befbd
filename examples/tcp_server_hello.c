/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* A server that greets each client with "Hello" and prints what it sends.
 *
 * Node original (seed 002, 8.2.2 "the net.Server object"):
 *
 *   var net = require('net');
 *   var server = net.createServer(function(client) {
 *     console.log('Client connected');
 *     client.on('data', function(data) {
 *       console.log('Client sent ' + data.toString());
 *     });
 *     client.on('end', function() {
 *       console.log('Client disconnected');
 *     });
 *     client.write('Hello');
 *   });
 *   server.listen(8107, function() {
 *     console.log('Server listening for connections');
 *   });
 *
 * Run: build/bin/tcp_server_hello [port]   (default 8107) */
#include <cnet.h>
#include <stdio.h>
#include <stdlib.h>

static void on_data(const cnet_event *ev, void *arg) {
  (void)arg;
  printf("Client sent %.*s\n", (int)ev->len, ev->data);
}

static void on_end(const cnet_event *ev, void *arg) {
  (void)ev;
  (void)arg;
  printf("Client disconnected\n");
}

static void on_connection(const cnet_event *ev, void *arg) {
  (void)arg;
  cnet_socket *client = ev->object;
  printf("Client connected\n");
  cnet_on(client, CNET_EV_DATA, on_data, NULL);
  cnet_on(client, CNET_EV_END, on_end, NULL);
  cnet_socket_write(client, "Hello", 5, NULL, NULL);
}

static void on_listening(const cnet_event *ev, void *arg) {
  (void)ev;
  (void)arg;
  printf("Server listening for connections\n");
}

int main(int argc, char **argv) {
  int port = argc > 1 ? atoi(argv[1]) : 8107;
  setvbuf(stdout, NULL, _IOLBF, 0);
  cnet_loop *loop = cnet_default_loop();
  cnet_server *server = NULL;
  cnet_create_server(loop, NULL, on_connection, NULL, &server);
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
