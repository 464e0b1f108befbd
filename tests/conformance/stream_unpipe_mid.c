/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* Twin of stream_unpipe_mid.js. */
#include <cnet.h>
#include <stdio.h>
#include <string.h>
#include "objlog.h"
#include "trace.h"

static cnet_server *server;
static cnet_socket *ssock;
static cnet_fs_write_stream *ws;

static const char *b(bool v) { return v ? "true" : "false"; }
static const char *flowing(void *s) {
  int f = cnet_stream_readable_flowing(s);
  return f < 0 ? "null" : f ? "true" : "false";
}

static void w_pipe(const cnet_event *ev, void *arg) { (void)ev; (void)arg; olog("W", "pipe"); }
static void w_unpipe(const cnet_event *ev, void *arg) {
  (void)arg;
  olog("W", "unpipe %s %s", b(ev->object == ssock), flowing(ssock));
}
static void w_finish(const cnet_event *ev, void *arg) {
  (void)ev; (void)arg;
  olog("W", "finish %llu", (unsigned long long)cnet_fs_write_stream_bytes_written(ws));
}
static void w_close(const cnet_event *ev, void *arg) { (void)ev; (void)arg; olog("W", "close"); }

static void s_pause(const cnet_event *ev, void *arg) { (void)ev; (void)arg; olog("S", "pause"); }
static void s_resume(const cnet_event *ev, void *arg) { (void)ev; (void)arg; olog("S", "resume"); }
static void s_data(const cnet_event *ev, void *arg) {
  (void)arg;
  cnet_socket *s = ev->target;
  olog("S", "data \"%.*s\"", (int)ev->len, ev->data);
  if (ev->len != 6 || memcmp(ev->data, "part1 ", 6) != 0) return;
  olog("S", "file buffered %zu", cnet_stream_writable_length(ws));
  cnet_stream_end(ws, "bye bye", 7, NULL, NULL);
  cnet_unpipe(s, ws);
  olog("S", "unpiped %s %s %d", flowing(s), b(cnet_socket_is_paused(s)),
       cnet_listener_count(s, CNET_EV_DATA));
  cnet_socket_write(s, "ok", 2, NULL, NULL);
  cnet_socket_resume(s);
  olog("S", "resumed %s %s", flowing(s), b(cnet_socket_is_paused(s)));
}
static void s_end(const cnet_event *ev, void *arg) { (void)ev; (void)arg; olog("S", "end"); }
static void s_close(const cnet_event *ev, void *arg) {
  (void)ev; (void)arg;
  olog("S", "close");
  cnet_server_close(server, NULL, NULL);
}
static void on_connection(const cnet_event *ev, void *arg) {
  (void)arg;
  cnet_socket *s = ssock = ev->object;
  cnet_pipe(s, ws, &(cnet_pipe_options){.end = false});
  cnet_on(s, CNET_EV_PAUSE, s_pause, NULL);
  cnet_on(s, CNET_EV_RESUME, s_resume, NULL);
  cnet_on(s, CNET_EV_DATA, s_data, NULL);
  cnet_on(s, CNET_EV_END, s_end, NULL);
  cnet_on(s, CNET_EV_CLOSE, s_close, NULL);
}

static void c_connect(void *target, const cnet_error *err, void *arg) {
  (void)err;
  (void)arg;
  cnet_socket_write(target, "part1 ", 6, NULL, NULL);
}
static void c_data(const cnet_event *ev, void *arg) {
  (void)arg;
  olog("C", "data \"%.*s\"", (int)ev->len, ev->data);
  cnet_socket_end(ev->target, "part2", 5, NULL, NULL);
}
static void listening(const cnet_event *ev, void *arg) {
  (void)ev; (void)arg;
  cnet_address a;
  cnet_server_address(server, &a);
  cnet_socket *c;
  cnet_connect_options o = {.port = a.port, .host = "127.0.0.1"};
  cnet_connect(cnet_default_loop(), &o, c_connect, NULL, &c);
  cnet_on(c, CNET_EV_DATA, c_data, NULL);
}
static void w_open_listen(const cnet_event *ev, void *arg) {
  (void)ev; (void)arg;
  cnet_server_listen(server, 0, "127.0.0.1", 0);
}

int main(void) {
  trace_init();
  cnet_loop *loop = cnet_default_loop();
  cnet_fs_create_write_stream(loop, "msg.txt", NULL, &ws);
  cnet_on(ws, CNET_EV_PIPE, w_pipe, NULL);
  cnet_on(ws, CNET_EV_UNPIPE, w_unpipe, NULL);
  cnet_on(ws, CNET_EV_FINISH, w_finish, NULL);
  cnet_on(ws, CNET_EV_CLOSE, w_close, NULL);
  cnet_create_server(loop, NULL, on_connection, NULL, &server);
  cnet_on(ws, CNET_EV_OPEN, w_open_listen, NULL);
  cnet_once(server, CNET_EV_LISTENING, listening, NULL);
  cnet_loop_run(loop, CNET_RUN_DEFAULT);
  cnet_server_free(server);
  int rc = cnet_loop_close(loop) == 0 ? 0 : 1;
  olog_dump();
  print_file_json("file", "msg.txt");
  return rc;
}
