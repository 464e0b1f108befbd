/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* Three named client connections at once, each sending one request,
 * printing the answer, then ending.
 *
 * Node original (seed 002, 8.3.1 "a TCP socket client"; run it against
 * tcp_server_write_drain). The seed's typo this.remoteAdress prints
 * "undefined", and its writeData tests the inverse of write()'s result,
 * so it waits for a 'drain' after a write the kernel took at once (and
 * writes the message again if one comes): both are kept.
 *
 *   var net = require('net');
 *   function getConnection(connName) {
 *     var client = net.connect({port: 8017, host:'localhost'}, function() {
 *       console.log(connName + ' Connected: ');
 *       console.log('	local = %s:%s', this.localAddress, this.localPort);
 *       console.log('	remote = %s:%s', this.remoteAdress, this.remotePort);
 *       this.setTimeout(500);
 *       this.setEncoding('utf8');
 *       this.on('data', function(data) {
 *         console.log(connName + " From Server: " + data.toString());
 *         this.end();
 *       });
 *       this.on('end', function() {
 *         console.log(connName + ' Client disconnected');
 *       });
 *       this.on('error', function(err) {
 *         console.log('Socket Error: ', JSON.stringify(err));
 *       });
 *       this.on('timeout', function() {
 *         console.log('Socket Time Out');
 *       });
 *       this.on('close', function() {
 *         console.log('Socket Closed');
 *       });
 *     });
 *     return client;
 *   }
 *   function writeData(socket, data) {
 *     var success = !socket.write(data);
 *     if (!success) {
 *       (function(socket, data) {
 *         socket.once('drain', function() {
 *           writeData(socket, data);
 *         });
 *       })(socket, data);
 *     }
 *   }
 *   var Dwarves = getConnection("Dwarves");
 *   var Elves = getConnection("Elves");
 *   var Hobbits = getConnection("Hobbits");
 *   writeData(Dwarves, "More Axes");
 *   writeData(Elves, "More Arrows");
 *   writeData(Hobbits, "More Pipe Weed");
 *
 * Run: build/bin/tcp_client_three_connections [port]   (default 8017) */
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
  const char *name;
  cnet_socket *socket;
  struct pending *pending; /* its 'drain' listeners, freed at 'close' */
};

static struct conn conns[3];

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

static void on_data(const cnet_event *ev, void *arg) {
  struct conn *c = arg;
  printf("%s From Server: %.*s\n", c->name, (int)ev->len, ev->data);
  cnet_socket_end(c->socket, NULL, 0, NULL, NULL);
}

static void on_end(const cnet_event *ev, void *arg) {
  (void)ev;
  struct conn *c = arg;
  printf("%s Client disconnected\n", c->name);
}

static void on_error(const cnet_event *ev, void *arg) {
  (void)arg;
  /* console.log('Socket Error: ', json): two arguments, joined by a space. */
  print_error_json("Socket Error:  ", ev->error);
}

static void on_timeout(const cnet_event *ev, void *arg) {
  (void)ev;
  (void)arg;
  printf("Socket Time Out\n");
}

static void on_close(const cnet_event *ev, void *arg) {
  (void)ev;
  (void)arg;
  printf("Socket Closed\n");
}

static void on_connect(void *target, const cnet_error *err, void *arg) {
  (void)target;
  (void)err;
  struct conn *c = arg;
  cnet_address local, remote;
  printf("%s Connected: \n", c->name);
  if (cnet_socket_local_address(c->socket, &local) == 0)
    printf("\tlocal = %s:%d\n", local.address, local.port);
  else
    printf("\tlocal = undefined:undefined\n");
  if (cnet_socket_remote_address(c->socket, &remote) == 0)
    printf("\tremote = undefined:%d\n", remote.port);
  else
    printf("\tremote = undefined:undefined\n");
  cnet_socket_set_timeout(c->socket, 500, NULL, NULL);
  cnet_socket_set_encoding(c->socket, "utf8");
  cnet_on(c->socket, CNET_EV_DATA, on_data, c);
  cnet_on(c->socket, CNET_EV_END, on_end, c);
  cnet_on(c->socket, CNET_EV_ERROR, on_error, c);
  cnet_on(c->socket, CNET_EV_TIMEOUT, on_timeout, c);
  cnet_on(c->socket, CNET_EV_CLOSE, on_close, c);
}

/* Not in the Node program: the garbage collector's part. The socket is
 * freed after 'close', and with it the 'drain' listeners that never ran. */
static void free_pending(const cnet_event *ev, void *arg) {
  (void)ev;
  struct conn *c = arg;
  while (c->pending) {
    struct pending *p = c->pending;
    c->pending = p->next;
    free(p);
  }
  c->socket = NULL;
}

static struct conn *get_connection(cnet_loop *loop, int port, struct conn *c,
                                   const char *name) {
  c->name = name;
  cnet_connect_options o = {.port = port, .host = "localhost"};
  int r = cnet_connect(loop, &o, on_connect, c, &c->socket);
  if (r != 0) {
    fprintf(stderr, "connect: %s\n", cnet_err_name(r));
    exit(1);
  }
  cnet_on(c->socket, CNET_EV_CLOSE, free_pending, c);
  return c;
}

int main(int argc, char **argv) {
  int port = argc > 1 ? atoi(argv[1]) : 8017;
  setvbuf(stdout, NULL, _IOLBF, 0);
  cnet_loop *loop = cnet_default_loop();
  struct conn *dwarves = get_connection(loop, port, &conns[0], "Dwarves");
  struct conn *elves = get_connection(loop, port, &conns[1], "Elves");
  struct conn *hobbits = get_connection(loop, port, &conns[2], "Hobbits");
  write_data(dwarves, "More Axes", 9);
  write_data(elves, "More Arrows", 11);
  write_data(hobbits, "More Pipe Weed", 14);
  cnet_loop_run(loop, CNET_RUN_DEFAULT);
  return cnet_loop_close(loop) == 0 ? 0 : 1;
}
