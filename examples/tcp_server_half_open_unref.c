/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* allowHalfOpen and unref(): the server ends its side of a connection
 * itself when the client has ended, and unref()s so that the process
 * exits once no connection is left; with two clients connected it stops
 * accepting (close()), and 'close' follows when both have gone.
 *
 * Node original (seed 001, 1.3.4 "unref & ref"; seed 000 has the same
 * program on port 808):
 *
 *   const net = require("net");
 *   const server = net.createServer({ allowHalfOpen: true }, function (socket) {
 *     console.log("client has connected");
 *     socket.setEncoding("utf8");
 *     socket.on("data", function (data) {
 *       console.log("received data from the client: %s", data);
 *       socket.write("server confirms data: " + data);
 *     });
 *     socket.on("error", function (err) {
 *       console.log("error while talking to the client, error code %s", err.code);
 *       socket.destroy();
 *     });
 *     socket.on("end", function (err) {
 *       console.log("the client closed the connection");
 *       socket.end();
 *       server.unref();
 *     });
 *     socket.on("close", function (hasError) {
 *       if (hasError) {
 *         console.log("socket closed because of an error");
 *         server.unref();
 *       } else {
 *         console.log("socket closed normally");
 *       }
 *     });
 *     server.getConnections((err, count) => {
 *       if (count == 2) server.close();
 *     });
 *   });
 *   server.listen(8080, function () {});
 *   server.on("close", function () {
 *     console.log("server closed");
 *   });
 *
 * Run: build/bin/tcp_server_half_open_unref [port]   (default 8080) */
#include <cnet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static cnet_server *server;

static void on_data(const cnet_event *ev, void *arg) {
  (void)arg;
  static const char prefix[] = "server confirms data: ";
  printf("received data from the client: %.*s\n", (int)ev->len, ev->data);
  char *reply = malloc(sizeof prefix - 1 + ev->len);
  if (!reply) return;
  memcpy(reply, prefix, sizeof prefix - 1);
  memcpy(reply + sizeof prefix - 1, ev->data, ev->len);
  cnet_socket_write(ev->target, reply, sizeof prefix - 1 + ev->len, NULL, NULL);
  free(reply);
}

static void on_error(const cnet_event *ev, void *arg) {
  (void)arg;
  printf("error while talking to the client, error code %s\n",
         cnet_err_name(ev->error->code));
  cnet_socket_destroy(ev->target, NULL);
}

static void on_end(const cnet_event *ev, void *arg) {
  (void)arg;
  printf("the client closed the connection\n");
  cnet_socket_end(ev->target, NULL, 0, NULL, NULL);
  cnet_server_unref(server);
}

static void on_close(const cnet_event *ev, void *arg) {
  (void)arg;
  if (ev->had_error) {
    printf("socket closed because of an error\n");
    cnet_server_unref(server);
  } else {
    printf("socket closed normally\n");
  }
}

static void on_count(void *srv, const cnet_error *err, void *arg) {
  int count = cnet_server_connection_count(srv);
  (void)err;
  (void)arg;
  if (count == 2) cnet_server_close(srv, NULL, NULL);
}

static void on_connection(const cnet_event *ev, void *arg) {
  (void)arg;
  cnet_socket *socket = ev->object;
  printf("client has connected\n");
  cnet_socket_set_encoding(socket, "utf8");
  cnet_on(socket, CNET_EV_DATA, on_data, NULL);
  cnet_on(socket, CNET_EV_ERROR, on_error, NULL);
  cnet_on(socket, CNET_EV_END, on_end, NULL);
  cnet_on(socket, CNET_EV_CLOSE, on_close, NULL);
  cnet_server_get_connections(server, on_count, NULL);
}

static void on_server_close(const cnet_event *ev, void *arg) {
  (void)ev;
  (void)arg;
  printf("server closed\n");
}

int main(int argc, char **argv) {
  int port = argc > 1 ? atoi(argv[1]) : 8080;
  setvbuf(stdout, NULL, _IOLBF, 0);
  cnet_loop *loop = cnet_default_loop();
  cnet_server_options opts = {.allow_half_open = true};
  cnet_create_server(loop, &opts, on_connection, NULL, &server);
  int r = cnet_server_listen(server, port, NULL, 0);
  if (r != 0) {
    fprintf(stderr, "listen: %s\n", cnet_err_name(r));
    return 1;
  }
  cnet_on(server, CNET_EV_CLOSE, on_server_close, NULL);
  cnet_loop_run(loop, CNET_RUN_DEFAULT);
  /* The run ends with the server unref'd but maybe still listening: Node
   * exits there, without a 'close' event, so the listener goes first. */
  cnet_remove_all_listeners(server, -1);
  cnet_server_free(server);
  cnet_loop_run(loop, CNET_RUN_DEFAULT);
  return cnet_loop_close(loop) == 0 ? 0 : 1;
}
