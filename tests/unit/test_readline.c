/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* cnet-test-labels: unit threads
 * readline.Interface: Node's line ends (LF, CR LF, lone CR, CR LF split
 * across reads within crlfDelay), the last line at the input's end, the
 * maximum line length, pause/resume/close with Node's order of events,
 * the input's errors and close, and lines that do not depend on how the
 * input is cut (a seeded random test against a model). Most tests feed an
 * emitter of their own, which fixes each read exactly; the file stream
 * tests read through the worker pool, hence the threads label. */
#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

/* ---- helpers ------------------------------------------------------------- */

/* An input of the test's own: each feed() is one read. */
typedef struct source {
  cnet_emitter em;
} source;

static void feed_n(source *src, const void *data, size_t len) {
  cnet_event ev = {.type = CNET_EV_DATA, .data = data, .len = len};
  cnet_emit(&src->em, &ev);
}

static void feed(source *src, const char *text) { feed_n(src, text, strlen(text)); }

static void emit_type(source *src, cnet_event_type type) {
  cnet_event ev = {.type = type};
  cnet_emit(&src->em, &ev);
}

/* Traces every event of an interface: "[line]", pause, resume, close,
 * error(CODE). */
static void tr(const cnet_event *ev, void *arg) {
  (void)arg;
  switch (ev->type) {
    case CNET_EV_LINE: test_trace("[%.*s]", (int)ev->len, ev->data); break;
    case CNET_EV_ERROR: test_trace("error(%s)", cnet_err_name(ev->error->code)); break;
    default: test_trace("%s", cnet_event_name((int)ev->type)); break;
  }
}

static void trace_all(cnet_readline *rl) {
  static const int evs[] = {CNET_EV_LINE, CNET_EV_PAUSE, CNET_EV_RESUME, CNET_EV_ERROR,
                            CNET_EV_CLOSE};
  for (size_t i = 0; i < sizeof evs / sizeof evs[0]; i++) cnet_on(rl, evs[i], tr, NULL);
}

/* An interface over a fresh source, every event traced. */
static cnet_readline *open_rl(cnet_loop *loop, source *src, const cnet_readline_options *opts) {
  cnet_emitter_init(&src->em);
  cnet_readline_options o = {0};
  if (opts) o = *opts;
  o.loop = loop;
  cnet_readline *rl = NULL;
  ASSERT_EQ(0, cnet_readline_create(src, &o, &rl));
  ASSERT_NOT_NULL(rl);
  trace_all(rl);
  return rl;
}

/* Ends the source, lets the loop free the interface, closes the loop. */
static void end_and_close(cnet_loop *loop, source *src) {
  emit_type(src, CNET_EV_END);
  test_run(loop);
  cnet_emitter_dispose(&src->em);
  test_loop_close(loop);
}

/* ---- line ends ------------------------------------------------------------ */

CNET_TEST(lf_ends_a_line) {
  cnet_loop *loop = test_loop();
  source src;
  open_rl(loop, &src, NULL);
  feed(&src, "one\ntwo\n");
  ASSERT_TRACE("[one] [two]");
  end_and_close(loop, &src);
}

CNET_TEST(crlf_is_one_line_end) {
  cnet_loop *loop = test_loop();
  source src;
  open_rl(loop, &src, NULL);
  feed(&src, "one\r\ntwo\r\n");
  ASSERT_TRACE("[one] [two]");
  end_and_close(loop, &src);
}

CNET_TEST(lone_cr_ends_a_line) {
  cnet_loop *loop = test_loop();
  source src;
  open_rl(loop, &src, NULL);
  /* Node's /\r?\n|\r(?!\n)/: CR CR is two ends, LF CR too. */
  feed(&src, "one\rtwo\r\r\n\rx");
  ASSERT_TRACE("[one] [two] [] []");
  end_and_close(loop, &src);
  ASSERT_TRACE("[one] [two] [] [] [x] pause close");
}

CNET_TEST(crlf_split_across_reads_is_one_end) {
  cnet_loop *loop = test_loop();
  source src;
  open_rl(loop, &src, NULL);
  feed(&src, "one\r");
  ASSERT_TRACE("[one]"); /* the CR ends the line at once, as in Node */
  feed(&src, "\ntwo\r");
  feed(&src, "\n");
  ASSERT_TRACE("[one] [two]");
  end_and_close(loop, &src);
}

static source *late_src;

static void feed_late_lf(cnet_timer *t, void *arg) {
  (void)t;
  (void)arg;
  feed(late_src, "\ntwo\n");
}

CNET_TEST(lf_after_the_crlf_delay_is_an_end_of_its_own) {
  cnet_loop *loop = test_loop();
  source src;
  cnet_readline *rl = open_rl(loop, &src, NULL);
  ASSERT_EQ(100, (int)cnet_readline_crlf_delay(rl));
  feed(&src, "one\r");
  late_src = &src;
  cnet_timer timer;
  cnet_timer_init(loop, &timer);
  cnet_timer_start(&timer, feed_late_lf, NULL, 150, 0);
  test_run(loop);
  ASSERT_TRACE("[one] [] [two]");
  end_and_close(loop, &src);
}

CNET_TEST(crlf_delay_infinity_joins_a_late_lf) {
  cnet_loop *loop = test_loop();
  source src;
  cnet_readline_options o = {.crlf_delay = CNET_READLINE_CRLF_DELAY_INFINITY};
  cnet_readline *rl = open_rl(loop, &src, &o);
  ASSERT(cnet_readline_crlf_delay(rl) == CNET_READLINE_CRLF_DELAY_INFINITY);
  feed(&src, "one\r");
  late_src = &src;
  cnet_timer timer;
  cnet_timer_init(loop, &timer);
  cnet_timer_start(&timer, feed_late_lf, NULL, 150, 0);
  test_run(loop);
  ASSERT_TRACE("[one] [two]");
  end_and_close(loop, &src);
}

CNET_TEST(crlf_delay_below_node_minimum_is_the_minimum) {
  cnet_loop *loop = test_loop();
  source src;
  cnet_readline_options o = {.crlf_delay = 5};
  cnet_readline *rl = open_rl(loop, &src, &o);
  ASSERT_EQ(100, (int)cnet_readline_crlf_delay(rl));
  end_and_close(loop, &src);
}

CNET_TEST(utf8_split_across_reads_comes_out_whole) {
  cnet_loop *loop = test_loop();
  source src;
  open_rl(loop, &src, NULL);
  /* é (2 bytes), € (3), 😀 (4), each cut inside the character. */
  const char *text = "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\n";
  size_t cuts[] = {4, 7, 9, 12, 13, 14, strlen(text)};
  size_t at = 0;
  for (size_t i = 0; i < sizeof cuts / sizeof cuts[0]; i++) {
    feed_n(&src, text + at, cuts[i] - at);
    at = cuts[i];
  }
  ASSERT_TRACE("[caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80]");
  end_and_close(loop, &src);
}

CNET_TEST(invalid_utf8_is_passed_as_it_came) {
  cnet_loop *loop = test_loop();
  source src;
  open_rl(loop, &src, NULL);
  feed(&src, "a\xff\xc3\n");
  ASSERT_TRACE("[a\xff\xc3]");
  end_and_close(loop, &src);
}

CNET_TEST(empty_lines_are_lines) {
  cnet_loop *loop = test_loop();
  source src;
  open_rl(loop, &src, NULL);
  feed(&src, "\n\n\r\n\r\r\n");
  ASSERT_TRACE("[] [] [] [] []");
  end_and_close(loop, &src);
}

/* ---- the end of the input -------------------------------------------------- */

CNET_TEST(final_line_without_end_is_emitted_at_end) {
  cnet_loop *loop = test_loop();
  source src;
  open_rl(loop, &src, NULL);
  feed(&src, "one\ntw");
  feed(&src, "o");
  ASSERT_TRACE("[one]");
  end_and_close(loop, &src);
  ASSERT_TRACE("[one] [two] pause close");
}

CNET_TEST(end_after_a_line_end_adds_no_empty_line) {
  cnet_loop *loop = test_loop();
  source src;
  open_rl(loop, &src, NULL);
  feed(&src, "one\r");
  end_and_close(loop, &src);
  ASSERT_TRACE("[one] pause close");
}

CNET_TEST(end_of_an_empty_input_only_closes) {
  cnet_loop *loop = test_loop();
  source src;
  cnet_readline *rl = open_rl(loop, &src, NULL);
  emit_type(&src, CNET_EV_END);
  ASSERT(cnet_readline_closed(rl));
  ASSERT(cnet_readline_paused(rl));
  ASSERT_NULL(cnet_readline_input(rl));
  ASSERT_EQ(0, cnet_listener_count(&src.em, CNET_EV_DATA));
  ASSERT_TRACE("pause close");
  end_and_close(loop, &src);
}

/* ---- memory ------------------------------------------------------------------ */

static const char *chunk_start, *chunk_end;
static int in_place, copied;

static void where(const cnet_event *ev, void *arg) {
  (void)arg;
  if (ev->data >= chunk_start && ev->data + ev->len <= chunk_end)
    in_place++;
  else
    copied++;
}

CNET_TEST(line_inside_one_read_is_passed_in_place) {
  cnet_loop *loop = test_loop();
  source src;
  cnet_readline *rl = open_rl(loop, &src, NULL);
  cnet_on(rl, CNET_EV_LINE, where, NULL);
  static const char read1[] = "one\ntwo\nthr";
  chunk_start = read1;
  chunk_end = read1 + sizeof read1 - 1;
  feed(&src, read1);
  ASSERT_EQ(2, in_place);
  ASSERT_EQ(0, copied);
  static const char read2[] = "ee\nfour\n";
  chunk_start = read2;
  chunk_end = read2 + sizeof read2 - 1;
  feed(&src, read2);
  /* "three" spans the reads: assembled; "four" is inside read2. */
  ASSERT_EQ(3, in_place);
  ASSERT_EQ(1, copied);
  ASSERT_TRACE("[one] [two] [three] [four]");
  end_and_close(loop, &src);
}

/* ---- the maximum line length ---------------------------------------------------- */

CNET_TEST(default_max_line_length_is_64_kib) {
  cnet_loop *loop = test_loop();
  source src;
  cnet_readline *rl = open_rl(loop, &src, NULL);
  ASSERT_EQ(64 * 1024, (int)cnet_readline_max_line_length(rl));
  ASSERT_EQ(64 * 1024, CNET_READLINE_MAX_LINE_LENGTH);
  ASSERT(!cnet_readline_terminal(rl));
  end_and_close(loop, &src);
}

CNET_TEST(line_of_max_length_is_a_line) {
  cnet_loop *loop = test_loop();
  source src;
  cnet_readline_options o = {.max_line_length = 8};
  open_rl(loop, &src, &o);
  feed(&src, "1234");
  feed(&src, "5678\r\n12345678\n");
  ASSERT_TRACE("[12345678] [12345678]");
  end_and_close(loop, &src);
}

static char error_message[CNET_ERROR_MESSAGE_MAX];

static void keep_message(const cnet_event *ev, void *arg) {
  (void)arg;
  snprintf(error_message, sizeof error_message, "%s", ev->error->message);
}

CNET_TEST(line_over_max_length_is_an_error_then_close) {
  cnet_loop *loop = test_loop();
  source src;
  cnet_readline_options o = {.max_line_length = 8};
  cnet_readline *rl = open_rl(loop, &src, &o);
  cnet_on(rl, CNET_EV_ERROR, keep_message, NULL);
  feed(&src, "ok\n123456789\nnever\n");
  ASSERT_TRACE("[ok] error(ERR_OUT_OF_RANGE) pause close");
  ASSERT_STR_EQ("The value of \"line length\" is out of range. It must be <= 8 bytes. "
                "Received more than 8 bytes",
                error_message);
  ASSERT(cnet_readline_closed(rl));
  end_and_close(loop, &src);
}

CNET_TEST(line_over_max_length_errors_before_its_end_comes) {
  cnet_loop *loop = test_loop();
  source src;
  cnet_readline_options o = {.max_line_length = 8};
  open_rl(loop, &src, &o);
  feed(&src, "1234");
  feed(&src, "5678");
  ASSERT_TRACE("");
  feed(&src, "9");
  ASSERT_TRACE("error(ERR_OUT_OF_RANGE) pause close");
  end_and_close(loop, &src);
}

CNET_TEST(never_ending_line_is_let_go_at_the_bound) {
  cnet_loop *loop = test_loop();
  source src;
  cnet_readline *rl = open_rl(loop, &src, NULL);
  static char block[4096];
  memset(block, 'x', sizeof block);
  /* 16 MiB of one line: the interface stops at 64 KiB + 1 and stops
   * listening, so nothing past the bound is kept anywhere. */
  for (int i = 0; i < 4096; i++) feed_n(&src, block, sizeof block);
  ASSERT_TRACE("error(ERR_OUT_OF_RANGE) pause close");
  ASSERT(cnet_readline_closed(rl));
  ASSERT_EQ(0, cnet_listener_count(&src.em, CNET_EV_DATA));
  end_and_close(loop, &src);
}

/* ---- pause, resume, close ---------------------------------------------------------- */

static void pause_on_one(const cnet_event *ev, void *arg) {
  if (ev->len == 3 && memcmp(ev->data, "one", 3) == 0) cnet_readline_pause(arg);
}

CNET_TEST(pause_in_a_line_listener_keeps_the_rest_of_the_read) {
  cnet_loop *loop = test_loop();
  source src;
  cnet_readline *rl = open_rl(loop, &src, NULL);
  cnet_on(rl, CNET_EV_LINE, pause_on_one, rl);
  /* Node: 'pause' stops the input, not the lines of the read in hand. */
  feed(&src, "one\ntwo\nthree\n");
  ASSERT_TRACE("[one] pause [two] [three]");
  ASSERT(cnet_readline_paused(rl));
  ASSERT_EQ(0, cnet_readline_pause(rl)); /* again: nothing */
  ASSERT_EQ(0, cnet_readline_resume(rl));
  ASSERT_EQ(0, cnet_readline_resume(rl)); /* again: nothing */
  ASSERT_TRACE("[one] pause [two] [three] resume");
  ASSERT(!cnet_readline_paused(rl));
  end_and_close(loop, &src);
}

static cnet_readline *file_rl;
static int file_lines;

static void resume_later(cnet_immediate *im, void *arg) {
  (void)im;
  (void)arg;
  test_trace("input-paused:%d", cnet_stream_is_paused(cnet_readline_input(file_rl)));
  cnet_readline_resume(file_rl);
}

static cnet_immediate resume_im;
static cnet_loop *file_loop;

static void pause_first_line(const cnet_event *ev, void *arg) {
  (void)ev;
  if (++file_lines > 1) return;
  cnet_readline_pause(arg);
  cnet_set_immediate(file_loop, &resume_im, resume_later, NULL);
}

static char dir[256];

static const char *make_file(const char *name, const void *data, size_t len) {
  static char path[512];
  const char *t = getenv("TMPDIR");
  snprintf(dir, sizeof dir, "%s/cnet-readline-XXXXXX", t && *t ? t : "/tmp");
  ASSERT_NOT_NULL(mkdtemp(dir));
  snprintf(path, sizeof path, "%s/%s", dir, name);
  FILE *f = fopen(path, "wb");
  ASSERT_NOT_NULL(f);
  ASSERT_EQ(len, fwrite(data, 1, len, f));
  fclose(f);
  return path;
}

static void remove_file(const char *path) {
  ASSERT_EQ(0, remove(path));
  ASSERT_EQ(0, rmdir(dir));
}

static void trace_input(const cnet_event *ev, void *arg) {
  (void)arg;
  test_trace("input:%s", cnet_event_name((int)ev->type));
}

CNET_TEST(pause_stops_the_input_stream_until_resume) {
  const char *path = make_file("a.txt", "one\ntwo\nthree\n", 14);
  cnet_loop *loop = test_loop();
  file_loop = loop;
  /* Reads of 4 bytes: "one\n" is a read of its own. */
  cnet_fs_stream_options fo = {.high_water_mark = 4};
  cnet_fs_read_stream *rs = NULL;
  cnet_fs_create_read_stream(loop, path, &fo, &rs);
  ASSERT_NOT_NULL(rs);
  cnet_readline *rl = NULL;
  ASSERT_EQ(0, cnet_readline_create(rs, NULL, &rl));
  file_rl = rl;
  trace_all(rl);
  cnet_on(rs, CNET_EV_PAUSE, trace_input, NULL);
  cnet_on(rs, CNET_EV_RESUME, trace_input, NULL);
  cnet_on(rs, CNET_EV_CLOSE, trace_input, NULL);
  cnet_on(rl, CNET_EV_LINE, pause_first_line, rl);
  test_run(loop);
  /* The stream's 'resume' comes a tick after the interface's, as in Node. */
  ASSERT_TRACE("input:resume [one] input:pause pause input-paused:1 resume input:resume "
               "[two] [three] input:pause pause close input:close");
  test_loop_close(loop);
  remove_file(path);
}

static void close_on_two(const cnet_event *ev, void *arg) {
  if (ev->len == 3 && memcmp(ev->data, "two", 3) == 0) cnet_readline_close(arg);
}

CNET_TEST(close_emits_pause_then_close_and_drops_the_rest) {
  cnet_loop *loop = test_loop();
  source src;
  cnet_readline *rl = open_rl(loop, &src, NULL);
  cnet_on(rl, CNET_EV_LINE, close_on_two, rl);
  feed(&src, "one\ntwo\nthree\nfour");
  /* Nothing after 'close' (Node would still emit [three]). */
  ASSERT_TRACE("[one] [two] pause close");
  ASSERT(cnet_readline_closed(rl));
  ASSERT_EQ(0, cnet_listener_count(&src.em, CNET_EV_DATA));
  ASSERT_EQ(0, cnet_listener_count(&src.em, CNET_EV_END));
  ASSERT_EQ(0, cnet_listener_count(&src.em, CNET_EV_ERROR));
  ASSERT_EQ(0, cnet_listener_count(&src.em, CNET_EV_CLOSE));
  end_and_close(loop, &src);
}

CNET_TEST(close_when_paused_emits_only_close) {
  cnet_loop *loop = test_loop();
  source src;
  cnet_readline *rl = open_rl(loop, &src, NULL);
  cnet_readline_pause(rl);
  ASSERT_EQ(0, cnet_readline_close(rl));
  ASSERT_EQ(0, cnet_readline_close(rl)); /* again: nothing */
  ASSERT_TRACE("pause close");
  end_and_close(loop, &src);
}

CNET_TEST(write_and_resume_after_close_fail) {
  cnet_loop *loop = test_loop();
  source src;
  cnet_readline *rl = open_rl(loop, &src, NULL);
  cnet_readline_close(rl);
  ASSERT_EQ(CNET_ERR_USE_AFTER_CLOSE, cnet_readline_write(rl, "a\n", 2));
  ASSERT_EQ(CNET_ERR_USE_AFTER_CLOSE, cnet_readline_resume(rl));
  ASSERT_EQ(0, cnet_readline_pause(rl));
  ASSERT_STR_EQ("ERR_USE_AFTER_CLOSE", cnet_err_name(CNET_ERR_USE_AFTER_CLOSE));
  ASSERT_TRACE("pause close");
  end_and_close(loop, &src);
}

/* ---- write ------------------------------------------------------------------------- */

CNET_TEST(write_splits_as_a_read_would) {
  cnet_loop *loop = test_loop();
  source src;
  cnet_readline *rl = open_rl(loop, &src, NULL);
  ASSERT_EQ(0, cnet_readline_write(rl, "one\ntw", 6));
  feed(&src, "o\n");
  ASSERT_EQ(0, cnet_readline_write(rl, NULL, 0));
  ASSERT_EQ(CNET_EINVAL, cnet_readline_write(rl, NULL, 1));
  ASSERT_TRACE("[one] [two]");
  end_and_close(loop, &src);
}

CNET_TEST(write_resumes_a_paused_interface) {
  cnet_loop *loop = test_loop();
  source src;
  cnet_readline *rl = open_rl(loop, &src, NULL);
  cnet_readline_pause(rl);
  cnet_readline_write(rl, "one\n", 4);
  ASSERT_TRACE("pause resume [one]");
  end_and_close(loop, &src);
}

static void write_on_one(const cnet_event *ev, void *arg) {
  if (ev->len == 3 && memcmp(ev->data, "one", 3) == 0) cnet_readline_write(arg, "x\ny", 3);
}

CNET_TEST(write_from_a_line_listener_is_split_after_the_read) {
  cnet_loop *loop = test_loop();
  source src;
  cnet_readline *rl = open_rl(loop, &src, NULL);
  cnet_on(rl, CNET_EV_LINE, write_on_one, rl);
  feed(&src, "one\ntwo\nthr");
  /* The bytes in the order they came: one, two, thr + x, then y. */
  ASSERT_TRACE("[one] [two] [thrx]");
  end_and_close(loop, &src);
  ASSERT_TRACE("[one] [two] [thrx] [y] pause close");
}

static void end_on_one(const cnet_event *ev, void *arg) {
  if (ev->len == 3 && memcmp(ev->data, "one", 3) == 0) emit_type(arg, CNET_EV_END);
}

CNET_TEST(end_from_a_line_listener_waits_for_the_read) {
  cnet_loop *loop = test_loop();
  source src;
  cnet_readline *rl = open_rl(loop, &src, NULL);
  cnet_on(rl, CNET_EV_LINE, end_on_one, &src);
  feed(&src, "one\ntwo\nlast");
  ASSERT_TRACE("[one] [two] [last] pause close");
  ASSERT(cnet_readline_closed(rl));
  end_and_close(loop, &src);
}

/* ---- the input's errors and close ------------------------------------------------------- */

CNET_TEST(input_error_is_passed_on) {
  cnet_loop *loop = test_loop();
  source src;
  cnet_readline *rl = open_rl(loop, &src, NULL);
  cnet_error err;
  cnet_error_set(&err, CNET_ECONNRESET, "read ECONNRESET");
  cnet_event ev = {.type = CNET_EV_ERROR, .error = &err};
  ASSERT_EQ(1, cnet_emit(&src.em, &ev));
  /* As in Node, an error of the input does not close the interface. */
  ASSERT_TRACE("error(ECONNRESET)");
  ASSERT(!cnet_readline_closed(rl));
  end_and_close(loop, &src);
}

CNET_TEST(input_close_without_end_closes) {
  cnet_loop *loop = test_loop();
  source src;
  cnet_readline *rl = open_rl(loop, &src, NULL);
  feed(&src, "one\ntw");
  emit_type(&src, CNET_EV_CLOSE);
  /* The part line is dropped: only an end makes it a line. */
  ASSERT_TRACE("[one] pause close");
  ASSERT(cnet_readline_closed(rl));
  end_and_close(loop, &src);
}

CNET_TEST(input_stream_error_is_passed_on_then_close) {
  char missing[512];
  const char *t = getenv("TMPDIR");
  snprintf(missing, sizeof missing, "%s/cnet-readline-missing-%d", t && *t ? t : "/tmp",
           (int)getpid());
  cnet_loop *loop = test_loop();
  cnet_fs_read_stream *rs = NULL;
  cnet_fs_create_read_stream(loop, missing, NULL, &rs);
  ASSERT_NOT_NULL(rs);
  cnet_readline *rl = NULL;
  ASSERT_EQ(0, cnet_readline_create(rs, NULL, &rl));
  trace_all(rl);
  test_run(loop);
  ASSERT_TRACE("error(ENOENT) pause close");
  test_loop_close(loop);
}

CNET_TEST(unheard_error_is_printed_and_closes) {
  cnet_loop *loop = test_loop();
  source src;
  cnet_emitter_init(&src.em);
  cnet_readline *rl = NULL;
  cnet_readline_options o = {.loop = loop, .max_line_length = 2};
  ASSERT_EQ(0, cnet_readline_create(&src, &o, &rl));
  cnet_on(rl, CNET_EV_CLOSE, tr, NULL);
  test_stderr_begin();
  feed(&src, "abc");
  const char *out = test_stderr_end();
  ASSERT_NOT_NULL(strstr(out, "unhandled 'error' event on readline.Interface"));
  ASSERT_NOT_NULL(strstr(out, "(ERR_OUT_OF_RANGE)"));
  ASSERT_TRACE("close");
  end_and_close(loop, &src);
}

/* ---- creating one ------------------------------------------------------------------------ */

CNET_TEST(create_refuses_what_is_not_a_readable_input) {
  cnet_loop *loop = test_loop();
  cnet_readline *rl = (cnet_readline *)&rl;
  ASSERT_EQ(CNET_EINVAL, cnet_readline_create(NULL, NULL, &rl));
  ASSERT_NULL(rl);
  int not_an_emitter[16] = {0};
  ASSERT_EQ(CNET_EINVAL, cnet_readline_create(not_an_emitter, NULL, &rl));
  source src;
  cnet_emitter_init(&src.em);
  /* An emitter of your own needs the loop. */
  ASSERT_EQ(CNET_EINVAL, cnet_readline_create(&src, NULL, &rl));
  ASSERT_EQ(CNET_EINVAL, cnet_readline_create(&src, &(cnet_readline_options){.loop = loop},
                                              NULL));
  cnet_memory_sink *sink = NULL;
  cnet_memory_sink_new(loop, NULL, &sink);
  ASSERT_EQ(CNET_ERR_INVALID_ARG_TYPE, cnet_readline_create(sink, NULL, &rl));
  ASSERT_NULL(rl);
  /* A stream's interface is on the stream's loop. */
  cnet_fs_read_stream *rs = NULL;
  cnet_fs_create_read_stream(loop, "/dev/null", NULL, &rs);
  ASSERT_NOT_NULL(rs);
  cnet_loop *other = test_loop();
  ASSERT_EQ(CNET_EINVAL, cnet_readline_create(rs, &(cnet_readline_options){.loop = other},
                                              &rl));
  ASSERT_EQ(0, cnet_listener_count(rs, CNET_EV_DATA));
  cnet_readline *first = NULL;
  ASSERT_EQ(0, cnet_readline_create(&src, &(cnet_readline_options){.loop = loop}, &first));
  ASSERT_EQ(CNET_ERR_INVALID_ARG_TYPE, cnet_readline_create(first, NULL, &rl));
  ASSERT_EQ(0, cnet_listener_count(sink, CNET_EV_DATA));
  cnet_stream_destroy(sink, NULL);
  cnet_stream_destroy(rs, NULL);
  cnet_readline_close(first);
  test_run(loop);
  cnet_emitter_dispose(&src.em);
  test_loop_close(other);
  test_loop_close(loop);
}

CNET_TEST(open_interface_is_reported_by_loop_close) {
  cnet_loop *loop = test_loop();
  source src;
  cnet_readline *rl = open_rl(loop, &src, NULL);
  test_run(loop); /* an interface never keeps the loop running */
  test_stderr_begin();
  ASSERT_EQ(CNET_EBUSY, cnet_loop_close(loop));
  ASSERT_NOT_NULL(strstr(test_stderr_end(), "open handle: readline.Interface"));
  cnet_readline_close(rl);
  end_and_close(loop, &src);
}

CNET_TEST(hold_keeps_the_interface_after_close) {
  cnet_loop *loop = test_loop();
  source src;
  cnet_readline *rl = open_rl(loop, &src, NULL);
  ASSERT_EQ(0, cnet_readline_hold(rl));
  emit_type(&src, CNET_EV_END);
  test_run(loop); /* the close phase has run: without hold, rl is freed */
  ASSERT(cnet_readline_closed(rl));
  ASSERT_EQ(0, cnet_readline_release(rl));
  end_and_close(loop, &src);
}

/* ---- a file ----------------------------------------------------------------------------- */

CNET_TEST(file_lines_in_three_byte_reads) {
  static const char text[] = "ab\r\ncd\ref\n\xc3\xa9\r\nlast";
  const char *path = make_file("b.txt", text, sizeof text - 1);
  cnet_loop *loop = test_loop();
  cnet_fs_stream_options fo = {.high_water_mark = 3};
  cnet_fs_read_stream *rs = NULL;
  cnet_fs_create_read_stream(loop, path, &fo, &rs);
  cnet_readline *rl = NULL;
  ASSERT_EQ(0, cnet_readline_create(rs, NULL, &rl));
  trace_all(rl);
  cnet_on(rs, CNET_EV_END, trace_input, NULL);
  test_run(loop);
  ASSERT_TRACE("[ab] [cd] [ef] [\xc3\xa9] [last] pause close input:end");
  test_loop_close(loop);
  remove_file(path);
}

/* ---- any cut of the input gives the same lines ----------------------------------------- */

/* splitmix64: the test's seeded random numbers. */
static uint64_t rng_state;
static uint64_t rnd(void) {
  uint64_t z = (rng_state += UINT64_C(0x9e3779b97f4a7c15));
  z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
  z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
  return z ^ (z >> 31);
}

/* What came out: each line as "<len>:<bytes>", an error as "E". */
typedef struct outcome {
  char *p;
  size_t len, cap;
} outcome;

static void out_add(outcome *o, const char *data, size_t len) {
  if (o->len + len + 24 > o->cap) {
    o->cap = (o->len + len + 24) * 2;
    o->p = realloc(o->p, o->cap);
    ASSERT_NOT_NULL(o->p);
  }
  o->len += (size_t)sprintf(o->p + o->len, "%zu:", len);
  memcpy(o->p + o->len, data, len);
  o->len += len;
}

static void collect(const cnet_event *ev, void *arg) {
  outcome *o = arg;
  if (ev->type == CNET_EV_LINE)
    out_add(o, ev->data, ev->len);
  else
    out_add(o, "E", 1);
}

/* The model: one byte at a time, as the header describes the lines. */
static void model(const char *in, size_t n, size_t max, outcome *o) {
  char *line = malloc(max + 1);
  size_t len = 0;
  bool after_cr = false;
  for (size_t i = 0; i < n; i++) {
    char c = in[i];
    if (after_cr && c == '\n') {
      after_cr = false;
      continue;
    }
    after_cr = c == '\r';
    if (c == '\r' || c == '\n') {
      out_add(o, line, len);
      len = 0;
      continue;
    }
    if (len == max) {
      out_add(o, "E", 1);
      free(line);
      return;
    }
    line[len++] = c;
  }
  if (len) out_add(o, line, len);
  free(line);
}

/* Feeds in to a new interface in reads of random lengths (whole when
 * max_read is 0), ends it, and returns what came out. */
static void run_cut(cnet_loop *loop, const char *in, size_t n, size_t max, size_t max_read,
                    outcome *o) {
  source src;
  cnet_emitter_init(&src.em);
  cnet_readline *rl = NULL;
  cnet_readline_options opts = {.loop = loop, .max_line_length = max};
  ASSERT_EQ(0, cnet_readline_create(&src, &opts, &rl));
  cnet_on(rl, CNET_EV_LINE, collect, o);
  cnet_on(rl, CNET_EV_ERROR, collect, o);
  for (size_t at = 0; at < n;) {
    size_t k = max_read ? 1 + rnd() % max_read : n;
    if (k > n - at) k = n - at;
    /* Each read in a block of its own, so that ASan sees a read past it. */
    char *read = malloc(k);
    memcpy(read, in + at, k);
    feed_n(&src, read, k);
    free(read);
    at += k;
  }
  emit_type(&src, CNET_EV_END);
  ASSERT_EQ(0, cnet_loop_run(loop, CNET_RUN_NOWAIT));
  cnet_emitter_dispose(&src.em);
}

CNET_TEST(any_cut_of_random_text_gives_the_model_lines) {
  uint64_t seed = 20240611;
  const char *env = getenv("CNET_TEST_SEED");
  if (env && *env) seed = strtoull(env, NULL, 10);
  printf("seed %llu (CNET_TEST_SEED)\n", (unsigned long long)seed);
  rng_state = seed;
  static const char *const pieces[] = {"a", "b", "\xc3\xa9", "\xf0\x9f\x98\x80", "\r", "\n",
                                       "\r\n", " "};
  cnet_loop *loop = test_loop();
  for (int round = 0; round < 300; round++) {
    char text[2048];
    size_t n = 0, want = rnd() % 1024;
    while (n < want) {
      const char *p = pieces[rnd() % (sizeof pieces / sizeof pieces[0])];
      memcpy(text + n, p, strlen(p));
      n += strlen(p);
    }
    size_t max = round % 3 == 0 ? 16 + rnd() % 48 : 4096;
    outcome expect = {0}, whole = {0}, cut = {0}, bytes = {0};
    model(text, n, max, &expect);
    run_cut(loop, text, n, max, 0, &whole);
    run_cut(loop, text, n, max, 1 + rnd() % 64, &cut);
    run_cut(loop, text, n, max, 1, &bytes);
    ASSERT_EQ(expect.len, whole.len);
    ASSERT_MEM_EQ(expect.p, whole.p, expect.len);
    ASSERT_EQ(expect.len, cut.len);
    ASSERT_MEM_EQ(expect.p, cut.p, expect.len);
    ASSERT_EQ(expect.len, bytes.len);
    ASSERT_MEM_EQ(expect.p, bytes.p, expect.len);
    free(expect.p);
    free(whole.p);
    free(cut.p);
    free(bytes.p);
  }
  test_loop_close(loop);
}
