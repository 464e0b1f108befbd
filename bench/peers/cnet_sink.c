/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* cnet_sink: cnet's server for the benchmarks' scenario S8, pipe socket ->
 * file, through the public API as a Node program would be written:
 *
 *   net.createServer({allowHalfOpen: true}, (s) => {
 *     const ws = fs.createWriteStream(path);
 *     ws.on('finish', () => s.end(`done bytes=... size=... path=...\n`));
 *     s.pipe(ws);
 *   })
 *
 * Each connection writes a file of its own; once the client has ended and
 * the file stream has emitted 'finish' (every byte written), the server
 * answers one line with bytesWritten, the file's size (stat) and its path,
 * then ends the connection. The load generator checks the file and
 * removes it. cnet's splice fast path is taken unless CNET_NO_SPLICE=1
 * (the copying path: read into memory, 'data', write on the pool).
 *
 *   cnet_sink [port [dir]]   port 0 (the default) picks one; dir defaults
 *                            to $TMPDIR, then /tmp; prints port=N */
#include <cnet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static cnet_loop *loop;
static const char *dir;
static unsigned long seq;

typedef struct conn {
  cnet_socket *socket;
  cnet_fs_write_stream *ws;
  int open; /* of the socket and the file stream, those not closed yet */
  char path[512];
} conn;

static void conn_release(conn *c) {
  if (--c->open == 0) free(c);
}

static void on_finish(const cnet_event *ev, void *arg) {
  (void)ev;
  conn *c = arg;
  struct stat st;
  long long size = stat(c->path, &st) == 0 ? (long long)st.st_size : -1;
  char line[700];
  int n = snprintf(line, sizeof line, "done bytes=%llu size=%lld path=%s\n",
                   (unsigned long long)cnet_fs_write_stream_bytes_written(c->ws), size,
                   c->path);
  if (c->socket) cnet_socket_end(c->socket, line, (size_t)n, NULL, NULL);
}

static void on_ws_close(const cnet_event *ev, void *arg) {
  (void)ev;
  conn *c = arg;
  c->ws = NULL;
  conn_release(c);
}

static void on_sock_close(const cnet_event *ev, void *arg) {
  (void)ev;
  conn *c = arg;
  c->socket = NULL;
  /* A client that went away before 'end': its file is abandoned. */
  if (c->ws && !cnet_stream_writable_finished(c->ws)) {
    cnet_stream_destroy(c->ws, NULL);
    unlink(c->path);
  }
  conn_release(c);
}

static void on_error(const cnet_event *ev, void *arg) { (void)ev, (void)arg; }

static void on_connection(const cnet_event *ev, void *arg) {
  (void)arg;
  cnet_socket *s = ev->object;
  conn *c = calloc(1, sizeof *c);
  if (!c) {
    cnet_socket_destroy(s, NULL);
    return;
  }
  snprintf(c->path, sizeof c->path, "%s/cnet-sink-%ld-%lu", dir, (long)getpid(), ++seq);
  int err;
  err = cnet_fs_create_write_stream(loop, c->path, NULL, &c->ws);
  if (!c->ws) {
    fprintf(stderr, "cnet_sink: %s: %s\n", c->path, cnet_err_name(err));
    free(c);
    cnet_socket_destroy(s, NULL);
    return;
  }
  c->socket = s;
  c->open = 2;
  cnet_on(c->ws, CNET_EV_FINISH, on_finish, c);
  cnet_on(c->ws, CNET_EV_CLOSE, on_ws_close, c);
  cnet_on(c->ws, CNET_EV_ERROR, on_error, c);
  cnet_on(s, CNET_EV_CLOSE, on_sock_close, c);
  cnet_on(s, CNET_EV_ERROR, on_error, c);
  cnet_pipe(s, c->ws, NULL);
}

static void on_listening(const cnet_event *ev, void *arg) {
  (void)arg;
  cnet_address a;
  cnet_server_address(ev->target, &a);
  printf("port=%d\n", a.port);
  fflush(stdout);
}

int main(int argc, char **argv) {
  int port = argc > 1 ? atoi(argv[1]) : 0;
  dir = argc > 2 ? argv[2] : getenv("TMPDIR");
  if (!dir || !*dir) dir = "/tmp";
  loop = cnet_default_loop();
  cnet_server_options opts = {.no_delay = true, .allow_half_open = true};
  cnet_server *server = NULL;
  cnet_create_server(loop, &opts, on_connection, NULL, &server);
  cnet_on(server, CNET_EV_LISTENING, on_listening, NULL);
  int r = cnet_server_listen(server, port, "127.0.0.1", 511);
  if (r != 0) {
    fprintf(stderr, "cnet_sink: listen: %s\n", cnet_err_name(r));
    return 1;
  }
  cnet_loop_run(loop, CNET_RUN_DEFAULT);
  cnet_server_free(server);
  return cnet_loop_close(loop) == 0 ? 0 : 1;
}
