/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* Twin of stream_slow_writable.js: the slow writable is a memory sink in
 * slow mode (each write completes in the immediate phase). */
#include <cnet.h>
#include <stdio.h>
#include "trace.h"

static cnet_fs_read_stream *rs;
static cnet_memory_sink *sink;

static const char *b(bool v) { return v ? "true" : "false"; }
static const char *flowing(void *s) {
  int f = cnet_stream_readable_flowing(s);
  return f < 0 ? "null" : f ? "true" : "false";
}
static void stored(size_t *len, const char **data) { *data = cnet_memory_sink_data(sink, len); }

static void r_data(const cnet_event *ev, void *arg) {
  (void)arg;
  t("R data \"%.*s\" %zu %s %s", (int)ev->len, ev->data, cnet_stream_writable_length(sink),
    b(cnet_stream_writable_need_drain(sink)), b(cnet_stream_is_paused(rs)));
}
static void r_pause(const cnet_event *ev, void *arg) { (void)ev; (void)arg; t("R pause %s", flowing(rs)); }
static void r_resume(const cnet_event *ev, void *arg) { (void)ev; (void)arg; t("R resume %s", flowing(rs)); }
static void r_end(const cnet_event *ev, void *arg) {
  (void)ev; (void)arg;
  t("R end %llu", (unsigned long long)cnet_fs_read_stream_bytes_read(rs));
}
static void r_close(const cnet_event *ev, void *arg) { (void)ev; (void)arg; t("R close"); }
static void w_pipe(const cnet_event *ev, void *arg) { (void)ev; (void)arg; t("W pipe"); }
static void w_drain(const cnet_event *ev, void *arg) {
  (void)ev; (void)arg;
  size_t len;
  const char *d;
  stored(&len, &d);
  t("W drain %zu \"%.*s\" %zu", cnet_memory_sink_write_count(sink), (int)len, d,
    cnet_stream_writable_length(sink));
}
static void w_unpipe(const cnet_event *ev, void *arg) { (void)ev; (void)arg; t("W unpipe"); }
static void w_finish(const cnet_event *ev, void *arg) {
  (void)ev; (void)arg;
  size_t len;
  const char *d;
  stored(&len, &d);
  t("W finish %zu \"%.*s\"", cnet_memory_sink_write_count(sink), (int)len, d);
}
static void w_close(const cnet_event *ev, void *arg) { (void)ev; (void)arg; t("W close"); }

int main(void) {
  trace_init();
  FILE *f = fopen("in.txt", "wb");
  fputs("0123456789abcdefgh", f);
  fclose(f);
  cnet_loop *loop = cnet_default_loop();
  cnet_memory_sink_options mo = {
      .high_water_mark = 4, .has_high_water_mark = true, .slow = true};
  cnet_memory_sink_new(loop, &mo, &sink);
  cnet_fs_stream_options o = {.high_water_mark = 4, .has_high_water_mark = true};
  cnet_fs_create_read_stream(loop, "in.txt", &o, &rs);
  cnet_on(rs, CNET_EV_PAUSE, r_pause, NULL);
  cnet_on(rs, CNET_EV_RESUME, r_resume, NULL);
  cnet_on(rs, CNET_EV_END, r_end, NULL);
  cnet_on(rs, CNET_EV_CLOSE, r_close, NULL);
  cnet_on(sink, CNET_EV_PIPE, w_pipe, NULL);
  cnet_on(sink, CNET_EV_DRAIN, w_drain, NULL);
  cnet_on(sink, CNET_EV_UNPIPE, w_unpipe, NULL);
  cnet_on(sink, CNET_EV_FINISH, w_finish, NULL);
  cnet_on(sink, CNET_EV_CLOSE, w_close, NULL);
  cnet_pipe(rs, sink, NULL);
  t("piped %s %zu", flowing(rs), cnet_stream_writable_high_water_mark(sink));
  cnet_on(rs, CNET_EV_DATA, r_data, NULL);
  cnet_loop_run(loop, CNET_RUN_DEFAULT);
  return cnet_loop_close(loop) == 0 ? 0 : 1;
}
