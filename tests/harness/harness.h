/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* The test harness: cmocka underneath, helpers on top so that a cnet test
 * reads like a Node or libuv test. A test is declared with CNET_TEST(name);
 * CTest runs each one in its own process (`test_<suite> <name>`, or
 * `internal_test_<suite> <name>` for tests/internal).
 *
 *   CNET_TEST(timer_fires_once) {
 *     cnet_loop *loop = test_loop();
 *     ... start things, count callbacks in statics ...
 *     test_run(loop);
 *     ASSERT_EQ(1, called);
 *     test_loop_close(loop);       // fails if any handle is left open
 *   }
 */
#ifndef CNET_TEST_HARNESS_H
#define CNET_TEST_HARNESS_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include <stdatomic.h>
#include <string.h>
#include <cmocka.h>

#include "cnet.h"

typedef void (*cnet_test_fn)(void);
void cnet_test__register(const char *name, cnet_test_fn fn);

#define CNET_TEST(name)                                                      \
  static void name(void);                                                    \
  __attribute__((constructor)) static void name##__register(void) {          \
    cnet_test__register(#name, name);                                        \
  }                                                                          \
  static void name(void)

/* Assertions, named as in libuv's tests. */
#define ASSERT(x) assert_true(x)
#define ASSERT_EQ(a, b) assert_int_equal((a), (b))
#define ASSERT_NE(a, b) assert_int_not_equal((a), (b))
#define ASSERT_STR_EQ(a, b) assert_string_equal((a), (b))
#define ASSERT_NULL(a) assert_null(a)
#define ASSERT_NOT_NULL(a) assert_non_null(a)
#define ASSERT_MEM_EQ(a, b, n) assert_memory_equal((a), (b), (n))

/* A fresh loop for this test. */
cnet_loop *test_loop(void);
/* Runs the loop in default mode until nothing referenced is left. */
void test_run(cnet_loop *loop);
/* Closes the loop, failing the test if a handle is still open. */
void test_loop_close(cnet_loop *loop);

/* Listens on a free port of host and runs the loop until the server is
 * listening (Node listens a tick later when given a host); returns the
 * port. */
int test_listen(cnet_loop *loop, cnet_server *server, const char *host,
                int backlog);

/* An ordered log of what happened, for tests of event order:
 *   test_trace("timer:%d", n); ... ASSERT_TRACE("timer:1 timer:2 immediate");
 * Entries are joined by single spaces. */
void test_trace(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
const char *test_trace_get(void);
void test_trace_reset(void);
#define ASSERT_TRACE(expected) ASSERT_STR_EQ((expected), test_trace_get())

/* Captures what the code under test writes to stderr between begin and end;
 * end returns it (NUL-terminated, owned by the harness). */
void test_stderr_begin(void);
const char *test_stderr_end(void);

/* Every thread of cnet's worker pool held busy, for tests of what waits
 * for a thread (a lookup, a file read): block sets CNET_THREADPOOL_SIZE
 * to TEST_POOL_THREADS, so call it before anything in the process has
 * used the pool, and runs the loop until each thread is stuck in a file
 * stream's write to a pipe (pool_gate.c). unblock (from a callback or
 * between runs) drains the pipes; the streams then end and close as the
 * loop runs on. */
#define TEST_POOL_THREADS 4
void test_pool_block(cnet_loop *loop);
void test_pool_unblock(void);

#endif
