/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* The test runner shared by every test binary: the registry filled by
 * CNET_TEST, a main() that runs one named case (CTest gives each case its own
 * process) or all of them, and the helpers declared in harness.h. */
#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <fcntl.h>

#define MAX_TESTS 256

static struct {
  const char *name;
  cnet_test_fn fn;
} registry[MAX_TESTS];
static int registered;

void cnet_test__register(const char *name, cnet_test_fn fn) {
  if (registered == MAX_TESTS) {
    fprintf(stderr, "harness: more than %d tests in one file\n", MAX_TESTS);
    abort();
  }
  registry[registered].name = name;
  registry[registered].fn = fn;
  registered++;
}

static cnet_test_fn current;

static void run_current(void **state) {
  (void)state;
  current();
}

static int run_one(int i) {
  struct CMUnitTest t = {registry[i].name, run_current, NULL, NULL, NULL};
  current = registry[i].fn;
  test_trace_reset();
  return _cmocka_run_group_tests(registry[i].name, &t, 1, NULL, NULL);
}

int main(int argc, char **argv) {
  /* Failures must be visible even when the process is killed by a timeout. */
  setvbuf(stdout, NULL, _IONBF, 0);
  if (argc > 1 && strcmp(argv[1], "--list") == 0) {
    for (int i = 0; i < registered; i++) puts(registry[i].name);
    return 0;
  }
  int failed = 0, found = 0;
  for (int i = 0; i < registered; i++) {
    if (argc > 1 && strcmp(argv[1], registry[i].name) != 0) continue;
    found++;
    failed += run_one(i) != 0;
  }
  if (!found) {
    fprintf(stderr, "harness: no test named '%s'\n", argc > 1 ? argv[1] : "");
    return 2;
  }
  return failed ? 1 : 0;
}

cnet_loop *test_loop(void) {
  cnet_loop *loop = NULL;
  int r = cnet_loop_new(&loop);
  ASSERT_EQ(0, r);
  ASSERT_NOT_NULL(loop);
  return loop;
}

void test_run(cnet_loop *loop) {
  ASSERT_EQ(0, cnet_loop_run(loop, CNET_RUN_DEFAULT));
}

void test_loop_close(cnet_loop *loop) {
  ASSERT_EQ(0, cnet_loop_close(loop));
}

static void stop_on_listening(const cnet_event *ev, void *arg) {
  (void)ev;
  cnet_loop_stop(arg);
}

int test_listen(cnet_loop *loop, cnet_server *server, const char *host,
                int backlog) {
  ASSERT_EQ(0, cnet_server_listen(server, 0, host, backlog));
  ASSERT_EQ(0, cnet_once(server, CNET_EV_LISTENING, stop_on_listening, loop));
  cnet_loop_run(loop, CNET_RUN_DEFAULT);
  ASSERT(cnet_server_listening(server));
  cnet_address a;
  ASSERT_EQ(0, cnet_server_address(server, &a));
  return a.port;
}

static char trace_buf[16384];
static size_t trace_len;

void test_trace(const char *fmt, ...) {
  va_list ap;
  if (trace_len && trace_len < sizeof trace_buf - 1) trace_buf[trace_len++] = ' ';
  va_start(ap, fmt);
  int n = vsnprintf(trace_buf + trace_len, sizeof trace_buf - trace_len, fmt, ap);
  va_end(ap);
  if (n > 0) trace_len += (size_t)n;
  if (trace_len >= sizeof trace_buf) fail_msg("test_trace: trace overflow");
}

const char *test_trace_get(void) {
  trace_buf[trace_len] = '\0';
  return trace_buf;
}

void test_trace_reset(void) {
  trace_len = 0;
  trace_buf[0] = '\0';
}

static int saved_stderr = -1;
static FILE *capture;
static char *captured;

void test_stderr_begin(void) {
  fflush(stderr);
  capture = tmpfile();
  ASSERT_NOT_NULL(capture);
  saved_stderr = dup(STDERR_FILENO);
  ASSERT(saved_stderr >= 0);
  ASSERT(dup2(fileno(capture), STDERR_FILENO) >= 0);
}

const char *test_stderr_end(void) {
  fflush(stderr);
  ASSERT(dup2(saved_stderr, STDERR_FILENO) >= 0);
  close(saved_stderr);
  saved_stderr = -1;
  long n = ftell(capture);
  ASSERT(n >= 0);
  free(captured);
  captured = calloc(1, (size_t)n + 1);
  ASSERT_NOT_NULL(captured);
  rewind(capture);
  size_t got = fread(captured, 1, (size_t)n, capture);
  captured[got] = '\0';
  fclose(capture);
  capture = NULL;
  return captured;
}
