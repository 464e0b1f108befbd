/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* cnet-test-labels: unit threads
 * Other threads talking to a loop: cnet_loop_post and cnet_async. These
 * tests also run under ThreadSanitizer (make test-tsan). */
#include "harness.h"

#include <pthread.h>
#include <stdlib.h>

#define POSTS 1000

static cnet_async keepalive;
static int received[POSTS];
static int received_count;

static void on_post(void *arg) {
  int i = (int)(intptr_t)arg;
  received[received_count++] = i;
  if (received_count == POSTS) cnet_async_close(&keepalive);
}

static void on_async_unused(cnet_async *a, void *arg) {
  (void)a;
  (void)arg;
}

static void *poster(void *arg) {
  cnet_loop *loop = arg;
  for (int i = 0; i < POSTS; i++)
    if (cnet_loop_post(loop, on_post, (void *)(intptr_t)i) != 0) abort();
  return NULL;
}

CNET_TEST(posts_from_another_thread_run_in_order) {
  cnet_loop *loop = test_loop();
  received_count = 0;
  /* The async keeps the loop alive until the last post has run. */
  ASSERT_EQ(0, cnet_async_init(loop, &keepalive, on_async_unused, NULL));
  pthread_t th;
  ASSERT_EQ(0, pthread_create(&th, NULL, poster, loop));
  test_run(loop);
  ASSERT_EQ(0, pthread_join(th, NULL));
  ASSERT_EQ(POSTS, received_count);
  for (int i = 0; i < POSTS; i++) ASSERT_EQ(i, received[i]);
  test_loop_close(loop);
}

static cnet_timer long_timer;

static void stop_long_timer(void *arg) {
  (void)arg;
  test_trace("posted");
  cnet_clear_timeout(&long_timer);
}

static void never(cnet_timer *t, void *arg) {
  (void)t;
  (void)arg;
  test_trace("timer");
}

static void *post_once(void *arg) {
  cnet_loop_post(arg, stop_long_timer, NULL);
  return NULL;
}

CNET_TEST(post_wakes_a_loop_waiting_in_poll) {
  cnet_loop *loop = test_loop();
  cnet_timer_init(loop, &long_timer);
  /* Without the wake-up the loop would sleep for an hour (and the test
   * would time out). */
  cnet_set_timeout(&long_timer, never, NULL, 3600 * 1000);
  pthread_t th;
  ASSERT_EQ(0, pthread_create(&th, NULL, post_once, loop));
  test_run(loop);
  ASSERT_EQ(0, pthread_join(th, NULL));
  ASSERT_TRACE("posted");
  test_loop_close(loop);
}

#define SENDS 10000
static atomic_int produced;
static int consumed_calls;

static void on_async(cnet_async *a, void *arg) {
  (void)arg;
  consumed_calls++;
  if (atomic_load(&produced) == SENDS) cnet_async_close(a);
}

static void *sender(void *arg) {
  cnet_async *a = arg;
  for (int i = 0; i < SENDS; i++) {
    atomic_fetch_add(&produced, 1);
    cnet_async_send(a);
  }
  return NULL;
}

CNET_TEST(async_sends_are_coalesced_and_none_is_lost) {
  cnet_loop *loop = test_loop();
  cnet_async a;
  atomic_store(&produced, 0);
  consumed_calls = 0;
  ASSERT_EQ(0, cnet_async_init(loop, &a, on_async, NULL));
  pthread_t th;
  ASSERT_EQ(0, pthread_create(&th, NULL, sender, &a));
  /* The loop runs until the callback has seen the last send, which
   * proves a send after the last callback is never dropped. */
  test_run(loop);
  ASSERT_EQ(0, pthread_join(th, NULL));
  ASSERT(consumed_calls >= 1);
  ASSERT(consumed_calls <= SENDS);
  test_loop_close(loop);
}

static void *post_then_exit(void *arg) {
  cnet_loop_post(arg, stop_long_timer, NULL);
  return NULL;
}

CNET_TEST(posts_pending_at_close_still_run) {
  cnet_loop *loop = test_loop();
  cnet_timer_init(loop, &long_timer);
  pthread_t th;
  ASSERT_EQ(0, pthread_create(&th, NULL, post_then_exit, loop));
  ASSERT_EQ(0, pthread_join(th, NULL));
  test_loop_close(loop); /* runs the post */
  ASSERT_TRACE("posted");
}

CNET_TEST(unref_async_does_not_keep_run_alive) {
  cnet_loop *loop = test_loop();
  cnet_async a;
  ASSERT_EQ(0, cnet_async_init(loop, &a, on_async_unused, NULL));
  ASSERT(cnet_loop_alive(loop));
  cnet_async_unref(&a);
  ASSERT(!cnet_loop_alive(loop));
  test_run(loop);
  cnet_async_close(&a);
  test_loop_close(loop);
}
