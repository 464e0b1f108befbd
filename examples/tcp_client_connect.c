/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* A client made with net.connect(): sends a line, prints the answer, ends.
 *
 * Node original (seed 002, 8.2.1 "the net.Socket object"; run it against
 * tcp_server_hello):
 *
 *   var net = require('net');
 *   var client = net.connect({port: 8107, host:'localhost'}, function() {
 *     console.log('Client connected');
 *     client.write('Some data\r\n');
 *   });
 *   client.on('data', function(data) {
 *     console.log(data.toString());
 *     client.end();
 *   });
 *   client.on('end', function() {
 *     console.log('Client disconnected');
 *   });
 *
 * Run: build/bin/tcp_client_connect [port]   (default 8107) */
#include <cnet.h>
#include <stdio.h>
#include <stdlib.h>

static void on_connect(void *target, const cnet_error *err, void *arg) {
  (void)err;
  (void)arg;
  printf("Client connected\n");
  cnet_socket_write(target, "Some data\r\n", 11, NULL, NULL);
}

static void on_data(const cnet_event *ev, void *arg) {
  (void)arg;
  printf("%.*s\n", (int)ev->len, ev->data);
  cnet_socket_end(ev->target, NULL, 0, NULL, NULL);
}

static void on_end(const cnet_event *ev, void *arg) {
  (void)ev;
  (void)arg;
  printf("Client disconnected\n");
}

int main(int argc, char **argv) {
  int port = argc > 1 ? atoi(argv[1]) : 8107;
  setvbuf(stdout, NULL, _IOLBF, 0);
  cnet_loop *loop = cnet_default_loop();
  cnet_socket *client;
  cnet_connect_options o = {.port = port, .host = "localhost"};
  int r = cnet_connect(loop, &o, on_connect, NULL, &client);
  if (r != 0) {
    fprintf(stderr, "connect: %s\n", cnet_err_name(r));
    return 1;
  }
  cnet_on(client, CNET_EV_DATA, on_data, NULL);
  cnet_on(client, CNET_EV_END, on_end, NULL);
  cnet_loop_run(loop, CNET_RUN_DEFAULT);
  return cnet_loop_close(loop) == 0 ? 0 : 1;
}
