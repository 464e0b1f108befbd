/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* The emitter: Node's EventEmitter rules on a plain emitter and on one of
 * cnet's objects, which an unhandled 'error' destroys. */
#include "harness.h"

static cnet_emitter em;

static void named(const cnet_event *ev, void *arg) {
  (void)ev;
  test_trace("%s", (const char *)arg);
}

static void emit_type(int type) {
  cnet_event ev = {.type = (cnet_event_type)type};
  cnet_emit(&em, &ev);
}

static void emit_data(void) { emit_type(CNET_EV_DATA); }

CNET_TEST(listeners_run_in_the_order_added) {
  cnet_emitter_init(&em);
  cnet_on(&em, CNET_EV_DATA, named, "a");
  cnet_on(&em, CNET_EV_DATA, named, "b");
  cnet_on(&em, CNET_EV_END, named, "end");
  cnet_on(&em, CNET_EV_DATA, named, "c");
  emit_data();
  ASSERT_TRACE("a b c");
  ASSERT_EQ(3, cnet_listener_count(&em, CNET_EV_DATA));
  cnet_emitter_dispose(&em);
}

CNET_TEST(prepend_runs_first) {
  cnet_emitter_init(&em);
  cnet_on(&em, CNET_EV_DATA, named, "b");
  cnet_prepend_listener(&em, CNET_EV_DATA, named, "a");
  emit_data();
  ASSERT_TRACE("a b");
  cnet_emitter_dispose(&em);
}

CNET_TEST(event_passes_target_and_fields) {
  static const char payload[] = "hello";
  cnet_emitter_init(&em);
  cnet_on(&em, CNET_EV_DATA, named, "x");
  cnet_event ev = {.type = CNET_EV_DATA, .data = payload, .len = 5};
  ASSERT_EQ(1, cnet_emit(&em, &ev));
  ASSERT(ev.target == &em);
  ASSERT_EQ(5, ev.len);
  cnet_emitter_dispose(&em);
}

CNET_TEST(emit_without_listeners_returns_false) {
  cnet_emitter_init(&em);
  cnet_event ev = {.type = CNET_EV_DATA};
  ASSERT_EQ(0, cnet_emit(&em, &ev));
  cnet_on(&em, CNET_EV_END, named, "end");
  ASSERT_EQ(0, cnet_emit(&em, &ev));
  cnet_emitter_dispose(&em);
}

CNET_TEST(once_runs_once_and_is_removed_before_it_runs) {
  cnet_emitter_init(&em);
  cnet_once(&em, CNET_EV_DATA, named, "once");
  cnet_on(&em, CNET_EV_DATA, named, "on");
  ASSERT_EQ(2, cnet_listener_count(&em, CNET_EV_DATA));
  emit_data();
  emit_data();
  ASSERT_TRACE("once on on");
  ASSERT_EQ(1, cnet_listener_count(&em, CNET_EV_DATA));
  cnet_emitter_dispose(&em);
}

static void count_inside(const cnet_event *ev, void *arg) {
  (void)arg;
  test_trace("count=%d", cnet_listener_count(ev->target, ev->type));
}

CNET_TEST(once_listener_sees_itself_removed) {
  cnet_emitter_init(&em);
  cnet_once(&em, CNET_EV_DATA, count_inside, NULL);
  emit_data();
  ASSERT_TRACE("count=0");
  cnet_emitter_dispose(&em);
}

static void reemit_once(const cnet_event *ev, void *arg) {
  (void)ev;
  test_trace("%s", (const char *)arg);
  static int depth;
  if (depth++ == 0) emit_data();
}

CNET_TEST(once_is_not_called_again_by_a_nested_emit) {
  cnet_emitter_init(&em);
  cnet_on(&em, CNET_EV_DATA, reemit_once, "outer");
  cnet_once(&em, CNET_EV_DATA, named, "once");
  emit_data();
  /* outer emits again before the once listener's turn: the nested emit
   * runs it, and the outer emit must then skip it. */
  ASSERT_TRACE("outer outer once");
  cnet_emitter_dispose(&em);
}

static void remove_b(const cnet_event *ev, void *arg) {
  test_trace("%s", (const char *)arg);
  cnet_off(ev->target, CNET_EV_DATA, named, "b");
}

CNET_TEST(off_inside_emit_takes_effect_from_the_next_emit) {
  cnet_emitter_init(&em);
  cnet_on(&em, CNET_EV_DATA, remove_b, "a");
  cnet_on(&em, CNET_EV_DATA, named, "b");
  emit_data();
  ASSERT_TRACE("a b"); /* Node: the emit in progress still calls b */
  test_trace_reset();
  emit_data();
  ASSERT_TRACE("a");
  cnet_emitter_dispose(&em);
}

static void remove_self(const cnet_event *ev, void *arg) {
  test_trace("%s", (const char *)arg);
  cnet_off(ev->target, CNET_EV_DATA, remove_self, arg);
}

CNET_TEST(off_of_itself_inside_emit) {
  cnet_emitter_init(&em);
  cnet_on(&em, CNET_EV_DATA, remove_self, "self");
  cnet_on(&em, CNET_EV_DATA, named, "other");
  emit_data();
  emit_data();
  ASSERT_TRACE("self other other");
  cnet_emitter_dispose(&em);
}

static void add_c(const cnet_event *ev, void *arg) {
  test_trace("%s", (const char *)arg);
  cnet_on(ev->target, CNET_EV_DATA, named, "c");
}

CNET_TEST(add_inside_emit_takes_effect_from_the_next_emit) {
  cnet_emitter_init(&em);
  cnet_once(&em, CNET_EV_DATA, add_c, "a");
  cnet_on(&em, CNET_EV_DATA, named, "b");
  emit_data();
  ASSERT_TRACE("a b");
  test_trace_reset();
  emit_data();
  ASSERT_TRACE("b c");
  cnet_emitter_dispose(&em);
}

static void add_many(const cnet_event *ev, void *arg) {
  (void)arg;
  /* Enough to force the table to grow while it is being walked. */
  for (int i = 0; i < 100; i++) cnet_on(ev->target, CNET_EV_END, named, "e");
  cnet_remove_all_listeners(ev->target, CNET_EV_DATA);
  test_trace("grew");
}

CNET_TEST(growing_and_clearing_inside_emit_is_safe) {
  cnet_emitter_init(&em);
  cnet_on(&em, CNET_EV_DATA, add_many, NULL);
  cnet_on(&em, CNET_EV_DATA, named, "after");
  emit_data();
  ASSERT_TRACE("grew after");
  ASSERT_EQ(0, cnet_listener_count(&em, CNET_EV_DATA));
  ASSERT_EQ(100, cnet_listener_count(&em, CNET_EV_END));
  cnet_emitter_dispose(&em);
}

CNET_TEST(off_removes_the_most_recent_duplicate) {
  cnet_emitter_init(&em);
  cnet_on(&em, CNET_EV_DATA, named, "x");
  cnet_on(&em, CNET_EV_DATA, named, "y");
  cnet_on(&em, CNET_EV_DATA, named, "x");
  cnet_off(&em, CNET_EV_DATA, named, "x");
  emit_data();
  ASSERT_TRACE("x y");
  ASSERT_EQ(0, cnet_off(&em, CNET_EV_DATA, named, "absent"));
  cnet_emitter_dispose(&em);
}

CNET_TEST(remove_all_listeners_of_one_or_every_event) {
  cnet_emitter_init(&em);
  cnet_on(&em, CNET_EV_DATA, named, "d");
  cnet_on(&em, CNET_EV_END, named, "e");
  cnet_remove_all_listeners(&em, CNET_EV_DATA);
  ASSERT_EQ(0, cnet_listener_count(&em, CNET_EV_DATA));
  ASSERT_EQ(1, cnet_listener_count(&em, CNET_EV_END));
  cnet_remove_all_listeners(&em, -1);
  ASSERT_EQ(0, cnet_listener_count(&em, CNET_EV_END));
  cnet_emitter_dispose(&em);
}

CNET_TEST(events_of_your_own_by_name) {
  int greet = cnet_event_register("greet");
  ASSERT(greet >= CNET_EV__BUILTIN);
  ASSERT_EQ(greet, cnet_event_register("greet"));
  ASSERT_EQ(CNET_EV_DATA, cnet_event_register("data"));
  ASSERT_STR_EQ("greet", cnet_event_name(greet));
  ASSERT_STR_EQ("close", cnet_event_name(CNET_EV_CLOSE));
  ASSERT_NULL(cnet_event_name(greet + 1));
  cnet_emitter_init(&em);
  cnet_on(&em, greet, named, "hello");
  emit_type(greet);
  ASSERT_TRACE("hello");
  cnet_emitter_dispose(&em);
}

/* What the compile-time checks cannot see: a void * that is no emitter. */
CNET_TEST(non_emitters_and_null_listeners_are_rejected) {
  int ints[8] = {0};
  void *not_an_emitter = ints;
  cnet_emitter_init(&em);
  ASSERT_EQ(CNET_EINVAL, cnet_on(not_an_emitter, CNET_EV_DATA, named, NULL));
  ASSERT_EQ(CNET_EINVAL, cnet_on(NULL, CNET_EV_DATA, named, NULL));
  ASSERT_EQ(CNET_EINVAL, cnet_on(&em, CNET_EV_DATA, NULL, NULL));
  ASSERT_EQ(CNET_EINVAL, cnet_on(&em, -1, named, NULL));
  ASSERT_EQ(CNET_EINVAL, cnet_listener_count(not_an_emitter, CNET_EV_DATA));
  cnet_event ev = {.type = CNET_EV_DATA};
  ASSERT_EQ(CNET_EINVAL, cnet_emit(not_an_emitter, &ev));
  cnet_emitter_dispose(&em);
}

/* A cnet object: a memory sink stands in for a socket, since an emit
 * on either goes the same way. */
static void trace_error(const cnet_event *ev, void *arg) {
  test_trace("%s:%s", (const char *)arg, cnet_err_name(ev->error->code));
}

CNET_TEST(unhandled_error_is_printed_and_destroys_the_object) {
  cnet_loop *loop = test_loop();
  cnet_memory_sink *t = NULL;
  cnet_memory_sink_new(loop, NULL, &t);
  ASSERT_NOT_NULL(t);
  cnet_on(t, CNET_EV_CLOSE, named, "close");
  cnet_error err;
  cnet_error_syscall(&err, CNET_ECONNREFUSED, "connect", "127.0.0.1", 9);
  cnet_event ev = {.type = CNET_EV_ERROR, .error = &err};
  test_stderr_begin();
  int handled = cnet_emit(t, &ev);
  const char *out = test_stderr_end();
  ASSERT(!handled);
  ASSERT_NOT_NULL(strstr(out, "unhandled 'error' event on MemorySink"));
  ASSERT_NOT_NULL(strstr(out, "connect ECONNREFUSED 127.0.0.1:9"));
  /* Destroyed at once, with that error: destroy(err) emits it again, on
   * a later tick, then 'close', once. */
  ASSERT(cnet_stream_destroyed(t));
  ASSERT(cnet_stream_errored(t));
  cnet_on(t, CNET_EV_ERROR, trace_error, "destroy");
  ASSERT_TRACE("");
  test_run(loop);
  ASSERT_TRACE("destroy:ECONNREFUSED close");
  test_loop_close(loop);
}

CNET_TEST(handled_error_is_not_printed) {
  cnet_loop *loop = test_loop();
  cnet_memory_sink *t = NULL;
  cnet_memory_sink_new(loop, NULL, &t);
  ASSERT_NOT_NULL(t);
  cnet_on(t, CNET_EV_ERROR, named, "handled");
  cnet_error err;
  cnet_error_syscall(&err, CNET_ECONNRESET, "read", NULL, 0);
  cnet_event ev = {.type = CNET_EV_ERROR, .error = &err};
  test_stderr_begin();
  ASSERT_EQ(1, cnet_emit(t, &ev));
  ASSERT_STR_EQ("", test_stderr_end());
  ASSERT_TRACE("handled");
  ASSERT(!cnet_stream_destroyed(t));
  ASSERT(!cnet_stream_errored(t));
  cnet_stream_destroy(t, NULL);
  test_run(loop);
  test_loop_close(loop);
}

CNET_TEST(unhandled_error_on_a_plain_emitter_is_printed) {
  cnet_emitter_init(&em);
  cnet_error err;
  cnet_error_set(&err, CNET_ERR_SOCKET_CLOSED, "Socket is closed");
  cnet_event ev = {.type = CNET_EV_ERROR, .error = &err};
  test_stderr_begin();
  cnet_emit(&em, &ev);
  ASSERT_NOT_NULL(strstr(test_stderr_end(), "Socket is closed (ERR_SOCKET_CLOSED)"));
  cnet_emitter_dispose(&em);
}

static int nested_step;

static void mutate_then_reemit(const cnet_event *ev, void *arg) {
  (void)arg;
  test_trace("outer");
  if (nested_step++ == 0) {
    /* The change copies the table; the nested emit walks the copy. */
    cnet_on(ev->target, CNET_EV_END, named, "unrelated");
    emit_data();
  }
}

CNET_TEST(once_runs_once_when_a_mutation_precedes_a_nested_emit) {
  cnet_emitter_init(&em);
  nested_step = 0;
  cnet_on(&em, CNET_EV_DATA, mutate_then_reemit, NULL);
  cnet_once(&em, CNET_EV_DATA, named, "once");
  emit_data();
  ASSERT_TRACE("outer outer once");
  cnet_emitter_dispose(&em);
}
