/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* Twin of stream_pipe_paused.js. */
#include <cnet.h>
#include <stdio.h>
#include "objlog.h"
#include "trace.h"

static cnet_server *server;
static cnet_socket *ssock, *client;
static cnet_fs_write_stream *ws;
static cnet_timer timer;
static int ready;

static const char *b(bool v) { return v ? "true" : "false"; }
static const char *flowing(void *s) {
  int f = cnet_stream_readable_flowing(s);
  return f < 0 ? "null" : f ? "true" : "false";
}

static void later(cnet_timer *tm, void *arg) {
  (void)tm; (void)arg;
  olog("S", "before %s %s", b(cnet_socket_is_paused(ssock)), flowing(ssock));
  cnet_socket_resume(ssock);
  olog("S", "resumed %s %s", b(cnet_socket_is_paused(ssock)), flowing(ssock));
  cnet_pipe(ssock, ws, NULL);
  olog("S", "piped %s %s", b(cnet_socket_is_paused(ssock)), flowing(ssock));
  cnet_socket_write(ssock, "go", 2, NULL, NULL);
}
static void early_written(void *o, const cnet_error *err, void *arg) {
  (void)o; (void)err; (void)arg;
  cnet_set_timeout(&timer, later, NULL, 50);
}
static void both(void) {
  if (++ready < 2) return;
  cnet_socket_write(client, "early data ", 11, early_written, NULL);
}

static void w_pipe(const cnet_event *ev, void *arg) { (void)ev; (void)arg; olog("W", "pipe"); }
static void w_unpipe(const cnet_event *ev, void *arg) { (void)ev; (void)arg; olog("W", "unpipe"); }
static void w_finish(const cnet_event *ev, void *arg) {
  (void)ev; (void)arg;
  olog("W", "finish %llu", (unsigned long long)cnet_fs_write_stream_bytes_written(ws));
}
static void w_close(const cnet_event *ev, void *arg) { (void)ev; (void)arg; olog("W", "close"); }

static void s_pause(const cnet_event *ev, void *arg) {
  (void)arg;
  if (!cnet_stream_readable_ended(ev->target)) olog("S", "pause event");
}
static void s_resume(const cnet_event *ev, void *arg) { (void)ev; (void)arg; olog("S", "resume event"); }
static void s_end(const cnet_event *ev, void *arg) { (void)ev; (void)arg; olog("S", "end"); }
static void s_close(const cnet_event *ev, void *arg) {
  (void)ev; (void)arg;
  olog("S", "close");
  cnet_server_close(server, NULL, NULL);
}
static void on_connection(const cnet_event *ev, void *arg) {
  (void)arg;
  cnet_socket *s = ssock = ev->object;
  cnet_socket_pause(s);
  olog("S", "paused %s %s", b(cnet_socket_is_paused(s)), flowing(s));
  cnet_on(s, CNET_EV_PAUSE, s_pause, NULL);
  cnet_on(s, CNET_EV_RESUME, s_resume, NULL);
  cnet_on(s, CNET_EV_END, s_end, NULL);
  cnet_on(s, CNET_EV_CLOSE, s_close, NULL);
  both();
}

static void c_connect(void *target, const cnet_error *err, void *arg) {
  (void)target; (void)err; (void)arg;
  both();
}
static void c_data(const cnet_event *ev, void *arg) {
  (void)arg;
  olog("C", "data \"%.*s\"", (int)ev->len, ev->data);
  cnet_socket_end(client, "late data", 9, NULL, NULL);
}
static void listening(const cnet_event *ev, void *arg) {
  (void)ev; (void)arg;
  cnet_address a;
  cnet_server_address(server, &a);
  cnet_connect_options o = {.port = a.port, .host = "127.0.0.1"};
  cnet_connect(cnet_default_loop(), &o, c_connect, NULL, &client);
  cnet_on(client, CNET_EV_DATA, c_data, NULL);
}
static void w_open_listen(const cnet_event *ev, void *arg) {
  (void)ev; (void)arg;
  cnet_server_listen(server, 0, "127.0.0.1", 0);
}

int main(void) {
  trace_init();
  cnet_loop *loop = cnet_default_loop();
  cnet_timer_init(loop, &timer);
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
