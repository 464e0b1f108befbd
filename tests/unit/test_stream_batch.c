/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* cnet-test-labels: unit threads
 * Write callbacks of batched writes (Node's _writev path) on a stream
 * whose writes complete later (a file stream, on the worker pool): each
 * runs once, in order, after its bytes are in the file, even when more
 * writes are queued while a batch is being written. */
#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static cnet_fs_write_stream *ws;
static char path[64];
static long expect_size;
static int called;

static long file_size(void) {
  struct stat st;
  return stat(path, &st) == 0 ? (long)st.st_size : -1;
}

/* arg: the file size once this write is in it. */
static void written(void *object, const cnet_error *err, void *arg) {
  (void)object;
  ASSERT_NULL(err);
  long at = (long)(intptr_t)arg;
  test_trace("%ld", at);
  ASSERT(file_size() >= at);
  called++;
}

static void write_n(size_t n) {
  static char data[4096];
  expect_size += (long)n;
  cnet_stream_write(ws, data, n, written, (void *)(intptr_t)expect_size);
}

/* A's callback comes while B and C go out as one batch: D and E queue
 * behind that batch and make the next one. */
static void written_a(void *object, const cnet_error *err, void *arg) {
  written(object, err, arg);
  write_n(400);
  write_n(500);
  cnet_stream_end(ws, NULL, 0, NULL, NULL);
}

CNET_TEST(batched_write_callbacks_run_once_after_their_data) {
  cnet_loop *loop = test_loop();
  snprintf(path, sizeof path, "/tmp/cnet-batch-%d", (int)getpid());
  cnet_fs_stream_options fo = {.flags = "w"};
  ASSERT_EQ(0, cnet_fs_create_write_stream(loop, path, &fo, &ws));
  expect_size = 100;
  cnet_stream_write(ws, (char[100]){0}, 100, written_a, (void *)(intptr_t)100);
  write_n(200);
  write_n(300);
  test_run(loop);
  long size = file_size();
  unlink(path); /* before a failed assertion leaves it behind */
  ASSERT_TRACE("100 300 600 1000 1500");
  ASSERT_EQ(5, called);
  ASSERT_EQ(1500, size);
  test_loop_close(loop);
}
