/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* Twin of stream_pipe_end_false.js. */
#include <cnet.h>
#include <stdio.h>
#include <string.h>
#include "objlog.h"
#include "trace.h"

static cnet_server *server;
static cnet_socket *ssock;
static cnet_fs_write_stream *ws;
static char got[256];
static size_t got_len;

static const char *b(bool v) { return v ? "true" : "false"; }
static const char *flowing(void *s) {
  int f = cnet_stream_readable_flowing(s);
  return f < 0 ? "null" : f ? "true" : "false";
}

static void w_open(const cnet_event *ev, void *arg) { (void)ev; (void)arg; olog("W", "open"); }
static void w_pipe(const cnet_event *ev, void *arg) {
  (void)arg;
  olog("W", "pipe %s %d", b(ev->object == ssock), cnet_listener_count(ws, CNET_EV_UNPIPE));
}
static void w_unpipe(const cnet_event *ev, void *arg) {
  (void)arg;
  olog("W", "unpipe %s %s %s", b(ev->object == ssock), flowing(ssock),
       b(cnet_stream_writable(ws)));
}
static void w_finish(const cnet_event *ev, void *arg) {
  (void)ev; (void)arg;
  olog("W", "finish %llu", (unsigned long long)cnet_fs_write_stream_bytes_written(ws));
}
static void w_close(const cnet_event *ev, void *arg) {
  (void)ev; (void)arg;
  olog("W", "close");
  cnet_server_close(server, NULL, NULL);
}

static void end_cb(void *obj, const cnet_error *err, void *arg) {
  (void)obj; (void)err; (void)arg;
  olog("W", "end cb %s", b(cnet_stream_writable_finished(ws)));
  cnet_unpipe(ssock, ws);
  olog("W", "after unpipe %d", cnet_listener_count(ws, CNET_EV_UNPIPE));
  cnet_stream_release(ssock);
}
static void s_data(const cnet_event *ev, void *arg) {
  (void)arg;
  if (got_len + ev->len < sizeof got) {
    memcpy(got + got_len, ev->data, ev->len);
    got_len += ev->len;
  }
}
static void s_end(const cnet_event *ev, void *arg) {
  (void)ev; (void)arg;
  olog("S", "end \"%.*s\" %s %s", (int)got_len, got, b(cnet_stream_writable(ws)),
       b(cnet_stream_writable_ended(ws)));
  cnet_stream_end(ws, "over", 4, end_cb, NULL);
}
static void s_close(const cnet_event *ev, void *arg) { (void)ev; (void)arg; olog("S", "close"); }

static void on_connection(const cnet_event *ev, void *arg) {
  (void)arg;
  cnet_socket *s = ssock = ev->object;
  /* The end callback below uses the socket, which may have closed by
   * then: hold it (Node's garbage collector does) until it is done. */
  cnet_stream_hold(s);
  cnet_on(s, CNET_EV_DATA, s_data, NULL);
  cnet_pipe(s, ws, &(cnet_pipe_options){.end = false});
  olog("S", "piped %d %d", cnet_listener_count(ws, CNET_EV_UNPIPE),
       cnet_listener_count(s, CNET_EV_DATA));
  cnet_on(s, CNET_EV_END, s_end, NULL);
  cnet_on(s, CNET_EV_CLOSE, s_close, NULL);
}

static void c_connect(void *target, const cnet_error *err, void *arg) {
  (void)err;
  (void)arg;
  cnet_socket_end(target, "data1 data2 ", 12, NULL, NULL);
}
static void listening(const cnet_event *ev, void *arg) {
  (void)ev; (void)arg;
  cnet_address a;
  cnet_server_address(server, &a);
  cnet_socket *c;
  cnet_connect_options o = {.port = a.port, .host = "127.0.0.1"};
  cnet_connect(cnet_default_loop(), &o, c_connect, NULL, &c);
}
static void w_open_listen(const cnet_event *ev, void *arg) {
  (void)ev; (void)arg;
  cnet_server_listen(server, 0, "127.0.0.1", 0);
}

int main(void) {
  trace_init();
  cnet_loop *loop = cnet_default_loop();
  cnet_fs_create_write_stream(loop, "msg.txt", NULL, &ws);
  cnet_on(ws, CNET_EV_OPEN, w_open, NULL);
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
