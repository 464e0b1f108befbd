/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* A server that answers every message through writeData (write, and
 * write again on 'drain'), printing bytesRead and bytesWritten, with an
 * idle timeout per connection, and counts the connections left whenever
 * a client leaves.
 *
 * Node original (seed 002, 8.3.2 "a TCP socket server";
 * tcp_client_three_connections is its client). The seed's typo
 * client.remoteAdress prints "undefined", and its writeData tests the
 * inverse of write()'s result, so it waits for a 'drain' after a write the
 * kernel took at once (and writes the message again if one comes): both
 * are kept.
 *
 *   var net = require('net');
 *   var server = net.createServer(function (client) {
 *     console.log('Client connection: ');
 *     console.log('	local = %s:%s', client.localAddress, client.localPort);
 *     console.log('	remote = %s:%s', client.remoteAdress, client.remotePort);
 *     client.setTimeout(500);
 *     client.setEncoding('utf8');
 *     client.on('data', function (data) {
 *       console.log('Received data from client on port %d: %s',
 *                   client.remotePort, data.toString());
 *       console.log(' Bytes received: ' + client.bytesRead);
 *       writeData(client, 'Sending: ' + data.toString());
 *       console.log(' Bytes sent: ' + client.bytesWritten);
 *     });
 *     client.on('end', function () {
 *       console.log('Client disconnected');
 *       server.getConnections(function (err, count) {
 *         console.log('Remaining Connections: ' + count);
 *       });
 *     });
 *     client.on('timeout', function () {
 *       console.log('Socket Timed out');
 *     });
 *   });
 *   server.listen(8017, function () {
 *     console.log('Server listening: ' + JSON.stringify(server.address()));
 *     server.on('close', function () {
 *       console.log('Server Terminated');
 *     });
 *     server.on('error', function (err) {
 *       console.log('Server Error: ', JSON.stringify(err));
 *     });
 *   });
 *   function writeData(socket, data) {
 *     var success = !socket.write(data);
 *     if (!success) {
 *       (function (socket, data) {
 *         socket.once('drain', function () {
 *           writeData(socket, data);
 *         });
 *       })(socket, data);
 *     }
 *   }
 *
 * Run: build/bin/tcp_server_write_drain [port]   (default 8017) */
#include <cnet.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A message that writeData will write again on 'drain'. */
struct pending {
  struct pending *next;
  struct conn *conn;
  size_t len;
  char data[];
};

struct conn {
  cnet_socket *socket;
  struct pending *pending; /* its 'drain' listeners, freed at 'close' */
};

static cnet_server *server;

/* JSON.stringify(err) of a Node error: errno, code, syscall, address and
 * port as far as the error has them (Node's own ERR_* codes: code only). */
static void print_error_json(const char *prefix, const cnet_error *e) {
  printf("%s{", prefix);
  if (cnet_is_node_error(e->code)) {
    printf("\"code\":\"%s\"}\n", cnet_err_name(e->code));
    return;
  }
  printf("\"errno\":%d,\"code\":\"%s\"", e->code, cnet_err_name(e->code));
  if (e->syscall) printf(",\"syscall\":\"%s\"", e->syscall);
  if (e->address[0]) printf(",\"address\":\"%s\"", e->address);
  if (e->port > 0) printf(",\"port\":%d", e->port);
  printf("}\n");
}

static void write_data(struct conn *c, const char *data, size_t len);

static void on_drain_write(const cnet_event *ev, void *arg) {
  (void)ev;
  struct pending *p = arg;
  struct pending **pp = &p->conn->pending;
  while (*pp != p) pp = &(*pp)->next;
  *pp = p->next;
  write_data(p->conn, p->data, p->len);
  free(p);
}

/* The seed's writeData, its inverted test included. */
static void write_data(struct conn *c, const char *data, size_t len) {
  bool success = !cnet_socket_write(c->socket, data, len, NULL, NULL);
  if (!success) {
    struct pending *p = malloc(sizeof *p + len);
    if (!p) return;
    p->conn = c;
    p->len = len;
    memcpy(p->data, data, len);
    p->next = c->pending;
    c->pending = p;
    cnet_once(c->socket, CNET_EV_DRAIN, on_drain_write, p);
  }
}

static int remote_port(cnet_socket *socket) {
  cnet_address a;
  return cnet_socket_remote_address(socket, &a) == 0 ? a.port : 0;
}

static void on_data(const cnet_event *ev, void *arg) {
  struct conn *c = arg;
  printf("Received data from client on port %d: %.*s\n",
         remote_port(c->socket), (int)ev->len, ev->data);
  printf(" Bytes received: %" PRIu64 "\n", cnet_socket_bytes_read(c->socket));
  static const char prefix[] = "Sending: ";
  char *reply = malloc(sizeof prefix - 1 + ev->len);
  if (reply) {
    memcpy(reply, prefix, sizeof prefix - 1);
    memcpy(reply + sizeof prefix - 1, ev->data, ev->len);
    write_data(c, reply, sizeof prefix - 1 + ev->len);
    free(reply);
  }
  printf(" Bytes sent: %" PRIu64 "\n", cnet_socket_bytes_written(c->socket));
}

static void on_count(void *srv, const cnet_error *err, void *arg) {
  int count = cnet_server_connection_count(srv);
  (void)err;
  (void)arg;
  printf("Remaining Connections: %d\n", count);
}

static void on_end(const cnet_event *ev, void *arg) {
  (void)ev;
  (void)arg;
  printf("Client disconnected\n");
  cnet_server_get_connections(server, on_count, NULL);
}

static void on_timeout(const cnet_event *ev, void *arg) {
  (void)ev;
  (void)arg;
  printf("Socket Timed out\n");
}

/* Not in the Node program: the garbage collector's part. */
static void free_conn(const cnet_event *ev, void *arg) {
  (void)ev;
  struct conn *c = arg;
  while (c->pending) {
    struct pending *p = c->pending;
    c->pending = p->next;
    free(p);
  }
  free(c);
}

static void on_connection(const cnet_event *ev, void *arg) {
  (void)arg;
  struct conn *c = calloc(1, sizeof *c);
  if (!c) {
    cnet_socket_destroy(ev->object, NULL);
    return;
  }
  c->socket = ev->object;
  cnet_address local;
  printf("Client connection: \n");
  if (cnet_socket_local_address(c->socket, &local) == 0)
    printf("\tlocal = %s:%d\n", local.address, local.port);
  else
    printf("\tlocal = undefined:undefined\n");
  printf("\tremote = undefined:%d\n", remote_port(c->socket));
  cnet_socket_set_timeout(c->socket, 500, NULL, NULL);
  cnet_socket_set_encoding(c->socket, "utf8");
  cnet_on(c->socket, CNET_EV_DATA, on_data, c);
  cnet_on(c->socket, CNET_EV_END, on_end, c);
  cnet_on(c->socket, CNET_EV_TIMEOUT, on_timeout, c);
  cnet_on(c->socket, CNET_EV_CLOSE, free_conn, c);
}

static void on_close(const cnet_event *ev, void *arg) {
  (void)ev;
  (void)arg;
  printf("Server Terminated\n");
}

static void on_error(const cnet_event *ev, void *arg) {
  (void)arg;
  print_error_json("Server Error:  ", ev->error);
}

static void on_listening(const cnet_event *ev, void *arg) {
  (void)arg;
  cnet_address a;
  if (cnet_server_address(ev->target, &a) == 0)
    printf("Server listening: {\"address\":\"%s\",\"family\":\"%s\",\"port\":%d}\n",
           a.address, a.family, a.port);
  cnet_on(server, CNET_EV_CLOSE, on_close, NULL);
  cnet_on(server, CNET_EV_ERROR, on_error, NULL);
}

int main(int argc, char **argv) {
  int port = argc > 1 ? atoi(argv[1]) : 8017;
  setvbuf(stdout, NULL, _IOLBF, 0);
  cnet_loop *loop = cnet_default_loop();
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
