/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* socket.pipe(ws, {end: false}): the client's data goes to the file and
 * is printed as Node prints a Buffer; when the client ends, the file is
 * still open, and the server ends it with "over", unpiping in the end
 * callback.
 *
 * Node original (seed 000 / 003, "pipe"; the seed shows no listen(), this
 * one listens on the chapter's port, 8080):
 *
 *   let net = require('net');
 *   let path = require('path');
 *   let ws = require('fs').createWriteStream(path.resolve(__dirname, 'msg.txt'));
 *   let server = net.createServer(function (socket) {
 *     socket.on('data', function (data) {
 *       console.log(data);
 *     });
 *     socket.pipe(ws, { end: false });
 *     socket.on('end', function () {
 *       ws.end('over', function () {
 *         socket.unpipe(ws);
 *       });
 *     });
 *   });
 *
 * The end callback runs after the socket may have closed: the socket is
 * held (cnet_stream_hold) until then, where Node's garbage collector keeps
 * it. As in Node, a second client would write to an ended file.
 *
 * Run: build/bin/stream_pipe_end_false [port [file]]   (default 8080 and
 * msg.txt) */
#include <cnet.h>
#include <stdio.h>
#include <stdlib.h>

static cnet_fs_write_stream *ws;

/* console.log(buffer): <Buffer 68 65 6c 6c 6f>, 50 bytes at most. */
static void print_buffer(const char *data, size_t len) {
  printf("<Buffer");
  for (size_t i = 0; i < len && i < 50; i++) printf(" %02x", (unsigned char)data[i]);
  if (len > 50) printf(" ... %zu more byte%s", len - 50, len - 50 == 1 ? "" : "s");
  printf(">\n");
}

static void on_data(const cnet_event *ev, void *arg) {
  (void)arg;
  print_buffer(ev->data, ev->len);
}

static void ended(void *obj, const cnet_error *err, void *arg) {
  (void)obj;
  (void)err;
  cnet_socket *socket = arg;
  cnet_unpipe(socket, ws);
  cnet_stream_release(socket);
}

static void on_end(const cnet_event *ev, void *arg) {
  (void)arg;
  cnet_stream_end(ws, "over", 4, ended, ev->target);
}

/* A socket that closes without 'end' will never need the hold. */
static void on_close(const cnet_event *ev, void *arg) {
  (void)arg;
  if (!cnet_stream_readable_ended(ev->target)) cnet_stream_release(ev->target);
}

static void on_connection(const cnet_event *ev, void *arg) {
  (void)arg;
  cnet_socket *socket = ev->object;
  cnet_stream_hold(socket);
  cnet_on(socket, CNET_EV_DATA, on_data, NULL);
  cnet_pipe(socket, ws, &(cnet_pipe_options){.end = false});
  cnet_on(socket, CNET_EV_END, on_end, NULL);
  cnet_on(socket, CNET_EV_CLOSE, on_close, NULL);
}

int main(int argc, char **argv) {
  int port = argc > 1 ? atoi(argv[1]) : 8080;
  const char *path = argc > 2 ? argv[2] : "msg.txt";
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
