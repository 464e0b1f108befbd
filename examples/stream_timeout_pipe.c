/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* setTimeout() and pause(); on 'timeout', pipe() into the file (pipe
 * resumes the socket): what the client sent before waits in the kernel
 * and lands in the file first. The client's end ends the file.
 *
 * Node original (seed 000 / 003, "setTimeout"):
 *
 *   let net = require('net');
 *   let path = require('path');
 *   let ws = require('fs').createWriteStream(path.resolve(__dirname, 'msg.txt'));
 *   let server = net.createServer(function (socket) {
 *     socket.setTimeout(5 * 1000);
 *     socket.pause();
 *     socket.on('timeout', function () {
 *       socket.pipe(ws);
 *     });
 *   });
 *   server.listen(8080);
 *
 * As in Node, the timeout stays armed: a connection that goes idle again
 * for 5 s is piped a second time (its data would then be written twice);
 * the seed relies on the client ending first.
 *
 * Run: build/bin/stream_timeout_pipe [port [timeout-ms [file]]]   (default
 * 8080, 5000 and msg.txt) */
#include <cnet.h>
#include <stdio.h>
#include <stdlib.h>

static cnet_fs_write_stream *ws;
static unsigned timeout_ms = 5 * 1000;

static void on_timeout(const cnet_event *ev, void *arg) {
  (void)arg;
  cnet_pipe(ev->target, ws, NULL);
}

static void on_connection(const cnet_event *ev, void *arg) {
  (void)arg;
  cnet_socket *socket = ev->object;
  cnet_socket_set_timeout(socket, timeout_ms, NULL, NULL);
  cnet_socket_pause(socket);
  cnet_on(socket, CNET_EV_TIMEOUT, on_timeout, NULL);
}

int main(int argc, char **argv) {
  int port = argc > 1 ? atoi(argv[1]) : 8080;
  if (argc > 2) timeout_ms = (unsigned)atoi(argv[2]);
  const char *path = argc > 3 ? argv[3] : "msg.txt";
  setvbuf(stdout, NULL, _IOLBF, 0);
  cnet_loop *loop = cnet_default_loop();
  int err = cnet_fs_create_write_stream(loop, path, NULL, &ws);
  if (err < 0) {
    fprintf(stderr, "createWriteStream: %s\n", cnet_err_name(err));
    return 1;
  }
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
