/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* What the dgram tests of tests/unit and tests/internal share: a UDP
 * socket bound to 127.0.0.1 on a port of the kernel's choosing, bound
 * before it is returned. Include after harness.h. */
#ifndef CNET_TEST_DGRAM_BOUND_H
#define CNET_TEST_DGRAM_BOUND_H

#include "harness.h"

static inline void stop_loop(void *target, const cnet_error *err, void *arg) {
  (void)target;
  ASSERT_NULL(err);
  cnet_loop_stop(arg);
}

/* The socket, with on_message(arg) on 'message' (if not NULL); its port
 * in *port (if not NULL). */
static inline cnet_dgram *bound_socket(cnet_loop *loop,
                                       cnet_listener on_message, void *arg,
                                       int *port) {
  cnet_dgram *s = NULL;
  cnet_dgram_create(loop, "udp4", on_message, arg, &s);
  ASSERT_NOT_NULL(s);
  ASSERT_EQ(0, cnet_dgram_bind(s, 0, "127.0.0.1", stop_loop, loop));
  cnet_loop_run(loop, CNET_RUN_DEFAULT);
  cnet_address a;
  ASSERT_EQ(0, cnet_dgram_address(s, &a));
  if (port) *port = a.port;
  return s;
}

/* A 'close' listener that traces its argument (a string). */
static inline void trace_close(const cnet_event *ev, void *arg) {
  (void)ev;
  test_trace("%s", (const char *)arg);
}

/* The same as a completion callback (bind, close): its argument, and the
 * error's message if there is one. */
static inline void trace_done(void *target, const cnet_error *err, void *arg) {
  (void)target;
  if (err)
    test_trace("%s:%s", (const char *)arg, err->message);
  else
    test_trace("%s", (const char *)arg);
}

#endif
