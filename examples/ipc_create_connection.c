/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* net.createConnection() to an IPC server: the same client over a Unix
 * domain socket (try it with ipc_server_address).
 *
 * Node original (seed 003, 4.1: "to connect to /tmp/echo.sock": the seed's
 * createConnection client with { path: '/tmp/echo.sock' }):
 *
 *   const net = require('net');
 *   const client = net.createConnection({ path: '/tmp/echo.sock' }, () => {
 *     // 'connect' listener
 *     console.log('connected to server');
 *     client.write('hello world!\r\n');
 *   });
 *   client.on('data', (data) => {
 *     console.log(data.toString());
 *     client.end();
 *   });
 *   client.on('end', () => {
 *     console.log('disconnected from server');
 *   });
 *
 * Run: build/bin/ipc_create_connection [path]   (default /tmp/echo.sock) */
#include <cnet.h>
#include <stdio.h>
#include <stdlib.h>

static void on_connect(void *target, const cnet_error *err, void *arg) {
  (void)err;
  (void)arg;
  printf("connected to server\n");
  cnet_socket_write(target, "hello world!\r\n", 14, NULL, NULL);
}

static void on_data(const cnet_event *ev, void *arg) {
  (void)arg;
  printf("%.*s\n", (int)ev->len, ev->data);
  cnet_socket_end(ev->target, NULL, 0, NULL, NULL);
}

static void on_end(const cnet_event *ev, void *arg) {
  (void)ev;
  (void)arg;
  printf("disconnected from server\n");
}

int main(int argc, char **argv) {
  cnet_connect_options o = {.path = argc > 1 ? argv[1] : "/tmp/echo.sock"};
  setvbuf(stdout, NULL, _IOLBF, 0);
  cnet_loop *loop = cnet_default_loop();
  cnet_socket *client;
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
