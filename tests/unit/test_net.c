/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* cnet-test-labels: unit threads
 * net behaviours that a Node-vs-cnet trace cannot show: what C adds
 * (write_string, a server's block list) and that name lookups leave the
 * loop running. */
#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/un.h>
#include <unistd.h>

static cnet_server *server;
static char received[256];
static size_t received_len;

static void collect(const cnet_event *ev, void *arg) {
  (void)arg;
  memcpy(received + received_len, ev->data, ev->len);
  received_len += ev->len;
}

static void close_server_on_end(const cnet_event *ev, void *arg) {
  (void)ev;
  (void)arg;
  cnet_server_close(server, NULL, NULL);
}

static void collect_connection(const cnet_event *ev, void *arg) {
  (void)arg;
  test_trace("connection");
  cnet_on(ev->object, CNET_EV_DATA, collect, NULL);
  cnet_on(ev->object, CNET_EV_END, close_server_on_end, NULL);
}

static int listen_local(cnet_loop *loop, const cnet_server_options *opts) {
  received_len = 0;
  cnet_create_server(loop, opts, collect_connection, NULL, &server);
  ASSERT_NOT_NULL(server);
  return test_listen(loop, server, "127.0.0.1", 0);
}

static void write_hex_and_end(void *target, const cnet_error *err, void *arg) {
  (void)arg;
  ASSERT_NULL(err);
  ASSERT_EQ(1, cnet_socket_write_string(target, "48656c6c6f", "hex", NULL, NULL));
  ASSERT_EQ(1, cnet_socket_write_string(target, " wörld", NULL, NULL, NULL));
  ASSERT_EQ(1, cnet_socket_write_string(target, "IQ==", "base64", NULL, NULL));
  ASSERT_EQ(1, cnet_socket_write_string(target, "é", "latin1", NULL, NULL));
  cnet_socket_end(target, NULL, 0, NULL, NULL);
}

CNET_TEST(write_string_converts_like_buffer_from) {
  cnet_loop *loop = test_loop();
  int port = listen_local(loop, NULL);
  cnet_socket *c;
  cnet_connect_options o = {.port = port, .host = "127.0.0.1"};
  ASSERT_EQ(0, cnet_connect(loop, &o, write_hex_and_end, NULL, &c));
  test_run(loop);
  ASSERT_EQ(14, received_len);
  ASSERT_MEM_EQ("Hello w\xc3\xb6rld!\xe9", received, 14);
  cnet_server_free(server);
  test_loop_close(loop);
}

CNET_TEST(write_string_refuses_an_unknown_encoding) {
  cnet_loop *loop = test_loop();
  cnet_socket *s = NULL;
  cnet_socket_new(loop, NULL, &s);
  ASSERT_EQ(CNET_ERR_UNKNOWN_ENCODING,
            cnet_socket_write_string(s, "x", "utf-9", NULL, NULL));
  ASSERT_STR_EQ("Unknown encoding: utf-9", cnet_last_error()->message);
  ASSERT_STR_EQ("TypeError", cnet_error_class(cnet_last_error()->code));
  ASSERT_EQ(0, cnet_socket_writable_length(s));
  cnet_socket_destroy(s, NULL);
  test_run(loop);
  test_loop_close(loop);
}

static void on_drop(const cnet_event *ev, void *arg) {
  (void)arg;
  test_trace("drop %s %d", ev->address, ev->family);
  cnet_server_close(server, NULL, NULL);
}

static void client_closed(const cnet_event *ev, void *arg) {
  (void)ev;
  (void)arg;
  test_trace("client close");
}

CNET_TEST(block_list_refuses_a_peer_with_drop) {
  cnet_loop *loop = test_loop();
  cnet_block_list *bl = NULL;
  ASSERT_EQ(0, cnet_block_list_new(&bl));
  ASSERT_EQ(0, cnet_block_list_add_address(bl, "127.0.0.1", 4));
  cnet_server_options so = {.block_list = bl};
  int port = listen_local(loop, &so);
  cnet_on(server, CNET_EV_DROP, on_drop, NULL);
  cnet_socket *c;
  cnet_connect_options o = {.port = port, .host = "127.0.0.1"};
  ASSERT_EQ(0, cnet_connect(loop, &o, NULL, NULL, &c));
  cnet_on(c, CNET_EV_CLOSE, client_closed, NULL);
  cnet_socket_resume(c); /* reads the server's close as EOF */
  test_run(loop);
  ASSERT_TRACE("drop 127.0.0.1 4 client close");
  cnet_server_free(server);
  cnet_block_list_free(bl);
  test_loop_close(loop);
}

/* Every thread of the worker pool is kept busy until a timer has fired
 * three times: the lookup for "localhost" waits, and the loop must keep
 * serving timers meanwhile. */
static int ticks_while_resolving;
static bool connected;

static void on_tick(cnet_timer *t, void *arg) {
  (void)arg;
  if (connected) return;
  if (++ticks_while_resolving == 3) {
    cnet_timer_stop(t);
    test_pool_unblock();
  }
}

static void on_lookup(const cnet_event *ev, void *arg) {
  (void)arg;
  test_trace("lookup %s %d", ev->address, ev->family);
}

static void on_connected(void *target, const cnet_error *err, void *arg) {
  (void)err;
  (void)arg;
  connected = true;
  test_trace("connect after %d ticks", ticks_while_resolving);
  cnet_socket_end(target, NULL, 0, NULL, NULL);
}

CNET_TEST(connect_to_a_name_keeps_the_loop_serving_timers) {
  cnet_loop *loop = test_loop();
  test_pool_block(loop);
  int port = listen_local(loop, NULL);
  cnet_timer tick;
  cnet_timer_init(loop, &tick);
  cnet_set_interval(&tick, on_tick, NULL, 1);
  cnet_socket *c;
  cnet_connect_options o = {.port = port, .host = "localhost", .family = 4};
  ASSERT_EQ(0, cnet_connect(loop, &o, on_connected, NULL, &c));
  cnet_on(c, CNET_EV_LOOKUP, on_lookup, NULL);
  test_run(loop);
  /* The server's 'connection' may come before or after the client's
   * 'connect' (one epoll batch); the lookup always precedes both. */
  const char *tr = test_trace_get();
  ASSERT_NOT_NULL(strstr(tr, "lookup 127.0.0.1 4 "));
  ASSERT_NOT_NULL(strstr(tr, "connect after 3 ticks"));
  ASSERT(strstr(tr, "lookup") < strstr(tr, "connect after"));
  cnet_server_free(server);
  test_loop_close(loop);
}

static void end_at_once(const cnet_event *ev, void *arg) {
  (void)arg;
  cnet_on(ev->object, CNET_EV_DATA, collect, NULL);
  cnet_on(ev->object, CNET_EV_END, close_server_on_end, NULL);
  cnet_socket_end(ev->object, NULL, 0, NULL, NULL);
}

static void half_open_client_end(const cnet_event *ev, void *arg) {
  (void)arg;
  test_trace("end %s", cnet_socket_ready_state(ev->target));
  cnet_socket_end(ev->target, "after", 5, NULL, NULL);
}

CNET_TEST(connect_option_allow_half_open_keeps_the_client_writable) {
  cnet_loop *loop = test_loop();
  received_len = 0;
  cnet_create_server(loop, NULL, end_at_once, NULL, &server);
  int port = test_listen(loop, server, "127.0.0.1", 0);
  cnet_socket *c;
  cnet_connect_options o = {.port = port, .host = "127.0.0.1", .allow_half_open = true};
  ASSERT_EQ(0, cnet_connect(loop, &o, NULL, NULL, &c));
  cnet_on(c, CNET_EV_END, half_open_client_end, NULL);
  cnet_socket_resume(c);
  test_run(loop);
  ASSERT_TRACE("end writeOnly");
  ASSERT_EQ(5, received_len);
  ASSERT_MEM_EQ("after", received, 5);
  cnet_server_free(server);
  test_loop_close(loop);
}

static cnet_socket *accepted_sock;

static void keep_accepted(const cnet_event *ev, void *arg) {
  (void)arg;
  accepted_sock = ev->object;
  /* The server is freed while this connection is open. */
  cnet_server_free(server);
  server = NULL;
  cnet_socket_end(accepted_sock, "bye", 3, NULL, NULL);
}

static void count_close(const cnet_event *ev, void *arg) {
  (void)ev;
  (*(int *)arg)++;
}

CNET_TEST(server_freed_with_a_connection_open_outlives_it_safely) {
  cnet_loop *loop = test_loop();
  cnet_create_server(loop, NULL, keep_accepted, NULL, &server);
  int port = test_listen(loop, server, "127.0.0.1", 0);
  cnet_socket *c;
  int closes = 0;
  cnet_connect_options o = {.port = port, .host = "127.0.0.1"};
  ASSERT_EQ(0, cnet_connect(loop, &o, NULL, NULL, &c));
  cnet_on(c, CNET_EV_CLOSE, count_close, &closes);
  cnet_socket_resume(c);
  /* ASan reports a use of the freed server when the accepted socket
   * closes, if the server's memory went too early. */
  test_run(loop);
  ASSERT_EQ(1, closes);
  test_loop_close(loop);
}

CNET_TEST(server_freed_while_its_host_is_looked_up) {
  cnet_loop *loop = test_loop();
  cnet_server *s = NULL;
  cnet_create_server(loop, NULL, NULL, NULL, &s);
  ASSERT_EQ(0, cnet_server_listen(s, 0, "localhost", 0));
  ASSERT(!cnet_server_listening(s));
  cnet_server_free(s); /* cancels the lookup; nothing may touch s later */
  test_run(loop);
  test_loop_close(loop);
}

CNET_TEST(zeroed_socket_options_do_not_wrap_stdin) {
  cnet_loop *loop = test_loop();
  cnet_socket_options o = {.allow_half_open = true};
  int err = -1;
  cnet_socket *s = NULL;
  err = cnet_socket_new(loop, &o, &s);
  ASSERT_NOT_NULL(s);
  ASSERT_EQ(0, err);
  ASSERT(cnet_socket_pending(s)); /* no handle: fd 0 was not taken */
  cnet_socket_destroy(s, NULL);
  test_run(loop);
  test_loop_close(loop);
}

/* Small writes go straight to the kernel while nothing is queued; once
 * the kernel is full, the rest of a write it took in part is queued and
 * everything still arrives whole and in order, with one 'drain'. */
static struct {
  cnet_socket *accepted;
  uint8_t *got;
  size_t got_len, sent;
  int drains;
  bool ended;
} fill;

static uint8_t fill_byte(size_t pos) { return (uint8_t)(pos * 7 + pos / 251); }

static void fill_collect(const cnet_event *ev, void *arg) {
  (void)arg;
  ASSERT(fill.got_len + ev->len <= fill.sent);
  memcpy(fill.got + fill.got_len, ev->data, ev->len);
  fill.got_len += ev->len;
}

static void fill_end(const cnet_event *ev, void *arg) {
  (void)ev;
  (void)arg;
  fill.ended = true;
  cnet_server_close(server, NULL, NULL);
}

static void fill_accept(const cnet_event *ev, void *arg) {
  (void)arg;
  fill.accepted = ev->object;
  cnet_socket_pause(fill.accepted); /* the kernel's buffers fill up */
}

static void fill_drain(const cnet_event *ev, void *arg) {
  (void)arg;
  fill.drains++;
  ASSERT_EQ(0, cnet_socket_writable_length(ev->target));
  ASSERT_EQ(fill.sent, cnet_socket_bytes_written(ev->target));
  cnet_socket_end(ev->target, NULL, 0, NULL, NULL);
}

static void fill_write(void *target, const cnet_error *err, void *arg) {
  (void)err;
  (void)arg;
  cnet_socket *c = target;
  uint8_t chunk[1000];
  bool ok = true;
  while (ok) {
    ASSERT(fill.sent + sizeof chunk <= 64u << 20); /* the kernel must fill */
    for (size_t i = 0; i < sizeof chunk; i++) chunk[i] = fill_byte(fill.sent + i);
    ok = cnet_socket_write(c, chunk, sizeof chunk, NULL, NULL);
    fill.sent += sizeof chunk;
  }
  /* Full: what is queued is at least the high-water mark (16 KiB). */
  ASSERT(cnet_socket_writable_length(c) >= 16384);
  ASSERT_EQ(fill.sent, cnet_socket_bytes_written(c));
  cnet_on(c, CNET_EV_DRAIN, fill_drain, NULL);
  fill.got = malloc(fill.sent);
  ASSERT_NOT_NULL(fill.got);
  cnet_on(fill.accepted, CNET_EV_DATA, fill_collect, NULL);
  cnet_on(fill.accepted, CNET_EV_END, fill_end, NULL);
  cnet_socket_resume(fill.accepted);
}

CNET_TEST(small_writes_past_a_full_kernel_arrive_whole_and_in_order) {
  cnet_loop *loop = test_loop();
  cnet_create_server(loop, NULL, fill_accept, NULL, &server);
  int port = test_listen(loop, server, "127.0.0.1", 0);
  cnet_socket *c;
  cnet_connect_options o = {.port = port, .host = "127.0.0.1"};
  ASSERT_EQ(0, cnet_connect(loop, &o, fill_write, NULL, &c));
  test_run(loop);
  ASSERT(fill.ended);
  ASSERT_EQ(1, fill.drains);
  ASSERT_EQ(fill.sent, fill.got_len);
  for (size_t i = 0; i < fill.got_len; i++)
    if (fill.got[i] != fill_byte(i)) fail_msg("byte %zu differs", i);
  free(fill.got);
  test_loop_close(loop);
}

/* listen({fd}) on an inherited Unix socket. Node cannot listen twice on
 * one descriptor, so this was checked with a parent that listens on a path,
 * spawns `node child.js` with stdio [..., server._handle.fd], renames the
 * path (so that its own close unlinks nothing) and closes. child.js:
 *   const s = net.createServer((c) => { console.log(c.address(),
 *     c.remoteAddress, c.localAddress); c.destroy(); s.close(() =>
 *     console.log(s.address(), fs.existsSync(path))); });
 *   s.listen({fd: 3}, () => console.log(s._handle.constructor.name,
 *     s.address()));  // then net.connect(path)
 * Node 20.20 prints `Pipe null`, `{} undefined undefined`, `null true`;
 * with an earlier s.listen(other) + close, address() is "other" (its stale
 * _pipeName) while listening and after close, and neither path is
 * unlinked (other was, by its own close). On an inherited TCP fd after a
 * listen(other) + close, Node prints `TCP {"address":"127.0.0.1",...}`,
 * accepted sockets have their addresses, and after close address() is
 * "other" again. */
static struct {
  int connections;
  int local, remote;
} inherited;

static void inherited_connection(const cnet_event *ev, void *arg) {
  cnet_address a;
  (void)arg;
  inherited.connections++;
  inherited.local = cnet_socket_local_address(ev->object, &a);
  inherited.remote = cnet_socket_remote_address(ev->object, &a);
  cnet_socket_destroy(ev->object, NULL);
  cnet_server_close(ev->target, NULL, NULL);
}

static int unix_listener(const char *path) {
  struct sockaddr_un un = {.sun_family = AF_UNIX};
  snprintf(un.sun_path, sizeof un.sun_path, "%s", path);
  unlink(path);
  int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  ASSERT(fd >= 0);
  ASSERT_EQ(0, bind(fd, (struct sockaddr *)&un, sizeof un));
  ASSERT_EQ(0, listen(fd, 8));
  return fd;
}

static void listen_inherited_unix(bool after_path) {
  char mine[64], earlier[64];
  struct stat st;
  cnet_address a;
  snprintf(mine, sizeof mine, "/tmp/cnet-inherited-%d.sock", (int)getpid());
  snprintf(earlier, sizeof earlier, "/tmp/cnet-earlier-%d.sock", (int)getpid());
  cnet_loop *loop = test_loop();
  memset(&inherited, 0, sizeof inherited);
  cnet_server *srv = NULL;
  cnet_create_server(loop, NULL, inherited_connection, NULL, &srv);
  if (after_path) {
    unlink(earlier);
    ASSERT_EQ(0, cnet_server_listen_path(srv, earlier));
    cnet_server_close(srv, NULL, NULL);
    test_run(loop);
    ASSERT_NE(0, stat(earlier, &st));
    /* Someone else's file now: the fd listen's close must leave it. */
    FILE *f = fopen(earlier, "w");
    ASSERT_NOT_NULL(f);
    fclose(f);
  }
  cnet_listen_options o = {.has_fd = true, .fd = unix_listener(mine)};
  ASSERT_EQ(0, cnet_server_listen_options(srv, &o));
  if (after_path) {
    ASSERT_EQ(0, cnet_server_address(srv, &a));
    ASSERT_STR_EQ(earlier, a.address);
  } else {
    ASSERT_EQ(CNET_EBADF, cnet_server_address(srv, &a));
  }
  cnet_socket *c;
  cnet_connect_options co = {.path = mine};
  ASSERT_EQ(0, cnet_connect(loop, &co, NULL, NULL, &c));
  test_run(loop);
  ASSERT_EQ(1, inherited.connections);
  ASSERT_EQ(CNET_ENOTSUP, inherited.local);
  ASSERT_EQ(CNET_ENOTSUP, inherited.remote);
  ASSERT_EQ(after_path ? 0 : CNET_EBADF, cnet_server_address(srv, &a));
  ASSERT_EQ(0, stat(mine, &st)); /* not cnet's to unlink */
  unlink(mine);
  if (after_path) {
    ASSERT_EQ(0, stat(earlier, &st));
    unlink(earlier);
  }
  cnet_server_free(srv);
  test_loop_close(loop);
}

CNET_TEST(listen_on_an_inherited_unix_fd_is_a_pipe_cnet_does_not_unlink) {
  listen_inherited_unix(false);
}

CNET_TEST(listen_on_an_inherited_unix_fd_after_a_path_unlinks_neither) {
  listen_inherited_unix(true);
}

CNET_TEST(listen_on_an_inherited_tcp_fd_after_a_path_is_tcp) {
  char earlier[64];
  cnet_address a;
  snprintf(earlier, sizeof earlier, "/tmp/cnet-earlier-%d.sock", (int)getpid());
  unlink(earlier);
  cnet_loop *loop = test_loop();
  memset(&inherited, 0, sizeof inherited);
  cnet_server *srv = NULL;
  cnet_create_server(loop, NULL, inherited_connection, NULL, &srv);
  ASSERT_EQ(0, cnet_server_listen_path(srv, earlier));
  cnet_server_close(srv, NULL, NULL);
  test_run(loop);
  struct sockaddr_in in = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
  socklen_t len = sizeof in;
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  ASSERT(fd >= 0);
  ASSERT_EQ(0, bind(fd, (struct sockaddr *)&in, sizeof in));
  ASSERT_EQ(0, listen(fd, 8));
  ASSERT_EQ(0, getsockname(fd, (struct sockaddr *)&in, &len));
  cnet_listen_options o = {.has_fd = true, .fd = fd};
  ASSERT_EQ(0, cnet_server_listen_options(srv, &o));
  ASSERT_EQ(0, cnet_server_address(srv, &a));
  ASSERT_STR_EQ("127.0.0.1", a.address);
  ASSERT_EQ(ntohs(in.sin_port), a.port);
  cnet_socket *c;
  cnet_connect_options co = {.port = ntohs(in.sin_port), .host = "127.0.0.1"};
  ASSERT_EQ(0, cnet_connect(loop, &co, NULL, NULL, &c));
  test_run(loop);
  ASSERT_EQ(1, inherited.connections);
  ASSERT_EQ(0, inherited.local);
  ASSERT_EQ(0, inherited.remote);
  ASSERT_EQ(0, cnet_server_address(srv, &a));
  ASSERT_STR_EQ(earlier, a.address);
  cnet_server_free(srv);
  test_loop_close(loop);
}
