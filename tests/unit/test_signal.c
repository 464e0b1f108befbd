/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* cnet-test-labels: unit threads
 * Signals (process.on('SIGUSR1'), ...): the process sends itself the
 * signal with raise() or kill(), which runs the handler before it returns,
 * so the loop finds the delivery on its next poll. A test that must see
 * the process die by the signal runs it in a forked child. Two loops on
 * two threads make these tests run under ThreadSanitizer too. */
#include "harness.h"

#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

static void trace_signal(cnet_signal *sig, int signum, void *arg) {
  (void)sig;
  test_trace("%s:%s", (const char *)arg, cnet_signal_name(signum));
}

static void close_signal(cnet_signal *sig, int signum, void *arg) {
  trace_signal(sig, signum, arg);
  cnet_signal_close(sig);
}

/* Runs fn in a child process and returns its wait status. The child
 * reports a failed check by its exit code, never through cmocka. */
static int in_child(void (*fn)(void)) {
  pid_t pid = fork();
  ASSERT(pid >= 0);
  if (pid == 0) {
    fn();
    _exit(0);
  }
  int status;
  ASSERT_EQ(pid, waitpid(pid, &status, 0));
  return status;
}

#define CHILD_CHECK(x, code) \
  do {                       \
    if (!(x)) _exit(code);   \
  } while (0)

CNET_TEST(every_watcher_runs_in_the_order_started) {
  cnet_loop *loop = test_loop();
  cnet_signal a, b, c;
  ASSERT_EQ(0, cnet_signal_init(loop, &a));
  ASSERT_EQ(0, cnet_signal_init(loop, &b));
  ASSERT_EQ(0, cnet_signal_init(loop, &c));
  /* Started in another order than initialised: the start counts. */
  ASSERT_EQ(0, cnet_signal_start(&b, SIGUSR1, close_signal, "b"));
  ASSERT_EQ(0, cnet_signal_start(&a, SIGUSR1, close_signal, "a"));
  ASSERT_EQ(0, cnet_signal_start(&c, SIGUSR1, close_signal, "c"));
  cnet_signal_ref(&c);
  ASSERT_EQ(0, raise(SIGUSR1));
  test_run(loop);
  ASSERT_TRACE("b:SIGUSR1 a:SIGUSR1 c:SIGUSR1");
  test_loop_close(loop);
}

CNET_TEST(starting_again_with_the_same_signal_keeps_the_place) {
  cnet_loop *loop = test_loop();
  cnet_signal a, b;
  ASSERT_EQ(0, cnet_signal_init(loop, &a));
  ASSERT_EQ(0, cnet_signal_init(loop, &b));
  ASSERT_EQ(0, cnet_signal_start(&a, SIGUSR1, trace_signal, "a"));
  ASSERT_EQ(0, cnet_signal_start(&b, SIGUSR1, close_signal, "b"));
  ASSERT_EQ(0, cnet_signal_start(&a, SIGUSR1, close_signal, "a2"));
  cnet_signal_ref(&b);
  ASSERT_EQ(0, raise(SIGUSR1));
  test_run(loop);
  ASSERT_TRACE("a2:SIGUSR1 b:SIGUSR1");
  test_loop_close(loop);
}

CNET_TEST(stopped_and_started_again_goes_last) {
  cnet_loop *loop = test_loop();
  cnet_signal a, b;
  ASSERT_EQ(0, cnet_signal_init(loop, &a));
  ASSERT_EQ(0, cnet_signal_init(loop, &b));
  ASSERT_EQ(0, cnet_signal_start(&a, SIGUSR1, close_signal, "a"));
  ASSERT_EQ(0, cnet_signal_start(&b, SIGUSR1, close_signal, "b"));
  ASSERT_EQ(0, cnet_signal_stop(&a));
  ASSERT(!cnet_signal_is_active(&a));
  ASSERT_EQ(0, cnet_signal_start(&a, SIGUSR1, close_signal, "a"));
  cnet_signal_ref(&a);
  ASSERT_EQ(0, raise(SIGUSR1));
  test_run(loop);
  ASSERT_TRACE("b:SIGUSR1 a:SIGUSR1");
  test_loop_close(loop);
}

static int deliveries;

static void count_two(cnet_signal *sig, int signum, void *arg) {
  (void)signum, (void)arg;
  if (++deliveries == 2) cnet_signal_close(sig);
}

CNET_TEST(each_delivery_is_one_call) {
  cnet_loop *loop = test_loop();
  cnet_signal sig;
  deliveries = 0;
  ASSERT_EQ(0, cnet_signal_init(loop, &sig));
  ASSERT_EQ(0, cnet_signal_start(&sig, SIGUSR2, count_two, NULL));
  cnet_signal_ref(&sig);
  /* Each raise is handled before it returns: two deliveries, not one
   * pending signal merged by the kernel. */
  ASSERT_EQ(0, raise(SIGUSR2));
  ASSERT_EQ(0, raise(SIGUSR2));
  test_run(loop);
  ASSERT_EQ(2, deliveries);
  test_loop_close(loop);
}

static cnet_loop *tick_loop;

static void trace_tick(void *arg) { test_trace("%s", (const char *)arg); }

static void queue_tick(cnet_signal *sig, int signum, void *arg) {
  trace_signal(sig, signum, arg);
  ASSERT_EQ(0, cnet_next_tick(tick_loop, trace_tick, "tick"));
  cnet_signal_close(sig);
}

CNET_TEST(ticks_run_after_every_watcher_of_a_delivery) {
  cnet_loop *loop = tick_loop = test_loop();
  cnet_signal a, b;
  ASSERT_EQ(0, cnet_signal_init(loop, &a));
  ASSERT_EQ(0, cnet_signal_init(loop, &b));
  ASSERT_EQ(0, cnet_signal_start(&a, SIGUSR1, queue_tick, "a"));
  ASSERT_EQ(0, cnet_signal_start(&b, SIGUSR1, close_signal, "b"));
  cnet_signal_ref(&b);
  ASSERT_EQ(0, raise(SIGUSR1));
  test_run(loop);
  ASSERT_TRACE("a:SIGUSR1 b:SIGUSR1 tick");
  test_loop_close(loop);
}

static cnet_loop *raise_loop;
static cnet_immediate raise_later;

static void raise_usr1(cnet_immediate *im, void *arg) {
  (void)im, (void)arg;
  test_trace("raise");
  ASSERT_EQ(0, raise(SIGUSR1));
}

static cnet_signal first, second, third;

static void close_the_next(cnet_signal *sig, int signum, void *arg) {
  trace_signal(sig, signum, arg);
  cnet_signal_close(&second);
  /* Started now: it waits for the next delivery, which the immediate
   * sends. */
  ASSERT_EQ(0, cnet_signal_start(&third, SIGUSR1, close_signal, "third"));
  cnet_signal_close(sig);
  ASSERT_EQ(0, cnet_set_immediate(raise_loop, &raise_later, raise_usr1, NULL));
}

CNET_TEST(a_callback_closes_one_and_starts_another) {
  cnet_loop *loop = raise_loop = test_loop();
  ASSERT_EQ(0, cnet_signal_init(loop, &first));
  ASSERT_EQ(0, cnet_signal_init(loop, &second));
  ASSERT_EQ(0, cnet_signal_init(loop, &third));
  ASSERT_EQ(0, cnet_signal_start(&first, SIGUSR1, close_the_next, "first"));
  ASSERT_EQ(0, cnet_signal_start(&second, SIGUSR1, close_signal, "second"));
  cnet_signal_ref(&first);
  cnet_signal_ref(&third);
  ASSERT_EQ(0, raise(SIGUSR1));
  test_run(loop);
  ASSERT_TRACE("first:SIGUSR1 raise third:SIGUSR1");
  test_loop_close(loop);
}

CNET_TEST(a_watcher_frees_itself_in_its_callback) {
  cnet_loop *loop = test_loop();
  cnet_signal *sig = malloc(sizeof *sig);
  ASSERT_NOT_NULL(sig);
  ASSERT_EQ(0, cnet_signal_init(loop, sig));
  ASSERT_EQ(0, cnet_signal_start(sig, SIGUSR1, close_signal, "heap"));
  cnet_signal_ref(sig);
  ASSERT_EQ(0, raise(SIGUSR1));
  test_run(loop);
  /* close_signal closed it: it may go now. */
  free(sig);
  ASSERT_TRACE("heap:SIGUSR1");
  test_loop_close(loop);
}

/* ---- what the signal does without a watcher ----------------------------- */

static void start_then_stop_then_raise(void) {
  cnet_loop *loop;
  cnet_signal sig;
  CHILD_CHECK(cnet_loop_new(&loop) == 0, 10);
  CHILD_CHECK(cnet_signal_init(loop, &sig) == 0, 11);
  CHILD_CHECK(cnet_signal_start(&sig, SIGUSR1, trace_signal, "x") == 0, 12);
  CHILD_CHECK(raise(SIGUSR1) == 0, 13); /* watched: the child lives on */
  CHILD_CHECK(cnet_signal_stop(&sig) == 0, 14);
  raise(SIGUSR1); /* the default action again: the child dies here */
  _exit(15);
}

CNET_TEST(stop_gives_back_the_default_action) {
  int status = in_child(start_then_stop_then_raise);
  ASSERT(WIFSIGNALED(status));
  ASSERT_EQ(SIGUSR1, WTERMSIG(status));
}

static void start_then_close_then_raise(void) {
  cnet_loop *loop;
  cnet_signal sig;
  CHILD_CHECK(cnet_loop_new(&loop) == 0, 10);
  CHILD_CHECK(cnet_signal_init(loop, &sig) == 0, 11);
  CHILD_CHECK(cnet_signal_start(&sig, SIGTERM, trace_signal, "x") == 0, 12);
  cnet_signal_close(&sig);
  CHILD_CHECK(cnet_loop_close(loop) == 0, 13);
  raise(SIGTERM);
  _exit(14);
}

CNET_TEST(close_gives_back_the_default_action) {
  int status = in_child(start_then_close_then_raise);
  ASSERT(WIFSIGNALED(status));
  ASSERT_EQ(SIGTERM, WTERMSIG(status));
}

static void stop_one_of_two(void) {
  cnet_loop *loop;
  cnet_signal a, b;
  CHILD_CHECK(cnet_loop_new(&loop) == 0, 10);
  CHILD_CHECK(cnet_signal_init(loop, &a) == 0, 11);
  CHILD_CHECK(cnet_signal_init(loop, &b) == 0, 12);
  CHILD_CHECK(cnet_signal_start(&a, SIGUSR1, trace_signal, "a") == 0, 13);
  CHILD_CHECK(cnet_signal_start(&b, SIGUSR1, trace_signal, "b") == 0, 14);
  CHILD_CHECK(cnet_signal_stop(&a) == 0, 15);
  raise(SIGUSR1); /* b still watches: no death */
  cnet_signal_close(&a);
  cnet_signal_close(&b);
  CHILD_CHECK(cnet_loop_close(loop) == 0, 16);
}

CNET_TEST(the_signal_stays_caught_while_one_watcher_is_left) {
  int status = in_child(stop_one_of_two);
  ASSERT(WIFEXITED(status));
  ASSERT_EQ(0, WEXITSTATUS(status));
}

static void ignored_before(void) {
  cnet_loop *loop;
  cnet_signal sig;
  signal(SIGUSR2, SIG_IGN);
  CHILD_CHECK(cnet_loop_new(&loop) == 0, 10);
  CHILD_CHECK(cnet_signal_init(loop, &sig) == 0, 11);
  CHILD_CHECK(cnet_signal_start(&sig, SIGUSR2, trace_signal, "x") == 0, 12);
  cnet_signal_close(&sig);
  raise(SIGUSR2); /* ignored again, as the program had it */
  struct sigaction now;
  CHILD_CHECK(sigaction(SIGUSR2, NULL, &now) == 0, 13);
  CHILD_CHECK(now.sa_handler == SIG_IGN, 14);
  CHILD_CHECK(cnet_loop_close(loop) == 0, 15);
}

CNET_TEST(the_last_stop_puts_back_what_the_program_had_set) {
  int status = in_child(ignored_before);
  ASSERT(WIFEXITED(status));
  ASSERT_EQ(0, WEXITSTATUS(status));
}

static void move_to_another_signal(void) {
  cnet_loop *loop;
  cnet_signal sig;
  CHILD_CHECK(cnet_loop_new(&loop) == 0, 10);
  CHILD_CHECK(cnet_signal_init(loop, &sig) == 0, 11);
  CHILD_CHECK(cnet_signal_start(&sig, SIGUSR1, trace_signal, "x") == 0, 12);
  CHILD_CHECK(cnet_signal_start(&sig, SIGUSR2, trace_signal, "x") == 0, 13);
  raise(SIGUSR2); /* watched now */
  raise(SIGUSR1); /* no longer: the child dies */
  _exit(14);
}

CNET_TEST(starting_on_another_signal_lets_go_of_the_first) {
  int status = in_child(move_to_another_signal);
  ASSERT(WIFSIGNALED(status));
  ASSERT_EQ(SIGUSR1, WTERMSIG(status));
}

/* ---- ref and unref ------------------------------------------------------ */

CNET_TEST(a_watcher_does_not_keep_the_loop_alive) {
  cnet_loop *loop = test_loop();
  cnet_signal sig;
  ASSERT_EQ(0, cnet_signal_init(loop, &sig));
  ASSERT_EQ(0, cnet_signal_start(&sig, SIGUSR1, trace_signal, "never"));
  ASSERT(!cnet_signal_has_ref(&sig));
  ASSERT(cnet_signal_is_active(&sig));
  ASSERT(!cnet_loop_alive(loop));
  ASSERT_EQ(0, cnet_loop_run(loop, CNET_RUN_DEFAULT));
  ASSERT_TRACE("");
  cnet_signal_close(&sig);
  test_loop_close(loop);
}

CNET_TEST(a_ref_d_watcher_keeps_the_loop_alive) {
  cnet_loop *loop = test_loop();
  cnet_signal sig;
  cnet_immediate im = {0};
  ASSERT_EQ(0, cnet_signal_init(loop, &sig));
  ASSERT_EQ(0, cnet_signal_start(&sig, SIGUSR1, close_signal, "sig"));
  cnet_signal_ref(&sig);
  ASSERT(cnet_signal_has_ref(&sig));
  ASSERT(cnet_loop_alive(loop));
  cnet_signal_unref(&sig);
  ASSERT(!cnet_loop_alive(loop));
  cnet_signal_ref(&sig);
  /* The loop waits in its poll after the immediate, for the signal. */
  ASSERT_EQ(0, cnet_set_immediate(loop, &im, raise_usr1, NULL));
  test_run(loop);
  ASSERT_TRACE("raise sig:SIGUSR1");
  test_loop_close(loop);
}

CNET_TEST(a_stopped_watcher_does_not_keep_the_loop_alive) {
  cnet_loop *loop = test_loop();
  cnet_signal sig;
  ASSERT_EQ(0, cnet_signal_init(loop, &sig));
  cnet_signal_ref(&sig);
  ASSERT(!cnet_loop_alive(loop));
  ASSERT_EQ(0, cnet_signal_start(&sig, SIGUSR1, trace_signal, "never"));
  ASSERT(cnet_loop_alive(loop));
  ASSERT_EQ(0, cnet_signal_stop(&sig));
  ASSERT(!cnet_loop_alive(loop));
  cnet_signal_close(&sig);
  test_loop_close(loop);
}

/* ---- a delivery pending when its watcher goes --------------------------- */

CNET_TEST(a_watcher_closed_while_a_delivery_is_pending_is_not_called) {
  cnet_loop *loop = test_loop();
  cnet_signal gone, stays;
  ASSERT_EQ(0, cnet_signal_init(loop, &gone));
  ASSERT_EQ(0, cnet_signal_init(loop, &stays));
  ASSERT_EQ(0, cnet_signal_start(&gone, SIGUSR1, close_signal, "gone"));
  ASSERT_EQ(0, cnet_signal_start(&stays, SIGUSR1, close_signal, "stays"));
  cnet_signal_ref(&stays);
  ASSERT_EQ(0, raise(SIGUSR1));
  cnet_signal_close(&gone);
  test_run(loop);
  ASSERT_TRACE("stays:SIGUSR1");
  test_loop_close(loop);
}

CNET_TEST(a_delivery_pending_for_a_closed_watcher_is_not_given_to_a_new_one) {
  cnet_loop *loop = test_loop();
  cnet_signal old, new_one;
  cnet_immediate im = {0};
  ASSERT_EQ(0, cnet_signal_init(loop, &old));
  ASSERT_EQ(0, cnet_signal_start(&old, SIGUSR1, trace_signal, "old"));
  ASSERT_EQ(0, raise(SIGUSR1));
  cnet_signal_close(&old);
  ASSERT_EQ(0, cnet_signal_init(loop, &new_one));
  ASSERT_EQ(0, cnet_signal_start(&new_one, SIGUSR1, close_signal, "new"));
  cnet_signal_ref(&new_one);
  /* The first poll finds the pipe written by the first raise, and nothing
   * to give: new_one's one call comes after the immediate's raise. */
  ASSERT_EQ(0, cnet_set_immediate(loop, &im, raise_usr1, NULL));
  test_run(loop);
  ASSERT_TRACE("raise new:SIGUSR1");
  test_loop_close(loop);
}

/* ---- several loops ------------------------------------------------------ */

static void *run_loop(void *arg) {
  cnet_loop *loop = arg;
  if (cnet_loop_run(loop, CNET_RUN_DEFAULT) != 0) abort();
  return NULL;
}

static atomic_int loops_called;

static void count_and_close(cnet_signal *sig, int signum, void *arg) {
  (void)arg;
  if (signum == SIGUSR1) atomic_fetch_add(&loops_called, 1);
  cnet_signal_close(sig);
}

CNET_TEST(every_loop_that_watches_gets_the_signal) {
  cnet_loop *loops[2] = {test_loop(), test_loop()};
  cnet_signal sigs[2];
  pthread_t threads[2];
  atomic_store(&loops_called, 0);
  for (int i = 0; i < 2; i++) {
    ASSERT_EQ(0, cnet_signal_init(loops[i], &sigs[i]));
    ASSERT_EQ(0, cnet_signal_start(&sigs[i], SIGUSR1, count_and_close, NULL));
    cnet_signal_ref(&sigs[i]);
  }
  /* Each loop now belongs to its thread; the signal goes to the process,
   * to whichever thread the kernel picks. */
  for (int i = 0; i < 2; i++)
    ASSERT_EQ(0, pthread_create(&threads[i], NULL, run_loop, loops[i]));
  ASSERT_EQ(0, kill(getpid(), SIGUSR1));
  for (int i = 0; i < 2; i++) ASSERT_EQ(0, pthread_join(threads[i], NULL));
  ASSERT_EQ(2, atomic_load(&loops_called));
  for (int i = 0; i < 2; i++) test_loop_close(loops[i]);
}

/* ---- errors, names, and an open watcher at close ------------------------ */

CNET_TEST(sigkill_sigstop_and_non_signals_are_einval) {
  cnet_loop *loop = test_loop();
  cnet_signal sig;
  ASSERT_EQ(0, cnet_signal_init(loop, &sig));
  ASSERT_EQ(CNET_EINVAL, cnet_signal_start(&sig, SIGKILL, trace_signal, NULL));
  ASSERT_EQ(CNET_EINVAL, cnet_signal_start(&sig, SIGSTOP, trace_signal, NULL));
  ASSERT_EQ(CNET_EINVAL, cnet_signal_start(&sig, 0, trace_signal, NULL));
  ASSERT_EQ(CNET_EINVAL, cnet_signal_start(&sig, NSIG, trace_signal, NULL));
  ASSERT_EQ(CNET_EINVAL, cnet_signal_start(&sig, SIGUSR1, NULL, NULL));
  ASSERT(!cnet_signal_is_active(&sig));
  /* A failed start leaves an active watcher as it was. */
  ASSERT_EQ(0, cnet_signal_start(&sig, SIGUSR1, trace_signal, "usr1"));
  ASSERT_EQ(CNET_EINVAL, cnet_signal_start(&sig, SIGKILL, trace_signal, NULL));
  ASSERT(cnet_signal_is_active(&sig));
  cnet_signal_close(&sig);
  ASSERT_EQ(CNET_EINVAL, cnet_signal_start(&sig, SIGUSR1, trace_signal, NULL));
  ASSERT_EQ(CNET_EINVAL, cnet_signal_stop(&sig));
  ASSERT_EQ(CNET_EINVAL, cnet_signal_init(NULL, &sig));
  test_loop_close(loop);
}

CNET_TEST(names_are_node_s) {
  ASSERT_STR_EQ("SIGINT", cnet_signal_name(SIGINT));
  ASSERT_STR_EQ("SIGTERM", cnet_signal_name(SIGTERM));
  ASSERT_STR_EQ("SIGABRT", cnet_signal_name(SIGABRT));
  ASSERT_STR_EQ("SIGIO", cnet_signal_name(SIGIO));
  ASSERT_STR_EQ("SIGSYS", cnet_signal_name(SIGSYS));
  ASSERT_NULL(cnet_signal_name(0));
  ASSERT_NULL(cnet_signal_name(SIGRTMIN));
  ASSERT_EQ(SIGHUP, cnet_signal_from_name("SIGHUP"));
  ASSERT_EQ(SIGABRT, cnet_signal_from_name("SIGIOT"));
  ASSERT_EQ(SIGIO, cnet_signal_from_name("SIGPOLL"));
  ASSERT_EQ(CNET_ERR_UNKNOWN_SIGNAL, cnet_signal_from_name("SIGFOO"));
  ASSERT_EQ(CNET_ERR_UNKNOWN_SIGNAL, cnet_signal_from_name("sigint"));
  ASSERT_EQ(CNET_ERR_UNKNOWN_SIGNAL, cnet_signal_from_name("INT"));
  ASSERT_EQ(CNET_ERR_UNKNOWN_SIGNAL, cnet_signal_from_name(NULL));
  ASSERT_STR_EQ("ERR_UNKNOWN_SIGNAL", cnet_err_name(CNET_ERR_UNKNOWN_SIGNAL));
}

CNET_TEST(loop_close_reports_an_open_watcher) {
  cnet_loop *loop = test_loop();
  cnet_signal sig;
  ASSERT_EQ(0, cnet_signal_init(loop, &sig));
  test_stderr_begin();
  int r = cnet_loop_close(loop);
  const char *err = test_stderr_end();
  ASSERT_EQ(CNET_EBUSY, r);
  ASSERT(strstr(err, "open handle: signal ") != NULL);
  ASSERT(strstr(err, "(inactive, unref'd)") != NULL);
  cnet_signal_close(&sig);
  cnet_signal_close(&sig); /* twice: nothing */
  test_loop_close(loop);
}
