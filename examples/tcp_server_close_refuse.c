/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* close() to refuse new clients: once two clients are connected the
 * server stops accepting; each client that leaves unref()s the server, so
 * the process exits once the connections are gone ('close' comes first
 * if the server was closed).
 *
 * Node original (seed 004, "use the TCP server's close method to refuse
 * new client connections"; tcp_client_write_end is its client):
 *
 *   var net = require("net"),
 *       server = net.createServer();
 *   server.on("connection", function(socket){
 *       console.log("connection between client and server established!");
 *       socket.setEncoding("utf8");
 *       socket.on("data", function(data){
 *           console.log("received data from the client: "+data);
 *           socket.write("confirmed data: "+data);
 *       });
 *       socket.on("error", function(err){
 *           console.log("an error occurred while talking to the client, error code %s.", err.code);
 *           socket.destroy();
 *       });
 *       socket.on("end", function(){
 *           console.log("client connection closed.");
 *           server.unref();
 *       });
 *       socket.on("close", function(had_error){
 *           if(had_error){
 *               console.log("socket closed because of an error.");
 *               server.unref();
 *           }else{
 *               console.log("socket closed normally.");
 *           }
 *       });
 *       server.getConnections(function(err, counts){
 *           if (err) throw err;
 *           if (counts == 2){
 *               server.close();
 *           }
 *       });
 *   });
 *   server.listen(8181, "localhost");
 *   server.on("close", function(){
 *       console.log("TCP server closed.");
 *   });
 *
 * Run: build/bin/tcp_server_close_refuse [port]   (default 8181) */
#include <cnet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static cnet_server *server;

static void on_data(const cnet_event *ev, void *arg) {
  (void)arg;
  static const char prefix[] = "confirmed data: ";
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
  printf("an error occurred while talking to the client, error code %s.\n",
         cnet_err_name(ev->error->code));
  cnet_socket_destroy(ev->target, NULL);
}

static void on_end(const cnet_event *ev, void *arg) {
  (void)ev;
  (void)arg;
  printf("client connection closed.\n");
  cnet_server_unref(server);
}

static void on_close(const cnet_event *ev, void *arg) {
  (void)arg;
  if (ev->had_error) {
    printf("socket closed because of an error.\n");
    cnet_server_unref(server);
  } else {
    printf("socket closed normally.\n");
  }
}

static void on_count(void *srv, const cnet_error *err, void *arg) {
  int count = cnet_server_connection_count(srv);
  (void)arg;
  if (err) { /* Node: throw err */
    fprintf(stderr, "%s\n", err->message);
    exit(1);
  }
  if (count == 2) cnet_server_close(srv, NULL, NULL);
}

static void on_connection(const cnet_event *ev, void *arg) {
  (void)arg;
  cnet_socket *socket = ev->object;
  printf("connection between client and server established!\n");
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
  printf("TCP server closed.\n");
}

int main(int argc, char **argv) {
  int port = argc > 1 ? atoi(argv[1]) : 8181;
  setvbuf(stdout, NULL, _IOLBF, 0);
  cnet_loop *loop = cnet_default_loop();
  cnet_create_server(loop, NULL, NULL, NULL, &server);
  cnet_on(server, CNET_EV_CONNECTION, on_connection, NULL);
  int r = cnet_server_listen(server, port, "localhost", 0);
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
