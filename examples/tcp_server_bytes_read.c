/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* setEncoding('utf8') and bytesRead: every chunk a client sends is printed
 * as text with the running count of bytes received on that connection.
 *
 * Node original (seed 001, 1.2.2 "Reading data"; seed 000 has the same
 * program; the seed shows no listen(), this one listens on the chapter's
 * port on all interfaces):
 *
 *   const net = require("net");
 *   const server = net.createServer(function (socket) {
 *     socket.setEncoding("utf8");
 *     socket.on("data", function (data) {
 *       console.log("received this time: %s, bytes received so far: %d",
 *                   data, socket.bytesRead);
 *     });
 *   });
 *   server.listen(8080);
 *
 * Run: build/bin/tcp_server_bytes_read [port]   (default 8080) */
#include <cnet.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

static void on_data(const cnet_event *ev, void *arg) {
  (void)arg;
  printf("received this time: %.*s, bytes received so far: %" PRIu64 "\n",
         (int)ev->len, ev->data, cnet_socket_bytes_read(ev->target));
}

static void on_connection(const cnet_event *ev, void *arg) {
  (void)arg;
  cnet_socket_set_encoding(ev->object, "utf8");
  cnet_on(ev->object, CNET_EV_DATA, on_data, NULL);
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
