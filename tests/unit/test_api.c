/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* cnet-test-labels: unit threads
   The convention's own pieces (docs/conventions.md): the thread's last
 * error, user data on every object, printf-style writes, the typed event
 * accessors, the poll handle, and has_high_water_mark. */
#include "harness.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

CNET_TEST(last_error_keeps_the_failed_call_and_survives_success) {
  cnet_loop *loop = test_loop();
  cnet_server *srv;
  ASSERT_EQ(0, cnet_create_server(loop, NULL, NULL, NULL, &srv));
  ASSERT_EQ(CNET_ERR_SOCKET_BAD_PORT, cnet_server_listen(srv, -1, NULL, 0));
  const cnet_error *e = cnet_last_error();
  ASSERT_EQ(CNET_ERR_SOCKET_BAD_PORT, e->code);
  ASSERT_STR_EQ("options.port should be >= 0 and < 65536. Received type number (-1).",
                e->message);
  ASSERT_STR_EQ("RangeError", cnet_error_class(e->code));
  ASSERT_EQ(0, cnet_server_listen(srv, 0, "127.0.0.1", 0));
  ASSERT_EQ(CNET_ERR_SOCKET_BAD_PORT, cnet_last_error()->code);
  cnet_server_free(srv);
  test_run(loop);
  test_loop_close(loop);
}

static void *other_thread(void *arg) {
  (void)arg;
  return (void *)(intptr_t)cnet_last_error()->code;
}

CNET_TEST(last_error_is_per_thread) {
  cnet_socket *so = (cnet_socket *)&so;
  ASSERT_EQ(CNET_EINVAL, cnet_socket_new(NULL, NULL, &so));
  ASSERT_NULL(so);
  pthread_t th;
  void *code;
  ASSERT_EQ(0, pthread_create(&th, NULL, other_thread, NULL));
  ASSERT_EQ(0, pthread_join(th, &code));
  ASSERT_EQ(0, (intptr_t)code);
  ASSERT_EQ(CNET_EINVAL, cnet_last_error()->code);
}

CNET_TEST(error_classes_are_nodes) {
  ASSERT_STR_EQ("Error", cnet_error_class(CNET_ECONNREFUSED));
  ASSERT_STR_EQ("TypeError", cnet_error_class(CNET_ERR_INVALID_ARG_TYPE));
  ASSERT_STR_EQ("RangeError", cnet_error_class(CNET_ERR_OUT_OF_RANGE));
  ASSERT_STR_EQ("SystemError", cnet_error_class(CNET_ERR_SOCKET_BUFFER_SIZE));
  ASSERT_STR_EQ("Error", cnet_error_class(CNET_ERR_SERVER_NOT_RUNNING));
}

CNET_TEST(user_data_on_every_object) {
  cnet_loop *loop = test_loop();
  int a, b, c, d;
  cnet_server *srv;
  cnet_socket *so;
  cnet_dgram *udp;
  cnet_memory_sink *sink;
  ASSERT_EQ(0, cnet_create_server(loop, NULL, NULL, NULL, &srv));
  ASSERT_EQ(0, cnet_socket_new(loop, NULL, &so));
  ASSERT_EQ(0, cnet_dgram_create(loop, "udp4", NULL, NULL, &udp));
  ASSERT_EQ(0, cnet_memory_sink_new(loop, NULL, &sink));
  ASSERT_NULL(cnet_get_data(so));
  ASSERT_EQ(0, cnet_set_data(srv, &a));
  ASSERT_EQ(0, cnet_set_data(so, &b));
  ASSERT_EQ(0, cnet_set_data(udp, &c));
  ASSERT_EQ(0, cnet_set_data(sink, &d));
  ASSERT((void *)(&a) == (void *)(cnet_get_data(srv)));
  ASSERT((void *)(&b) == (void *)(cnet_get_data(so)));
  ASSERT((void *)(&c) == (void *)(cnet_get_data(udp)));
  ASSERT((void *)(&d) == (void *)(cnet_get_data(sink)));
  int ints[4] = {0};
  ASSERT_EQ(CNET_EINVAL, cnet_set_data((void *)ints, &a));
  ASSERT_NULL(cnet_get_data((void *)ints));
  cnet_emitter mine;
  cnet_emitter_init(&mine);
  ASSERT_NULL(cnet_get_data(&mine));
  ASSERT_EQ(0, cnet_set_data(&mine, &a));
  ASSERT((void *)(&a) == (void *)(cnet_get_data(&mine)));
  cnet_emitter_dispose(&mine);
  cnet_server_free(srv);
  cnet_socket_destroy(so, NULL);
  cnet_dgram_close(udp, NULL, NULL);
  cnet_stream_destroy(sink, NULL);
  test_run(loop);
  test_loop_close(loop);
}

CNET_TEST(printf_writes_short_and_long_text) {
  cnet_loop *loop = test_loop();
  cnet_memory_sink *sink;
  ASSERT_EQ(0, cnet_memory_sink_new(loop, NULL, &sink));
  ASSERT_EQ(0, cnet_stream_hold(sink));
  ASSERT_EQ(1, cnet_stream_printf(sink, "%s=%d;", "n", 42));
  char *big = malloc(5000);
  ASSERT_NOT_NULL(big);
  memset(big, 'x', 4999);
  big[4999] = '\0';
  ASSERT_EQ(1, cnet_stream_printf(sink, "[%s]", big));
  ASSERT_EQ(CNET_EINVAL, cnet_stream_printf((void *)big, "x"));
  cnet_stream_end(sink, NULL, 0, NULL, NULL);
  test_run(loop);
  size_t len;
  const char *d = cnet_memory_sink_data(sink, &len);
  ASSERT_EQ(5 + 5001, len);
  ASSERT_MEM_EQ("n=42;[x", d, 7);
  ASSERT_EQ(']', d[len - 1]);
  free(big);
  cnet_stream_release(sink);
  test_loop_close(loop);
}

CNET_TEST(high_water_mark_zero_only_when_asked) {
  cnet_loop *loop = test_loop();
  cnet_memory_sink *dflt, *zero, *four;
  ASSERT_EQ(0, cnet_memory_sink_new(loop, NULL, &dflt));
  cnet_memory_sink_options z = {.has_high_water_mark = true};
  ASSERT_EQ(0, cnet_memory_sink_new(loop, &z, &zero));
  cnet_memory_sink_options f = {.high_water_mark = 4};
  ASSERT_EQ(0, cnet_memory_sink_new(loop, &f, &four));
  ASSERT_EQ(16384, cnet_stream_writable_high_water_mark(dflt));
  ASSERT_EQ(0, cnet_stream_writable_high_water_mark(zero));
  ASSERT_EQ(4, cnet_stream_writable_high_water_mark(four));
  cnet_stream_destroy(dflt, NULL);
  cnet_stream_destroy(zero, NULL);
  cnet_stream_destroy(four, NULL);
  test_run(loop);
  test_loop_close(loop);
}

CNET_TEST(typed_accessors_never_give_null) {
  cnet_event ev = {.type = CNET_EV_DATA};
  ASSERT_NULL(cnet_event_socket(&ev));
  ASSERT_STR_EQ("", cnet_event_rinfo(&ev)->address);
  ASSERT_EQ(0, cnet_event_rinfo(&ev)->port);
  ASSERT_EQ(0, cnet_event_error(&ev)->code);
  ASSERT_STR_EQ("", cnet_event_error(&ev)->message);
  cnet_rinfo r = {"127.0.0.1", "IPv4", 9, 1};
  cnet_event msg = {.type = CNET_EV_MESSAGE, .rinfo = &r};
  ASSERT_EQ(9, cnet_event_rinfo(&msg)->port);
  int sock;
  cnet_event conn = {.type = CNET_EV_CONNECTION, .object = &sock};
  ASSERT((void *)(&sock) == (void *)(cnet_event_socket(&conn)));
}

static void close_in_callback(cnet_poll *p, int status, int events, void *arg) {
  (void)status;
  (void)events;
  ++*(int *)arg;
  cnet_poll_close(p); /* frees the watch, from its own callback */
}

CNET_TEST(poll_handle_is_made_and_freed_by_cnet) {
  cnet_loop *loop = test_loop();
  int fds[2], called = 0;
  ASSERT_EQ(0, pipe(fds));
  cnet_poll *p = (cnet_poll *)&p;
  ASSERT_EQ(CNET_EINVAL, cnet_poll_new(loop, -1, &p));
  ASSERT_NULL(p);
  ASSERT_EQ(0, cnet_poll_new(loop, fds[0], &p));
  ASSERT_EQ(0, cnet_poll_start(p, CNET_READABLE, close_in_callback, &called));
  ASSERT_EQ(1, write(fds[1], "x", 1));
  test_run(loop);
  ASSERT_EQ(1, called);
  close(fds[0]);
  close(fds[1]);
  test_loop_close(loop);
}

/* A connect refused with EBUSY (the socket is still closing) leaves no
 * callback behind: the retry from 'close' calls its own once. */
static int connects, busy_port;
static cnet_server *busy_srv;
static void retry_on_close(const cnet_event *ev, void *arg);
static void count_connect(void *so, const cnet_error *err, void *arg) {
  (void)arg;
  ASSERT_NULL(err);
  if (++connects == 1) {
    ASSERT_EQ(0, cnet_socket_destroy(so, NULL));
    ASSERT_EQ(CNET_EBUSY,
              cnet_socket_connect_port(so, busy_port, "127.0.0.1", count_connect, NULL));
    cnet_once(so, CNET_EV_CLOSE, retry_on_close, NULL);
  } else {
    cnet_socket_destroy(so, NULL);
    cnet_server_close(busy_srv, NULL, NULL);
  }
}
static void retry_on_close(const cnet_event *ev, void *arg) {
  (void)arg;
  ASSERT_EQ(0, cnet_socket_connect_port(ev->target, busy_port, "127.0.0.1",
                                        count_connect, NULL));
}

CNET_TEST(connect_refused_while_closing_leaves_no_callback) {
  cnet_loop *loop = test_loop();
  connects = 0;
  ASSERT_EQ(0, cnet_create_server(loop, NULL, NULL, NULL, &busy_srv));
  busy_port = test_listen(loop, busy_srv, "127.0.0.1", 0);
  cnet_socket *so;
  ASSERT_EQ(0, cnet_connect_port(loop, busy_port, "127.0.0.1", count_connect, NULL, &so));
  test_run(loop);
  ASSERT_EQ(2, connects);
  cnet_server_free(busy_srv);
  test_run(loop);
  test_loop_close(loop);
}

CNET_TEST(fs_stream_fd_zero_only_with_has_fd) {
  cnet_loop *loop = test_loop();
  cnet_fs_read_stream *rs = (cnet_fs_read_stream *)&rs;
  ASSERT_EQ(CNET_EINVAL, cnet_fs_create_read_stream(loop, NULL, NULL, &rs));
  ASSERT_NULL(rs);
  cnet_fs_stream_options o = {0};
  ASSERT_EQ(CNET_EINVAL, cnet_fs_create_read_stream(loop, NULL, &o, &rs));
  test_loop_close(loop);
}
