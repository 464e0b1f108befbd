/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* socket.pipe(file): every byte a client sends lands in the file; the
 * client's end ends the file (pipe's default {end: true}).
 *
 * Node original (seed 001, "socket.pipe(destination[, options])"):
 *
 *   var net = require("net");
 *   var file = new require("fs").WriteStream("../bk.note");
 *   var server = net.createServer(function(socket){
 *       console.log("连接成功!");
 *       socket.pipe(file);
 *   });
 *   server.listen({
 *       host: "localhost",
 *       port: 8181
 *   }, function(){
 *       var address = server.address();
 *       console.log("服务器正在监听 "+address.address+":"+address.port+"......");
 *   });
 *
 * As in Node, the file is shared: once the first client has ended, the
 * file is ended too, and what a second client sends is a write after end
 * (an 'error' on the file, which Node does not handle either: its process
 * dies; here the unhandled error is printed and the file destroyed).
 *
 * Run: build/bin/stream_pipe_to_file [port [file]]   (default 8181 and
 * ../bk.note) */
#include <cnet.h>
#include <stdio.h>
#include <stdlib.h>

static cnet_server *server;
static cnet_fs_write_stream *file;

static void on_connection(const cnet_event *ev, void *arg) {
  (void)arg;
  printf("连接成功!\n");
  cnet_pipe(ev->object, file, NULL);
}

static void on_listening(const cnet_event *ev, void *arg) {
  (void)ev;
  (void)arg;
  cnet_address a;
  cnet_server_address(server, &a);
  printf("服务器正在监听 %s:%d......\n", a.address, a.port);
}

int main(int argc, char **argv) {
  int port = argc > 1 ? atoi(argv[1]) : 8181;
  const char *path = argc > 2 ? argv[2] : "../bk.note";
  setvbuf(stdout, NULL, _IOLBF, 0);
  cnet_loop *loop = cnet_default_loop();
  int err = cnet_fs_create_write_stream(loop, path, NULL, &file);
  if (err < 0) {
    fprintf(stderr, "createWriteStream: %s\n", cnet_err_name(err));
    return 1;
  }
  cnet_create_server(loop, NULL, on_connection, NULL, &server);
  cnet_on(server, CNET_EV_LISTENING, on_listening, NULL);
  int r = cnet_server_listen(server, port, "localhost", 0);
  if (r != 0) {
    fprintf(stderr, "listen: %s\n", cnet_err_name(r));
    return 1;
  }
  cnet_loop_run(loop, CNET_RUN_DEFAULT);
  cnet_server_free(server);
  return cnet_loop_close(loop) == 0 ? 0 : 1;
}
