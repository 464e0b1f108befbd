/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* unpipe() after a delay: the socket is piped into the file with
 * {end: false}; 5 s later the file is ended with "bye bye" and the socket
 * unpiped. unpipe() pauses the socket: what the client sends afterwards
 * stays in the kernel (the client is slowed by TCP flow control).
 *
 * Node original (seed 000 / 003, "unpipe"):
 *
 *   const net = require("net");
 *   const path = require("path");
 *   const file = require("fs").createWriteStream(path.join(__dirname, "msg.txt"));
 *   const server = net.createServer(function (socket) {
 *     socket.pipe(file, {
 *       end: false,
 *     });
 *     setTimeout(function () {
 *       file.end("bye bye");
 *       socket.unpipe(file);
 *     }, 5000);
 *   });
 *   server.listen(8080);
 *
 * Not in the Node program: the timer is cleared if the socket closes
 * first (here the socket is freed after 'close'; in Node the timer would
 * still end the file). As in Node, a second client's timer ends the file
 * again (an error that nobody listens to).
 *
 * Run: build/bin/stream_unpipe_later [port [delay-ms [file]]]   (default
 * 8080, 5000 and msg.txt) */
#include <cnet.h>
#include <stdio.h>
#include <stdlib.h>

static cnet_fs_write_stream *file;
static unsigned delay_ms = 5000;

struct conn {
  cnet_socket *socket;
  cnet_timer timer;
};

static void later(cnet_timer *t, void *arg) {
  (void)t;
  struct conn *c = arg;
  cnet_stream_end(file, "bye bye", 7, NULL, NULL);
  cnet_unpipe(c->socket, file);
}

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
  cnet_pipe(c->socket, file, &(cnet_pipe_options){.end = false});
  cnet_timer_init(loop, &c->timer);
  cnet_set_timeout(&c->timer, later, c, delay_ms);
  cnet_on(c->socket, CNET_EV_CLOSE, on_close, c);
}

int main(int argc, char **argv) {
  int port = argc > 1 ? atoi(argv[1]) : 8080;
  if (argc > 2) delay_ms = (unsigned)atoi(argv[2]);
  const char *path = argc > 3 ? argv[3] : "msg.txt";
  setvbuf(stdout, NULL, _IOLBF, 0);
  cnet_loop *loop = cnet_default_loop();
  int err = cnet_fs_create_write_stream(loop, path, NULL, &file);
  if (err < 0) {
    fprintf(stderr, "createWriteStream: %s\n", cnet_err_name(err));
    return 1;
  }
  cnet_server *server = NULL;
  cnet_create_server(loop, NULL, on_connection, loop, &server);
  int r = cnet_server_listen(server, port, NULL, 0);
  if (r != 0) {
    fprintf(stderr, "listen: %s\n", cnet_err_name(r));
    return 1;
  }
  cnet_loop_run(loop, CNET_RUN_DEFAULT);
  cnet_server_free(server);
  return cnet_loop_close(loop) == 0 ? 0 : 1;
}
