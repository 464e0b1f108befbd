/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* cnet-test-labels: redis
 * hiredis driven by a cnet loop (include/cnet/adapters/hiredis.h), against
 * a redis-server each test starts on a free port of its own. */
#include "harness.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <hiredis/async.h>

#include "cnet/adapters/hiredis.h"

static pid_t server_pid;
static int server_port;

/* A port nothing listens on as the call returns: the kernel's pick. */
static int free_port(void) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  ASSERT(fd >= 0);
  struct sockaddr_in a = {.sin_family = AF_INET,
                          .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
  socklen_t len = sizeof a;
  ASSERT_EQ(0, bind(fd, (struct sockaddr *)&a, sizeof a));
  ASSERT_EQ(0, getsockname(fd, (struct sockaddr *)&a, &len));
  close(fd);
  return ntohs(a.sin_port);
}

static uint64_t now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static bool accepts(int port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in a = {.sin_family = AF_INET,
                          .sin_port = htons((uint16_t)port),
                          .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
  bool ok = connect(fd, (struct sockaddr *)&a, sizeof a) == 0;
  close(fd);
  return ok;
}

static void server_exec(int port) {
  char p[16];
  snprintf(p, sizeof p, "%d", port);
  int devnull = open("/dev/null", O_WRONLY);
  dup2(devnull, STDOUT_FILENO);
  execlp("redis-server", "redis-server", "--port", p, "--bind", "127.0.0.1",
         "--save", "", "--appendonly", "no", "--loglevel", "warning",
         (char *)NULL);
  _exit(127);
}

/* Starts redis-server and polls its port until it accepts (10 s at most),
 * failing the test if the server dies first. */
static void server_start(void) {
  server_port = free_port();
  server_pid = fork();
  ASSERT(server_pid >= 0);
  if (server_pid == 0) server_exec(server_port);
  uint64_t deadline = now_ms() + 10000;
  while (!accepts(server_port)) {
    int status;
    ASSERT_EQ(0, waitpid(server_pid, &status, WNOHANG));
    ASSERT(now_ms() < deadline);
    struct timespec tick = {0, 5 * 1000 * 1000};
    nanosleep(&tick, NULL); /* between polls of the port */
  }
}

static void server_stop(void) {
  int status;
  ASSERT_EQ(0, kill(server_pid, SIGKILL));
  ASSERT_EQ(server_pid, waitpid(server_pid, &status, 0));
}

static redisAsyncContext *connect_attached(cnet_loop *loop, int port) {
  redisAsyncContext *ac = redisAsyncConnect("127.0.0.1", port);
  ASSERT_NOT_NULL(ac);
  ASSERT_EQ(0, ac->err);
  ASSERT_EQ(0, cnet_redis_attach(loop, ac));
  return ac;
}

static int disconnects;

static void count_disconnect(const redisAsyncContext *ac, int status) {
  (void)ac;
  ASSERT_EQ(REDIS_OK, status);
  disconnects++;
}

static void on_get(redisAsyncContext *ac, void *reply, void *arg) {
  (void)arg;
  redisReply *r = reply;
  ASSERT_NOT_NULL(r);
  ASSERT_EQ(REDIS_REPLY_STRING, r->type);
  test_trace("get:%s", r->str);
  redisAsyncDisconnect(ac);
}

static void on_set(redisAsyncContext *ac, void *reply, void *arg) {
  (void)ac;
  (void)arg;
  redisReply *r = reply;
  ASSERT_NOT_NULL(r);
  test_trace("set:%s", r->str);
}

CNET_TEST(redis_set_get_round_trip) {
  server_start();
  cnet_loop *loop = test_loop();
  redisAsyncContext *ac = connect_attached(loop, server_port);
  redisAsyncSetDisconnectCallback(ac, count_disconnect);
  redisAsyncCommand(ac, on_set, NULL, "SET %s %s", "greeting", "hello");
  redisAsyncCommand(ac, on_get, NULL, "GET %s", "greeting");
  test_run(loop);
  ASSERT_TRACE("set:OK get:hello");
  ASSERT_EQ(1, disconnects);
  test_loop_close(loop);
  server_stop();
}

#define MESSAGES 5
static redisAsyncContext *publisher;

static void on_published(redisAsyncContext *ac, void *reply, void *arg) {
  ASSERT_NOT_NULL(reply);
  if ((intptr_t)arg == MESSAGES) redisAsyncDisconnect(ac);
}

/* The subscription's replies: the confirmation, then each message. */
static void on_channel(redisAsyncContext *ac, void *reply, void *arg) {
  (void)arg;
  redisReply *r = reply;
  if (!r) return; /* the subscription ends with the context */
  ASSERT_EQ(REDIS_REPLY_ARRAY, r->type);
  ASSERT_EQ(3, (int)r->elements);
  if (strcmp(r->element[0]->str, "subscribe") == 0) {
    for (intptr_t i = 1; i <= MESSAGES; i++)
      redisAsyncCommand(publisher, on_published, (void *)i,
                        "PUBLISH room m%d", (int)i);
    return;
  }
  ASSERT_STR_EQ("message", r->element[0]->str);
  test_trace("%s", r->element[2]->str);
  if (strcmp(r->element[2]->str, "m" "5") == 0) redisAsyncDisconnect(ac);
}

CNET_TEST(redis_publish_reaches_subscriber_in_order) {
  server_start();
  cnet_loop *loop = test_loop();
  redisAsyncContext *sub = connect_attached(loop, server_port);
  publisher = connect_attached(loop, server_port);
  redisAsyncSetDisconnectCallback(sub, count_disconnect);
  redisAsyncSetDisconnectCallback(publisher, count_disconnect);
  redisAsyncCommand(sub, on_channel, NULL, "SUBSCRIBE room");
  test_run(loop);
  ASSERT_TRACE("m1 m2 m3 m4 m5");
  ASSERT_EQ(2, disconnects);
  test_loop_close(loop);
  server_stop();
}

static redisAsyncContext *slow;
static uint64_t sent_at;

static void on_timed_out(redisAsyncContext *ac, void *reply, void *arg) {
  (void)arg;
  ASSERT_NULL(reply);
  ASSERT_NE(0, ac->err);
  ASSERT_STR_EQ("Timeout", ac->errstr);
  uint64_t waited = now_ms() - sent_at;
  ASSERT(waited >= 190 && waited < 5000);
  test_trace("timeout");
}

static void on_slow_gone(const redisAsyncContext *ac, int status) {
  (void)status; /* REDIS_OK before hiredis 1.0, REDIS_ERR after */
  ASSERT_STR_EQ("Timeout", ac->errstr);
  test_trace("disconnect");
}

/* The server paused, the other context's GET waits past its timeout. */
static void on_paused(redisAsyncContext *ac, void *reply, void *arg) {
  (void)arg;
  ASSERT_NOT_NULL(reply);
  ASSERT_EQ(0, cnet_redis_set_timeout(slow, 200));
  sent_at = now_ms();
  redisAsyncCommand(slow, on_timed_out, NULL, "GET k");
  redisAsyncDisconnect(ac);
}

CNET_TEST(redis_command_timeout_fires_on_the_loop) {
  server_start();
  cnet_loop *loop = test_loop();
  redisAsyncContext *admin = connect_attached(loop, server_port);
  slow = connect_attached(loop, server_port);
  redisAsyncSetDisconnectCallback(slow, on_slow_gone);
  redisAsyncCommand(admin, on_paused, NULL, "CLIENT PAUSE 10000 ALL");
  test_run(loop);
  ASSERT_TRACE("timeout disconnect");
  test_loop_close(loop);
  server_stop();
}

static void on_pong(redisAsyncContext *ac, void *reply, void *arg) {
  (void)arg;
  ASSERT_NOT_NULL(reply);
  redisAsyncFree(ac);
}

CNET_TEST(redis_free_in_reply_detaches) {
  server_start();
  cnet_loop *loop = test_loop();
  redisAsyncContext *ac = connect_attached(loop, server_port);
  ASSERT_EQ(0, cnet_redis_set_timeout(ac, 60000));
  redisAsyncSetDisconnectCallback(ac, count_disconnect);
  redisAsyncCommand(ac, on_pong, NULL, "PING");
  test_run(loop);
  ASSERT_EQ(1, disconnects);
  test_loop_close(loop);
  server_stop();
}

static void on_dropped(redisAsyncContext *ac, void *reply, void *arg) {
  (void)ac;
  (void)arg;
  ASSERT_NULL(reply);
  test_trace("dropped");
}

CNET_TEST(redis_free_before_connect_detaches) {
  server_start();
  cnet_loop *loop = test_loop();
  redisAsyncContext *ac = connect_attached(loop, server_port);
  redisAsyncCommand(ac, on_dropped, NULL, "PING");
  redisAsyncFree(ac);
  ASSERT_TRACE("dropped");
  test_run(loop);
  test_loop_close(loop);
  server_stop();
}

/* hiredis < 1.0 copies the error into ac->err only after this callback:
 * the connection's own (ac->c) has it first. */
static void on_connect(const redisAsyncContext *ac, int status) {
  ASSERT_EQ(REDIS_ERR, status);
  ASSERT_EQ(REDIS_ERR_IO, ac->c.err);
  test_trace("connect:%s", ac->c.errstr);
}

CNET_TEST(redis_refused_connect_reaches_connect_callback) {
  cnet_loop *loop = test_loop();
  redisAsyncContext *ac = connect_attached(loop, free_port());
  redisAsyncSetConnectCallback(ac, on_connect);
  test_run(loop);
  ASSERT_TRACE("connect:Connection refused");
  test_loop_close(loop);
}

CNET_TEST(redis_attach_twice_is_einval) {
  cnet_loop *loop = test_loop();
  redisAsyncContext *ac = connect_attached(loop, free_port());
  ASSERT_EQ(CNET_EINVAL, cnet_redis_attach(loop, ac));
  ASSERT_EQ(CNET_EINVAL, cnet_redis_attach(NULL, ac));
  redisAsyncFree(ac);
  test_loop_close(loop);
}

CNET_TEST(redis_timeout_of_unattached_context_is_einval) {
  redisAsyncContext *ac = redisAsyncConnect("127.0.0.1", free_port());
  ASSERT_NOT_NULL(ac);
  ASSERT_EQ(CNET_EINVAL, cnet_redis_set_timeout(ac, 100));
  ASSERT_EQ(CNET_EINVAL, cnet_redis_set_timeout(NULL, 100));
  redisAsyncFree(ac);
}
