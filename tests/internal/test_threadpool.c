/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* cnet-test-labels: unit threads
 * The worker pool (src/threadpool.c): work runs on pool threads, done on
 * the loop's thread; a submitted request keeps its loop alive; cancel
 * before start; several loops share the pool. No test sleeps: work that
 * must stay busy waits at a gate (a condition variable) that the test
 * opens. These tests also run under ThreadSanitizer (make test-tsan).
 *
 * Internal because the pool has no public API: cnet__work_submit,
 * cnet__work_cancel and the fast/slow kinds are the contract it offers to
 * fs streams and dns.lookup, and a test through those sees only what they
 * make of it (no cancel of a running request, no work of its own on a
 * pool thread, no lookup that blocks at will to fill the slow half).
 * The last test reads CNET_THREADPOOL_SIZE values through the parser
 * itself; through the environment each value would need a process of its
 * own and up to 1024 threads, counted. */
#include "harness.h"
#include "threadpool.h"

#include <pthread.h>
#include <stdlib.h>

/* ---- the gate ----------------------------------------------------------- */

static pthread_mutex_t gate_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t gate_cv = PTHREAD_COND_INITIALIZER;
static unsigned gate_arrived;
static bool gate_open;

static void gate_work(cnet__work *w) {
  (void)w;
  pthread_mutex_lock(&gate_mu);
  gate_arrived++;
  pthread_cond_broadcast(&gate_cv);
  while (!gate_open) pthread_cond_wait(&gate_cv, &gate_mu);
  pthread_mutex_unlock(&gate_mu);
}

/* Waits until n requests are blocked at the gate, i.e. running. */
static void gate_wait_arrivals(unsigned n) {
  pthread_mutex_lock(&gate_mu);
  while (gate_arrived < n) pthread_cond_wait(&gate_cv, &gate_mu);
  pthread_mutex_unlock(&gate_mu);
}

static void gate_release(void) {
  pthread_mutex_lock(&gate_mu);
  gate_open = true;
  pthread_cond_broadcast(&gate_cv);
  pthread_mutex_unlock(&gate_mu);
}

static void gate_reset(void) {
  pthread_mutex_lock(&gate_mu);
  gate_arrived = 0;
  gate_open = false;
  pthread_mutex_unlock(&gate_mu);
}

static int gate_done_calls;
static void gate_done(cnet__work *w, int status) {
  (void)w;
  ASSERT_EQ(0, status);
  gate_done_calls++;
}

/* Occupies every pool thread; returns how many there are. */
static cnet__work *blockers;
static unsigned occupy_pool(cnet_loop *loop) {
  unsigned n = cnet__threadpool_size();
  ASSERT(n >= 1);
  gate_reset();
  gate_done_calls = 0;
  blockers = calloc(n, sizeof *blockers);
  ASSERT_NOT_NULL(blockers);
  for (unsigned i = 0; i < n; i++)
    ASSERT_EQ(0, cnet__work_submit(loop, &blockers[i], gate_work, gate_done));
  gate_wait_arrivals(n);
  return n;
}

static void nop_work(cnet__work *w) { (void)w; }

/* ---- many submits from one loop ---------------------------------------- */

#define MANY 10000

struct item {
  cnet__work work;
  int index;
  pthread_t ran_on;
  bool ran;
};

static struct item items[MANY];
static pthread_t loop_thread;
static int done_calls;
static int done_wrong_thread;
static int done_bad_status;

static void item_work(cnet__work *w) {
  struct item *it = CNET__CONTAINER_OF(w, struct item, work);
  it->ran_on = pthread_self();
  it->ran = true;
}

static void item_done(cnet__work *w, int status) {
  struct item *it = CNET__CONTAINER_OF(w, struct item, work);
  if (!pthread_equal(pthread_self(), loop_thread)) done_wrong_thread++;
  if (status != 0 || !it->ran) done_bad_status++;
  done_calls++;
}

CNET_TEST(many_submits_from_one_loop_all_complete) {
  cnet_loop *loop = test_loop();
  loop_thread = pthread_self();
  done_calls = done_wrong_thread = done_bad_status = 0;
  for (int i = 0; i < MANY; i++) {
    items[i] = (struct item){.index = i};
    ASSERT_EQ(0, cnet__work_submit(loop, &items[i].work, item_work, item_done));
  }
  test_run(loop);
  ASSERT_EQ(MANY, done_calls);
  ASSERT_EQ(0, done_wrong_thread);
  ASSERT_EQ(0, done_bad_status);
  /* Nothing of the pool is left on the loop: it closes clean. */
  test_loop_close(loop);
}

CNET_TEST(work_runs_on_a_pool_thread_done_on_the_loop_thread) {
  cnet_loop *loop = test_loop();
  loop_thread = pthread_self();
  done_calls = done_wrong_thread = done_bad_status = 0;
  items[0] = (struct item){0};
  ASSERT_EQ(0, cnet__work_submit(loop, &items[0].work, item_work, item_done));
  test_run(loop);
  ASSERT_EQ(1, done_calls);
  ASSERT_EQ(0, done_wrong_thread);
  ASSERT(items[0].ran);
  ASSERT(!pthread_equal(items[0].ran_on, loop_thread));
  test_loop_close(loop);
}

/* ---- keeping the loop alive -------------------------------------------- */

static void open_gate_timer(cnet_timer *t, void *arg) {
  (void)t;
  (void)arg;
  test_trace("timer");
  gate_release();
}

static void traced_done(cnet__work *w, int status) {
  (void)w;
  test_trace("done:%d", status);
}

CNET_TEST(pending_work_keeps_the_loop_alive) {
  cnet_loop *loop = test_loop();
  gate_reset();
  cnet__work w;
  ASSERT(!cnet_loop_alive(loop));
  ASSERT_EQ(0, cnet__work_submit(loop, &w, gate_work, traced_done));
  ASSERT(cnet_loop_alive(loop));
  gate_wait_arrivals(1);
  /* The work is running and blocked: a non-blocking turn reports that
   * something is still pending. */
  ASSERT_EQ(1, cnet_loop_run(loop, CNET_RUN_NOWAIT));
  /* An unref'd timer opens the gate: it does not hold the loop, so only
   * the request keeps run going until done. */
  cnet_timer t;
  cnet_timer_init(loop, &t);
  cnet_timer_unref(&t);
  cnet_set_timeout(&t, open_gate_timer, NULL, 5);
  test_run(loop);
  ASSERT_TRACE("timer done:0");
  ASSERT(!cnet_loop_alive(loop));
  test_loop_close(loop);
}

/* ---- cancel -------------------------------------------------------------- */

static bool in_cancel;
static bool cancelled_work_ran;
static int cancelled_status = 1;

static void must_not_run(cnet__work *w) {
  (void)w;
  cancelled_work_ran = true;
}

static void cancelled_done(cnet__work *w, int status) {
  (void)w;
  ASSERT(!in_cancel); /* never from inside cnet__work_cancel */
  cancelled_status = status;
  test_trace("cancelled-done");
}

CNET_TEST(cancel_before_start_calls_done_with_ecanceled_later) {
  cnet_loop *loop = test_loop();
  unsigned n = occupy_pool(loop);
  cnet__work w;
  cancelled_work_ran = false;
  cancelled_status = 1;
  ASSERT_EQ(0, cnet__work_submit(loop, &w, must_not_run, cancelled_done));
  in_cancel = true;
  ASSERT_EQ(0, cnet__work_cancel(&w));
  in_cancel = false;
  ASSERT_EQ(1, cancelled_status); /* not yet */
  ASSERT_EQ(CNET_EALREADY, cnet__work_cancel(&w));
  /* A running request cannot be cancelled. */
  ASSERT_EQ(CNET_EBUSY, cnet__work_cancel(&blockers[0]));
  gate_release();
  test_run(loop);
  ASSERT_EQ(CNET_ECANCELED, cancelled_status);
  ASSERT(!cancelled_work_ran);
  ASSERT_EQ((int)n, gate_done_calls);
  /* Done: the request is the caller's again. */
  ASSERT_EQ(CNET_EINVAL, cnet__work_cancel(&w));
  free(blockers);
  test_loop_close(loop);
}

CNET_TEST(cancelled_request_still_keeps_the_loop_until_done) {
  cnet_loop *loop = test_loop();
  occupy_pool(loop);
  cnet__work w;
  ASSERT_EQ(0, cnet__work_submit(loop, &w, must_not_run, cancelled_done));
  ASSERT_EQ(0, cnet__work_cancel(&w));
  gate_release();
  /* Closing now would leave done uncalled: the loop refuses. */
  test_stderr_begin();
  ASSERT_EQ(CNET_EBUSY, cnet_loop_close(loop));
  test_stderr_end();
  test_run(loop);
  ASSERT(strstr(test_trace_get(), "cancelled-done") != NULL);
  free(blockers);
  test_loop_close(loop);
}

/* ---- slow work ------------------------------------------------------------ */

static unsigned slow_max;

static void fast_done_checks_slow(cnet__work *w, int status) {
  (void)w;
  ASSERT_EQ(0, status);
  /* The fast request ran although slow ones were queued before it, and
   * the slow ones beyond half the threads are still waiting. */
  pthread_mutex_lock(&gate_mu);
  unsigned arrived = gate_arrived;
  pthread_mutex_unlock(&gate_mu);
  ASSERT_EQ(slow_max, arrived);
  test_trace("fast");
  gate_release();
}

CNET_TEST(slow_work_takes_at_most_half_the_threads) {
  unsigned n = cnet__threadpool_size();
  if (n < 2) return; /* no thread would be left for fast work */
  cnet_loop *loop = test_loop();
  slow_max = (n + 1) / 2;
  gate_reset();
  gate_done_calls = 0;
  cnet__work *slow = calloc(slow_max + 1, sizeof *slow);
  ASSERT_NOT_NULL(slow);
  for (unsigned i = 0; i < slow_max + 1; i++)
    ASSERT_EQ(0, cnet__work_submit_kind(loop, &slow[i], CNET__WORK_SLOW,
                                        gate_work, gate_done));
  gate_wait_arrivals(slow_max);
  cnet__work fast;
  ASSERT_EQ(0, cnet__work_submit(loop, &fast, nop_work, fast_done_checks_slow));
  test_run(loop);
  ASSERT_TRACE("fast");
  ASSERT_EQ((int)slow_max + 1, gate_done_calls);
  free(slow);
  test_loop_close(loop);
}

/* ---- done may reuse or free its request --------------------------------- */

#define CHAIN 1000
static int chain_left;
static cnet_loop *chain_loop;

static void chain_done(cnet__work *w, int status) {
  ASSERT_EQ(0, status);
  if (--chain_left > 0)
    ASSERT_EQ(0, cnet__work_submit(chain_loop, w, nop_work, chain_done));
}

CNET_TEST(done_may_submit_the_same_request_again) {
  cnet_loop *loop = test_loop();
  chain_loop = loop;
  chain_left = CHAIN;
  cnet__work w;
  ASSERT_EQ(0, cnet__work_submit(loop, &w, nop_work, chain_done));
  test_run(loop);
  ASSERT_EQ(0, chain_left);
  test_loop_close(loop);
}

static int freed;
static void free_done(cnet__work *w, int status) {
  ASSERT_EQ(0, status);
  free(w); /* ASan would catch the pool touching it afterwards */
  freed++;
}

CNET_TEST(done_may_free_the_request) {
  cnet_loop *loop = test_loop();
  freed = 0;
  for (int i = 0; i < 100; i++) {
    cnet__work *w = malloc(sizeof *w);
    ASSERT_NOT_NULL(w);
    ASSERT_EQ(0, cnet__work_submit(loop, w, nop_work, free_done));
  }
  test_run(loop);
  ASSERT_EQ(100, freed);
  test_loop_close(loop);
}

/* ---- two loops, two threads, one pool ----------------------------------- */

#define PER_LOOP 2000

struct loop_thread_ctx {
  pthread_t thread;
  pthread_t self; /* as the thread sees itself */
  struct item items[PER_LOOP];
  int done_calls;
  int wrong_thread;
  int bad;
  int run_result;
  int close_result;
};

static void ctx_done(cnet__work *w, int status) {
  struct item *it = CNET__CONTAINER_OF(w, struct item, work);
  struct loop_thread_ctx *ctx =
      CNET__CONTAINER_OF(it - it->index, struct loop_thread_ctx, items);
  if (!pthread_equal(pthread_self(), ctx->self)) ctx->wrong_thread++;
  if (status != 0 || !it->ran) ctx->bad++;
  ctx->done_calls++;
}

static void *loop_thread_main(void *arg) {
  struct loop_thread_ctx *ctx = arg;
  ctx->self = pthread_self();
  cnet_loop *loop;
  if (cnet_loop_new(&loop) != 0) abort();
  for (int i = 0; i < PER_LOOP; i++) {
    ctx->items[i] = (struct item){.index = i};
    if (cnet__work_submit(loop, &ctx->items[i].work, item_work, ctx_done) != 0)
      abort();
  }
  ctx->run_result = cnet_loop_run(loop, CNET_RUN_DEFAULT);
  ctx->close_result = cnet_loop_close(loop);
  return NULL;
}

CNET_TEST(two_loops_on_two_threads_share_the_pool) {
  static struct loop_thread_ctx ctx[2];
  memset(ctx, 0, sizeof ctx);
  for (int i = 0; i < 2; i++)
    ASSERT_EQ(0, pthread_create(&ctx[i].thread, NULL, loop_thread_main, &ctx[i]));
  for (int i = 0; i < 2; i++) ASSERT_EQ(0, pthread_join(ctx[i].thread, NULL));
  for (int i = 0; i < 2; i++) {
    ASSERT_EQ(PER_LOOP, ctx[i].done_calls);
    ASSERT_EQ(0, ctx[i].wrong_thread);
    ASSERT_EQ(0, ctx[i].bad);
    ASSERT_EQ(0, ctx[i].run_result);
    ASSERT_EQ(0, ctx[i].close_result);
  }
}

/* ---- arguments and configuration ----------------------------------------- */

CNET_TEST(submit_rejects_missing_arguments) {
  cnet_loop *loop = test_loop();
  cnet__work w;
  ASSERT_EQ(CNET_EINVAL, cnet__work_submit(NULL, &w, nop_work, gate_done));
  ASSERT_EQ(CNET_EINVAL, cnet__work_submit(loop, NULL, nop_work, gate_done));
  ASSERT_EQ(CNET_EINVAL, cnet__work_submit(loop, &w, NULL, gate_done));
  ASSERT_EQ(CNET_EINVAL, cnet__work_submit(loop, &w, nop_work, NULL));
  ASSERT_EQ(CNET_EINVAL, cnet__work_submit_kind(loop, &w, 7, nop_work, gate_done));
  ASSERT(!cnet_loop_alive(loop));
  test_loop_close(loop);
}

CNET_TEST(threadpool_size_is_read_as_libuv_reads_its_own) {
  ASSERT_EQ(4, cnet__threadpool_parse_size(NULL));
  ASSERT_EQ(1, cnet__threadpool_parse_size("1"));
  ASSERT_EQ(16, cnet__threadpool_parse_size("16"));
  ASSERT_EQ(1, cnet__threadpool_parse_size("0"));
  ASSERT_EQ(1, cnet__threadpool_parse_size(""));
  ASSERT_EQ(1, cnet__threadpool_parse_size("many"));
  ASSERT_EQ(1, cnet__threadpool_parse_size("-3"));
  ASSERT_EQ(1024, cnet__threadpool_parse_size("5000"));
  ASSERT_EQ(1024, cnet__threadpool_parse_size("99999999999999999999999"));
}
