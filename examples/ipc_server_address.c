/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* An IPC server: server.listen(path) on a Unix domain socket, whose
 * address() is the path; every client is told goodbye and ended.
 *
 * Node original (seed 003, 2.2 "server.listen(path)" and 2.3: "for a
 * server listening on a pipe or Unix domain socket, the name is returned
 * as a string"; seed 003's address() server, on a path):
 *
 *   const net = require('net');
 *   const server = net.createServer((socket) => {
 *     socket.end('goodbye\n');
 *   }).on('error', (err) => {
 *     // handle errors here
 *     throw err;
 *   });
 *   server.listen('/tmp/echo.sock', () => {
 *     console.log('opened server', server.address());
 *   });
 *
 * Run: build/bin/ipc_server_address [path]   (default /tmp/echo.sock; as
 * in Node, the path must not exist yet: EADDRINUSE) */
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
    printf("opened server %s\n", a.address);
}

int main(int argc, char **argv) {
  const char *path = argc > 1 ? argv[1] : "/tmp/echo.sock";
  setvbuf(stdout, NULL, _IOLBF, 0);
  cnet_loop *loop = cnet_default_loop();
  cnet_server *server = NULL;
  cnet_create_server(loop, NULL, on_connection, NULL, &server);
  cnet_on(server, CNET_EV_ERROR, on_error, NULL);
  cnet_on(server, CNET_EV_LISTENING, on_listening, NULL);
  int r = cnet_server_listen_path(server, path);
  if (r != 0) {
    fprintf(stderr, "listen: %s\n", cnet_err_name(r));
    return 1;
  }
  cnet_loop_run(loop, CNET_RUN_DEFAULT);
  cnet_server_free(server);
  return cnet_loop_close(loop) == 0 ? 0 : 1;
}
