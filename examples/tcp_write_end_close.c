/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* write, end, error, destroy and close on both sides of one connection: a
 * server and its client in one process. The client says hello, and after
 * a while ends with "byebye"; the server echoes each message with a
 * prefix and destroys its socket when the client has ended.
 *
 * Node original (seed 000, "write/end/error/destroy/close"; seed 001,
 * 1.3.2 has the same program with the typo socket.destory(), which
 * throws; this is seed 000's, on seed 001's port 8080 since seed 000's 808
 * needs root):
 *
 *   let net = require('net');
 *   let server = net.createServer(function (socket) {
 *     console.log("client has connected");
 *     socket.setEncoding('utf8');
 *     socket.on('data', function (data) {
 *       console.log("received data from the client:" + data);
 *       socket.write('server:' + data);
 *     })
 *     socket.on('error', function (err) {
 *       console.log('error while talking to the client, error code ' + err.code);
 *       socket.destroy();
 *     });
 *     socket.on('end', function (err) {
 *       console.log('the client closed the connection');
 *       socket.destroy();
 *     });
 *     socket.on('close', function (hasError) {
 *       console.log(hasError ? 'closed abnormally' : 'closed normally');
 *     });
 *   });
 *   server.listen(8080, function () {
 *     let client = new net.Socket();
 *     client.setEncoding('utf8');
 *     client.connect(8080, '127.0.0.1', function () {
 *       console.log('client connected');
 *       client.write('hello');
 *       setTimeout(function () {
 *         client.end('byebye');
 *       }, 5000);
 *     });
 *     client.on('data', function (data) {
 *       console.log('received data from the server:' + data);
 *     });
 *     client.on('error', function (err) {
 *       console.log('error while talking to the server, error code ' + err.code);
 *       client.destroy();
 *     });
 *   });
 *
 * Run: build/bin/tcp_write_end_close [port [delay-ms]]   (default 8080 and
 * 5000: the delay before the client's end(); tests shorten it). */
#include <cnet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int port = 8080;
static unsigned delay_ms = 5000;
static cnet_socket *client;
static cnet_timer end_timer;

/* ---- the server's side ---- */

static void s_data(const cnet_event *ev, void *arg) {
  (void)arg;
  printf("received data from the client:%.*s\n", (int)ev->len, ev->data);
  /* 'server:' + data, written as one chunk. */
  char *reply = malloc(7 + ev->len);
  if (!reply) return;
  memcpy(reply, "server:", 7);
  memcpy(reply + 7, ev->data, ev->len);
  cnet_socket_write(ev->target, reply, 7 + ev->len, NULL, NULL);
  free(reply);
}

static void s_error(const cnet_event *ev, void *arg) {
  (void)arg;
  printf("error while talking to the client, error code %s\n",
         cnet_err_name(ev->error->code));
  cnet_socket_destroy(ev->target, NULL);
}

static void s_end(const cnet_event *ev, void *arg) {
  (void)arg;
  printf("the client closed the connection\n");
  cnet_socket_destroy(ev->target, NULL);
}

static void s_close(const cnet_event *ev, void *arg) {
  (void)arg;
  printf("%s\n", ev->had_error ? "closed abnormally" : "closed normally");
}

static void on_connection(const cnet_event *ev, void *arg) {
  (void)arg;
  cnet_socket *socket = ev->object;
  printf("client has connected\n");
  cnet_socket_set_encoding(socket, "utf8");
  cnet_on(socket, CNET_EV_DATA, s_data, NULL);
  cnet_on(socket, CNET_EV_ERROR, s_error, NULL);
  cnet_on(socket, CNET_EV_END, s_end, NULL);
  cnet_on(socket, CNET_EV_CLOSE, s_close, NULL);
}

/* ---- the client's side ---- */

static void end_later(cnet_timer *t, void *arg) {
  (void)t;
  (void)arg;
  /* In Node the timer fires even if the socket has closed meanwhile, and
   * end() on a destroyed socket does nothing. cnet frees a socket after
   * its 'close', so the pointer is forgotten there. */
  if (client) cnet_socket_end(client, "byebye", 6, NULL, NULL);
}

static void c_connect(void *target, const cnet_error *err, void *arg) {
  (void)target;
  (void)err;
  (void)arg;
  printf("client connected\n");
  cnet_socket_write(client, "hello", 5, NULL, NULL);
  cnet_set_timeout(&end_timer, end_later, NULL, delay_ms);
}

static void c_data(const cnet_event *ev, void *arg) {
  (void)arg;
  printf("received data from the server:%.*s\n", (int)ev->len, ev->data);
}

static void c_error(const cnet_event *ev, void *arg) {
  (void)arg;
  printf("error while talking to the server, error code %s\n",
         cnet_err_name(ev->error->code));
  cnet_socket_destroy(client, NULL);
}

static void c_close(const cnet_event *ev, void *arg) {
  (void)ev;
  (void)arg;
  client = NULL;
}

static void on_listening(const cnet_event *ev, void *arg) {
  (void)ev;
  cnet_loop *loop = arg;
  if (cnet_socket_new(loop, NULL, &client) < 0) return;
  cnet_socket_set_encoding(client, "utf8");
  cnet_connect_options o = {.port = port, .host = "127.0.0.1"};
  cnet_socket_connect(client, &o, c_connect, NULL);
  cnet_on(client, CNET_EV_DATA, c_data, NULL);
  cnet_on(client, CNET_EV_ERROR, c_error, NULL);
  cnet_on(client, CNET_EV_CLOSE, c_close, NULL);
}

int main(int argc, char **argv) {
  if (argc > 1) port = atoi(argv[1]);
  if (argc > 2) delay_ms = (unsigned)atoi(argv[2]);
  setvbuf(stdout, NULL, _IOLBF, 0);
  cnet_loop *loop = cnet_default_loop();
  cnet_timer_init(loop, &end_timer);
  cnet_server *server = NULL;
  cnet_create_server(loop, NULL, on_connection, NULL, &server);
  cnet_on(server, CNET_EV_LISTENING, on_listening, loop);
  int r = cnet_server_listen(server, port, NULL, 0);
  if (r != 0) {
    fprintf(stderr, "listen: %s\n", cnet_err_name(r));
    return 1;
  }
  cnet_loop_run(loop, CNET_RUN_DEFAULT);
  cnet_server_free(server);
  return cnet_loop_close(loop) == 0 ? 0 : 1;
}
