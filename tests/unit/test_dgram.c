/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* dgram behaviours that a Node-vs-cnet trace cannot show: batches of
 * messages, errors, the socket's lifetime around pending work, and the
 * parts of Node's API that only C needs to check (bind({fd}), the
 * deferred bind). Where a message's data lives and what happens when the
 * kernel refuses a datagram need the inside: tests/internal/test_dgram.c. */
#include "harness.h"
#include "dgram_bound.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

/* ---- receiving ------------------------------------------------------------ */

static void close_on_first(const cnet_event *ev, void *arg) {
  (void)arg;
  test_trace("message:%.*s", (int)ev->len, ev->data);
  if (cnet_dgram_close(ev->target, NULL, NULL) == 0) test_trace("closed");
}

static int target_port;

static void send_five(void *target, const cnet_error *err, void *arg) {
  (void)target;
  (void)err;
  
  cnet_dgram *s = arg;
  for (int i = 0; i < 5; i++) {
    char c = (char)('0' + i);
    ASSERT_EQ(0, cnet_dgram_send(s, &c, 1, target_port, "127.0.0.1", NULL, NULL));
  }
}

CNET_TEST(closing_in_a_message_listener_stops_the_batch) {
  cnet_loop *loop = test_loop();
  int port;
  cnet_dgram *r = bound_socket(loop, close_on_first, NULL, &port);
  cnet_on(r, CNET_EV_CLOSE, trace_close, "r-close");
  target_port = port;
  cnet_dgram *s = NULL;
  cnet_dgram_create(loop, "udp4", NULL, NULL, &s);
  /* All five are in r's kernel queue before r reads any. */
  ASSERT_EQ(0, cnet_dgram_bind(s, 0, "127.0.0.1", send_five, s));
  cnet_loop_run(loop, CNET_RUN_ONCE);
  cnet_dgram_close(s, NULL, NULL);
  test_run(loop);
  ASSERT_TRACE("message:0 closed r-close");
  test_loop_close(loop);
}

/* ---- errors ---------------------------------------------------------------- */

CNET_TEST(an_unhandled_error_is_printed_and_closes_the_socket) {
  cnet_loop *loop = test_loop();
  test_trace_reset();
  cnet_dgram *s = NULL;
  cnet_dgram_create(loop, "udp4", NULL, NULL, &s);
  cnet_on(s, CNET_EV_CLOSE, trace_close, "close");
  ASSERT_EQ(0, cnet_dgram_bind(s, 0, "::1", NULL, NULL));
  test_stderr_begin();
  test_run(loop);
  const char *err = test_stderr_end();
  ASSERT(strstr(err, "unhandled 'error' event on udp") != NULL);
  ASSERT(strstr(err, "bind EINVAL ::1") != NULL);
  ASSERT_TRACE("close");
  test_loop_close(loop);
}

CNET_TEST(last_error_keeps_the_failed_calls_error) {
  cnet_loop *loop = test_loop();
  cnet_dgram *s = NULL;
  cnet_dgram_create(loop, "udp4", NULL, NULL, &s);
  ASSERT_EQ(0, cnet_last_error()->code);
  ASSERT_EQ(CNET_EINVAL, cnet_dgram_set_ttl(s, 0));
  const cnet_error *e = cnet_last_error();
  ASSERT_EQ(CNET_EINVAL, e->code);
  ASSERT_STR_EQ("setTTL", e->syscall);
  ASSERT_STR_EQ("setTTL EINVAL", e->message);
  /* A call that succeeds leaves it alone. */
  ASSERT_EQ(0, cnet_dgram_bind(s, 0, "127.0.0.1", NULL, NULL));
  ASSERT_STR_EQ("setTTL EINVAL", cnet_last_error()->message);
  cnet_dgram *bad = s;
  ASSERT_EQ(CNET_ERR_SOCKET_BAD_TYPE,
            cnet_dgram_create(loop, "udp5", NULL, NULL, &bad));
  ASSERT_NULL(bad);
  ASSERT_STR_EQ("TypeError", cnet_error_class(cnet_last_error()->code));
  ASSERT_EQ(CNET_EINVAL, cnet_dgram_create(NULL, "udp4", NULL, NULL, &bad));
  cnet_dgram_close(s, NULL, NULL);
  test_run(loop);
  test_loop_close(loop);
}

/* ---- lifetime ---------------------------------------------------------------- */

static void trace_send(void *s, const cnet_error *err, void *arg) {
  (void)s;
  
  (void)arg;
  test_trace("send-cb:%s", err ? err->message : "ok");
}

CNET_TEST(a_socket_closed_during_a_name_lookup_lives_until_it_ends) {
  cnet_loop *loop = test_loop();
  test_trace_reset();
  int port;
  cnet_dgram *r = bound_socket(loop, NULL, NULL, &port);
  cnet_dgram *s = bound_socket(loop, NULL, NULL, NULL);
  cnet_on(s, CNET_EV_CLOSE, trace_close, "close");
  /* The lookup runs on a worker thread; the socket is gone by its end:
   * Node drops such a send without calling back. */
  ASSERT_EQ(0, cnet_dgram_send(s, "x", 1, port, "localhost", trace_send, NULL));
  ASSERT_EQ(0, cnet_dgram_close(s, NULL, NULL));
  cnet_dgram_close(r, NULL, NULL);
  test_run(loop);
  ASSERT_TRACE("close");
  test_loop_close(loop); /* and ASan: nothing leaked, nothing used after free */
}

CNET_TEST(a_socket_closed_while_binding_to_a_name_never_listens) {
  cnet_loop *loop = test_loop();
  test_trace_reset();
  cnet_dgram *s = NULL;
  cnet_dgram_create(loop, "udp4", NULL, NULL, &s);
  cnet_on(s, CNET_EV_LISTENING, trace_close, "listening");
  cnet_on(s, CNET_EV_CLOSE, trace_close, "close");
  ASSERT_EQ(0, cnet_dgram_bind(s, 0, "localhost", trace_done, "bind-cb"));
  ASSERT_EQ(0, cnet_dgram_close(s, NULL, NULL));
  test_run(loop);
  ASSERT_TRACE("close");
  test_loop_close(loop);
}

/* ---- bind({fd}) and libuv's deferred bind ------------------------------------ */

CNET_TEST(bind_fd_listens_from_inside_the_call) {
  cnet_loop *loop = test_loop();
  test_trace_reset();
  int fd = socket(AF_INET, SOCK_DGRAM, 0);
  struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
  ASSERT_EQ(0, bind(fd, (struct sockaddr *)&a, sizeof a));
  socklen_t len = sizeof a;
  getsockname(fd, (struct sockaddr *)&a, &len);
  cnet_dgram *s = NULL;
  cnet_dgram_create(loop, "udp4", NULL, NULL, &s);
  cnet_bind_options o = {.fd = fd};
  ASSERT_EQ(0, cnet_dgram_bind_options(s, &o, trace_done, "listening"));
  ASSERT_TRACE("listening");
  cnet_address addr;
  ASSERT_EQ(0, cnet_dgram_address(s, &addr));
  ASSERT_STR_EQ("127.0.0.1", addr.address);
  ASSERT_EQ(ntohs(a.sin_port), addr.port);
  ASSERT_EQ(CNET_ERR_SOCKET_ALREADY_BOUND, cnet_dgram_bind(s, 0, NULL, NULL, NULL));
  cnet_dgram_close(s, NULL, NULL); /* closes fd */
  test_run(loop);

  int tcp = socket(AF_INET, SOCK_STREAM, 0);
  cnet_dgram *t = NULL;
  cnet_dgram_create(loop, "udp4", NULL, NULL, &t);
  o.fd = tcp;
  ASSERT_EQ(CNET_ERR_INVALID_FD_TYPE, cnet_dgram_bind_options(t, &o, NULL, NULL));
  ASSERT_STR_EQ("Unsupported fd type: TCP", cnet_last_error()->message);
  /* The failed call left the socket unbound: it can bind normally. */
  ASSERT_EQ(0, cnet_dgram_bind(t, 0, "127.0.0.1", NULL, NULL));
  close(tcp);
  cnet_dgram_close(t, NULL, NULL);
  test_run(loop);
  test_loop_close(loop);
}

static void trace_error(const cnet_event *ev, void *arg) {
  (void)arg;
  test_trace("error:%s", ev->error->message);
}

CNET_TEST(add_membership_before_bind_binds_the_wildcard_as_libuv_does) {
  cnet_loop *loop = test_loop();
  test_trace_reset();
  cnet_dgram *s = NULL;
  cnet_dgram_create(loop, "udp4", NULL, NULL, &s);
  ASSERT_EQ(0, cnet_dgram_add_membership(s, "230.1.2.3", "127.0.0.1"));
  cnet_address a;
  ASSERT_EQ(0, cnet_dgram_address(s, &a));
  ASSERT_STR_EQ("0.0.0.0", a.address);
  ASSERT(a.port > 0);
  /* Node's bind then fails: the fd is bound already. */
  cnet_on(s, CNET_EV_ERROR, trace_error, NULL);
  ASSERT_EQ(0, cnet_dgram_bind(s, 0, NULL, NULL, NULL));
  test_run(loop);
  ASSERT_TRACE("error:bind EINVAL 0.0.0.0");
  cnet_dgram_close(s, NULL, NULL);
  test_run(loop);
  test_loop_close(loop);
}

CNET_TEST(reuse_port_lets_two_sockets_share_a_port) {
  cnet_loop *loop = test_loop();
  cnet_dgram_options o = {.type = "udp4", .reuse_port = true};
  cnet_dgram *a = NULL;
  cnet_dgram_create_options(loop, &o, NULL, NULL, &a);
  ASSERT_EQ(0, cnet_dgram_bind(a, 0, "127.0.0.1", stop_loop, loop));
  cnet_loop_run(loop, CNET_RUN_DEFAULT);
  cnet_address x, y;
  ASSERT_EQ(0, cnet_dgram_address(a, &x));
  cnet_dgram *b = NULL;
  cnet_dgram_create_options(loop, &o, NULL, NULL, &b);
  ASSERT_EQ(0, cnet_dgram_bind(b, x.port, "127.0.0.1", stop_loop, loop));
  cnet_loop_run(loop, CNET_RUN_DEFAULT);
  ASSERT_EQ(0, cnet_dgram_address(b, &y));
  ASSERT_EQ(x.port, y.port);
  cnet_dgram_close(a, NULL, NULL);
  cnet_dgram_close(b, NULL, NULL);
  test_run(loop);
  test_loop_close(loop);
}

/* ---- addresses: a server answering the same peers ---------------------------- */

static cnet_dgram *bound_at(cnet_loop *loop, const char *ip,
                            cnet_listener on_message, void *arg, int *port) {
  cnet_dgram *s = NULL;
  cnet_dgram_create(loop, "udp4", on_message, arg, &s);
  ASSERT_NOT_NULL(s);
  ASSERT_EQ(0, cnet_dgram_bind(s, 0, ip, stop_loop, loop));
  cnet_loop_run(loop, CNET_RUN_DEFAULT);
  cnet_address a;
  ASSERT_EQ(0, cnet_dgram_address(s, &a));
  *port = a.port;
  return s;
}

static int port_a, port_b;
static int received;

static void trace_rinfo(const cnet_event *ev, void *arg) {
  ASSERT_EQ(ev->data[0] == 'a' ? port_a : port_b, ev->rinfo->port);
  test_trace("%.*s:%s:%s", (int)ev->len, ev->data, ev->rinfo->address,
             ev->rinfo->family);
  if (++received == 3) {
    cnet_dgram **all = arg;
    for (int i = 0; i < 3; i++) cnet_dgram_close(all[i], NULL, NULL);
  }
}

CNET_TEST(rinfo_names_each_sender_when_senders_alternate) {
  cnet_loop *loop = test_loop();
  test_trace_reset();
  received = 0;
  int port;
  cnet_dgram *all[3];
  all[0] = bound_at(loop, "127.0.0.1", trace_rinfo, all, &port);
  all[1] = bound_at(loop, "127.0.0.1", NULL, NULL, &port_a);
  all[2] = bound_at(loop, "127.10.200.3", NULL, NULL, &port_b);
  /* Sent from inside the calls: all three wait in the receiver's queue. */
  ASSERT_EQ(0, cnet_dgram_send(all[1], "a", 1, port, "127.0.0.1", NULL, NULL));
  ASSERT_EQ(0, cnet_dgram_send(all[2], "b", 1, port, "127.0.0.1", NULL, NULL));
  ASSERT_EQ(0, cnet_dgram_send(all[1], "a", 1, port, "127.0.0.1", NULL, NULL));
  test_run(loop);
  ASSERT_TRACE("a:127.0.0.1:IPv4 b:127.10.200.3:IPv4 a:127.0.0.1:IPv4");
  test_loop_close(loop);
}

static char got1[8], got2[8];
static cnet_dgram *receivers[2];

static void append_data(const cnet_event *ev, void *arg) {
  char *got = arg;
  strncat(got, ev->data, ev->len);
  if (++received == 3) {
    cnet_dgram_close(receivers[0], NULL, NULL);
    cnet_dgram_close(receivers[1], NULL, NULL);
  }
}

CNET_TEST(sends_reach_each_address_when_addresses_alternate) {
  cnet_loop *loop = test_loop();
  received = 0;
  got1[0] = got2[0] = '\0';
  int p1, p2, unused;
  receivers[0] = bound_at(loop, "127.0.0.1", append_data, got1, &p1);
  receivers[1] = bound_at(loop, "127.0.0.2", append_data, got2, &p2);
  cnet_dgram *s = bound_at(loop, "127.0.0.1", NULL, NULL, &unused);
  ASSERT_EQ(0, cnet_dgram_send(s, "1", 1, p1, "127.0.0.1", NULL, NULL));
  ASSERT_EQ(0, cnet_dgram_send(s, "2", 1, p2, "127.0.0.2", NULL, NULL));
  ASSERT_EQ(0, cnet_dgram_send(s, "3", 1, p1, "127.0.0.1", NULL, NULL));
  cnet_dgram_close(s, NULL, NULL);
  test_run(loop);
  ASSERT_STR_EQ("13", got1);
  ASSERT_STR_EQ("2", got2);
  test_loop_close(loop);
}

static int callbacks;
static cnet_dgram *to_close[2];

static void trace_send_then_close(void *s, const cnet_error *err, void *arg) {
  trace_send(s, err, arg);
  if (++callbacks == 3) {
    cnet_dgram_close(to_close[0], NULL, NULL);
    cnet_dgram_close(to_close[1], NULL, NULL);
  }
}

CNET_TEST(an_ipv6_address_fails_on_udp4_after_an_ipv4_one_was_sent_to) {
  cnet_loop *loop = test_loop();
  test_trace_reset();
  int port, unused;
  callbacks = 0;
  to_close[0] = bound_at(loop, "127.0.0.1", NULL, NULL, &port);
  cnet_dgram *s = to_close[1] = bound_at(loop, "127.0.0.1", NULL, NULL, &unused);
  ASSERT_EQ(0, cnet_dgram_send(s, "x", 1, port, "127.0.0.1", trace_send_then_close, NULL));
  ASSERT_EQ(0, cnet_dgram_send(s, "x", 1, port, "::1", trace_send_then_close, NULL));
  ASSERT_EQ(0, cnet_dgram_send(s, "x", 1, port, "127.0.0.1", trace_send_then_close, NULL));
  test_run(loop);
  char want[128];
  snprintf(want, sizeof want, "send-cb:ok send-cb:send EINVAL ::1:%d send-cb:ok", port);
  ASSERT_TRACE(want);
  test_loop_close(loop);
}

/* ---- bursts: a busy socket reads many datagrams per system call ------------- */

#define BURST 40
#define BIG 65507 /* the largest datagram over IPv4 */
static char big[BIG];
static int burst_seen, burst_close_at, burst_sender_port;
static cnet_dgram *burst_also_close;

static size_t burst_len(int i) {
  return i == BURST - 2 ? BIG : i == BURST - 1 ? 0 : (size_t)(1 + i % 7);
}

static void check_burst(const cnet_event *ev, void *arg) {
  (void)arg;
  int i = burst_seen++;
  ASSERT_EQ(burst_len(i), ev->len);
  ASSERT_EQ(burst_len(i), ev->rinfo->size);
  ASSERT_EQ(burst_sender_port, ev->rinfo->port);
  ASSERT_STR_EQ("127.0.0.1", ev->rinfo->address);
  if (i == BURST - 2) {
    ASSERT(memcmp(ev->data, big, BIG) == 0);
  } else {
    for (size_t k = 0; k < ev->len; k++) ASSERT_EQ('a' + i % 26, ev->data[k]);
  }
  if (burst_seen == burst_close_at) cnet_dgram_close(ev->target, NULL, NULL);
  if (burst_seen == BURST && burst_also_close)
    cnet_dgram_close(burst_also_close, NULL, NULL);
}

static void send_burst(cnet_dgram *s, int port) {
  for (size_t k = 0; k < BIG; k++) big[k] = (char)(k * 7);
  for (int i = 0; i < BURST; i++) {
    char small[8];
    memset(small, 'a' + i % 26, sizeof small);
    const char *data = i == BURST - 2 ? big : small;
    ASSERT_EQ(0, cnet_dgram_send(s, data, burst_len(i), port, "127.0.0.1", NULL, NULL));
  }
}

CNET_TEST(a_burst_arrives_whole_and_in_order_the_largest_datagram_too) {
  cnet_loop *loop = test_loop();
  int port;
  burst_seen = 0;
  burst_close_at = BURST;
  burst_also_close = NULL;
  cnet_dgram *r = bound_at(loop, "127.0.0.1", check_burst, NULL, &port);
  cnet_dgram *s = bound_at(loop, "127.0.0.1", NULL, NULL, &burst_sender_port);
  ASSERT_EQ(0, cnet_dgram_set_recv_buffer_size(r, 1 << 20)); /* room for all */
  send_burst(s, port); /* all in r's queue before it reads: 32, then 8 */
  cnet_dgram_close(s, NULL, NULL);
  test_run(loop);
  ASSERT_EQ(BURST, burst_seen);
  test_loop_close(loop);
}

CNET_TEST(closing_in_a_message_listener_stops_a_later_batch) {
  cnet_loop *loop = test_loop();
  int port;
  burst_seen = 0;
  burst_close_at = 35; /* in the second wake-up's batch */
  burst_also_close = NULL;
  cnet_dgram *r = bound_at(loop, "127.0.0.1", check_burst, NULL, &port);
  cnet_dgram *s = bound_at(loop, "127.0.0.1", NULL, NULL, &burst_sender_port);
  ASSERT_EQ(0, cnet_dgram_set_recv_buffer_size(r, 1 << 20));
  send_burst(s, port);
  cnet_dgram_close(s, NULL, NULL);
  test_run(loop);
  ASSERT_EQ(35, burst_seen);
  test_loop_close(loop);
}

/* Replies made by the listeners of a batch go out together when it ends
 * (one sendmmsg); what the sender sees must not change. */

static int echoed, echo_close_at;

static void echo_back(const cnet_event *ev, void *arg) {
  (void)arg;
  ASSERT_EQ(0, cnet_dgram_send(ev->target, ev->data, ev->len, ev->rinfo->port,
                               ev->rinfo->address, NULL, NULL));
  if (++echoed == echo_close_at) cnet_dgram_close(ev->target, NULL, NULL);
}

/* The reply from the listener's own memory, overwritten once sent. */
static void echo_a_copy(const cnet_event *ev, void *arg) {
  (void)arg;
  char *copy = malloc(ev->len + 1);
  ASSERT_NOT_NULL(copy);
  memcpy(copy, ev->data, ev->len);
  ASSERT_EQ(0, cnet_dgram_send(ev->target, copy, ev->len, ev->rinfo->port,
                               ev->rinfo->address, NULL, NULL));
  memset(copy, '!', ev->len);
  free(copy);
  echoed++;
}

static void run_echo_burst(cnet_listener echo, int close_at, int want_seen) {
  cnet_loop *loop = test_loop();
  int port;
  burst_seen = echoed = 0;
  echo_close_at = close_at;
  burst_close_at = want_seen < BURST ? want_seen : BURST;
  cnet_dgram *e = bound_at(loop, "127.0.0.1", echo, NULL, &port);
  cnet_dgram *s = bound_at(loop, "127.0.0.1", check_burst, NULL, &burst_sender_port);
  burst_sender_port = port; /* the replies come from e */
  burst_also_close = close_at ? NULL : e;
  ASSERT_EQ(0, cnet_dgram_set_recv_buffer_size(e, 1 << 20));
  ASSERT_EQ(0, cnet_dgram_set_recv_buffer_size(s, 1 << 20));
  send_burst(s, port);
  test_run(loop);
  ASSERT_EQ(want_seen, burst_seen);
  test_loop_close(loop);
}

CNET_TEST(replies_to_a_burst_arrive_whole_and_in_order) {
  run_echo_burst(echo_back, 0, BURST);
}

CNET_TEST(replies_from_the_listeners_memory_are_sent_as_they_were_at_the_call) {
  /* Small ones are held (copied); the 65507-byte one goes at once, after
   * the ones held before it. */
  run_echo_burst(echo_a_copy, 0, BURST);
}

CNET_TEST(closing_in_a_listener_sends_the_replies_made_before) {
  run_echo_burst(echo_back, 35, 35);
}
