/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* pause(), then resume() and pipe() 10 s later: what the client sends
 * meanwhile waits in the kernel (cnet reads nothing while paused; the
 * client is slowed by TCP flow control once the buffers are full), then
 * lands in the file, followed by the rest. The client's end ends the file.
 *
 * Node original (seed 000 / 003, "pause & resume"):
 *
 *   const net = require("net");
 *   const path = require("path");
 *   const file = require("fs").createWriteStream(path.join(__dirname, "msg.txt"));
 *   const server = net.createServer(function (socket) {
 *     socket.pause();
 *     setTimeout(function () {
 *       socket.resume();
 *       socket.pipe(file);
 *     }, 10 * 1000);
 *   });
 *   server.listen(8080);
 *
 * Not in the Node program: the timer is cleared if the socket closes
 * before it fires (the socket is freed after 'close').
 *
 * Run: build/bin/stream_pause_then_pipe [port [delay-ms [file]]]
 * (default 8080, 10000 and msg.txt) */
#include <cnet.h>
#include <stdio.h>
#include <stdlib.h>

static cnet_fs_write_stream *file;
static unsigned delay_ms = 10 * 1000;

struct conn {
  cnet_socket *socket;
  cnet_timer timer;
};

static void later(cnet_timer *t, void *arg) {
  (void)t;
  struct conn *c = arg;
  cnet_socket_resume(c->socket);
  cnet_pipe(c->socket, file, NULL);
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
  cnet_socket_pause(c->socket);
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
