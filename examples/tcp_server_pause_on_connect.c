/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* pauseOnConnect: each accepted socket starts paused, so what a client
 * sends waits (in the kernel: the client is slowed by TCP flow control,
 * nothing is lost) until the server resumes the socket 10 s later, even
 * though a 'data' listener is added at once.
 *
 * Node original (seed 004, createServer's pauseOnConnect option; the seed
 * calls listen(8181) and prints "Connected on 8181!"):
 *
 *   var net = require("net");
 *   var server = net.createServer({
 *       pauseOnConnect: true
 *   }, function(socket){
 *       setTimeout(function(){
 *           socket.resume();
 *       }, 10000);
 *       socket.on("data", function(chunk){
 *           console.log("data : "+chunk);
 *       });
 *   });
 *   server.listen(8181, function(){
 *       console.log("Connected on 8181!");
 *   });
 *
 * Run: build/bin/tcp_server_pause_on_connect [port [delay-ms]]   (default
 * 8181 and 10000: the wait before resume(); tests shorten it). */
#include <cnet.h>
#include <stdio.h>
#include <stdlib.h>

static int port = 8181;
static unsigned delay_ms = 10000;

/* A connection and its resume() timer. */
struct conn {
  cnet_socket *socket;
  cnet_timer timer;
};

static void resume_later(cnet_timer *t, void *arg) {
  (void)t;
  struct conn *c = arg;
  cnet_socket_resume(c->socket);
}

static void on_data(const cnet_event *ev, void *arg) {
  (void)arg;
  printf("data : %.*s\n", (int)ev->len, ev->data);
}

/* Not in the Node program: there the timer would fire on a closed socket
 * and resume() it to no effect; here the socket is freed after 'close'. */
static void on_close(const cnet_event *ev, void *arg) {
  (void)ev;
  struct conn *c = arg;
  cnet_clear_timeout(&c->timer);
  free(c);
}

static void on_connection(const cnet_event *ev, void *arg) {
  cnet_loop *loop = arg;
  struct conn *c = malloc(sizeof *c);
  if (!c) {
    cnet_socket_destroy(ev->object, NULL);
    return;
  }
  c->socket = ev->object;
  cnet_timer_init(loop, &c->timer);
  cnet_set_timeout(&c->timer, resume_later, c, delay_ms);
  cnet_on(c->socket, CNET_EV_DATA, on_data, NULL);
  cnet_on(c->socket, CNET_EV_CLOSE, on_close, c);
}

static void on_listening(const cnet_event *ev, void *arg) {
  (void)ev;
  (void)arg;
  printf("Connected on %d!\n", port);
}

int main(int argc, char **argv) {
  if (argc > 1) port = atoi(argv[1]);
  if (argc > 2) delay_ms = (unsigned)atoi(argv[2]);
  setvbuf(stdout, NULL, _IOLBF, 0);
  cnet_loop *loop = cnet_default_loop();
  cnet_server_options opts = {.pause_on_connect = true};
  cnet_server *server = NULL;
  cnet_create_server(loop, &opts, on_connection, loop, &server);
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
