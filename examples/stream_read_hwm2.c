/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* A file read stream with highWaterMark 2 feeding socket.write(): for each
 * 2-byte chunk, write()'s return value, bufferSize and bytesWritten are
 * printed; what the client sends is printed as text. The server is
 * half-open: it never ends its side (the seed's program neither).
 *
 * Node original (seed 000, "write"; the seed shows no listen(), this one
 * listens on the chapter's port, 8080):
 *
 *   let server = net.createServer({ allowHalfOpen: true }, function (socket) {
 *     console.log("客户端已经连接");
 *     socket.setEncoding('utf8');
 *     let rs = fs.createReadStream(path.resolve(__dirname, 'a.txt'), { highWaterMark: 2 });
 *     rs.on('data', function (data) {
 *       let flag = socket.write(data);
 *       console.log("flag:", flag);
 *       console.log("缓存字节:" + socket.bufferSize);
 *       console.log("已发送字节:" + socket.bytesWritten);
 *     })
 *     socket.on('data', function (data) {
 *       console.log('data', data);
 *     });
 *     socket.on('drain', function (err) {
 *       "缓存区已全部发送"
 *     });
 *   });
 *
 * The read stream writes to the socket it was made for: if the socket
 * closes first, the read stream is destroyed (in Node its writes would
 * fail on the closed socket).
 *
 * Run: build/bin/stream_read_hwm2 [port [file]]   (default 8080, a.txt) */
#include <cnet.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

static const char *file = "a.txt";

static void rs_data(const cnet_event *ev, void *arg) {
  cnet_socket *socket = arg;
  bool flag = cnet_socket_write(socket, ev->data, ev->len, NULL, NULL);
  printf("flag: %s\n", flag ? "true" : "false");
  printf("缓存字节:%zu\n", cnet_socket_buffer_size(socket));
  printf("已发送字节:%" PRIu64 "\n", cnet_socket_bytes_written(socket));
}

static void socket_data(const cnet_event *ev, void *arg) {
  (void)arg;
  printf("data %.*s\n", (int)ev->len, ev->data);
}

static void socket_drain(const cnet_event *ev, void *arg) {
  (void)ev;
  (void)arg;
  /* "缓存区已全部发送": the buffer has been sent. */
}

static void socket_close(const cnet_event *ev, void *arg) {
  (void)ev;
  cnet_fs_read_stream *rs = arg;
  cnet_stream_destroy(rs, NULL);
  cnet_stream_release(rs);
}

static void on_connection(const cnet_event *ev, void *arg) {
  cnet_loop *loop = arg;
  cnet_socket *socket = ev->object;
  printf("客户端已经连接\n");
  cnet_socket_set_encoding(socket, "utf8");
  cnet_fs_stream_options o = {.high_water_mark = 2,
                              .has_high_water_mark = true};
  cnet_fs_read_stream *rs;
  if (cnet_fs_create_read_stream(loop, file, &o, &rs) < 0) {
    cnet_socket_destroy(socket, NULL);
    return;
  }
  cnet_stream_hold(rs); /* until the socket closes */
  cnet_on(rs, CNET_EV_DATA, rs_data, socket);
  cnet_on(socket, CNET_EV_DATA, socket_data, NULL);
  cnet_on(socket, CNET_EV_DRAIN, socket_drain, NULL);
  cnet_on(socket, CNET_EV_CLOSE, socket_close, rs);
}

int main(int argc, char **argv) {
  int port = argc > 1 ? atoi(argv[1]) : 8080;
  if (argc > 2) file = argv[2];
  setvbuf(stdout, NULL, _IOLBF, 0);
  cnet_loop *loop = cnet_default_loop();
  cnet_server_options so = {.allow_half_open = true};
  cnet_server *server = NULL;
  cnet_create_server(loop, &so, on_connection, loop, &server);
  int r = cnet_server_listen(server, port, NULL, 0);
  if (r != 0) {
    fprintf(stderr, "listen: %s\n", cnet_err_name(r));
    return 1;
  }
  cnet_loop_run(loop, CNET_RUN_DEFAULT);
  cnet_server_free(server);
  return cnet_loop_close(loop) == 0 ? 0 : 1;
}
