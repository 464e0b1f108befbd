/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* Helpers shared by the dgram_* scenarios (twin of lib/dgram.js). */
#ifndef CNET_CONFORMANCE_DGRAM_H
#define CNET_CONFORMANCE_DGRAM_H
#include <cnet.h>
#include <stdbool.h>
#include <string.h>
#include "trace.h"

/* A call that Node may throw from: "<label> ok" or "<label> THROW ...". */
static inline int tr(const char *label, cnet_dgram *s, int r) {
  if (r < 0)
    t("%s THROW %s | %s", label, cnet_err_name(r),
      s ? cnet_last_error()->message : cnet_strerror(r));
  else
    t("%s ok", label);
  return r;
}

static inline void addr(const char *label, const cnet_address *a) {
  t("%s %s %s %d", label, a->address, a->family, a->port);
}

/* JSON.stringify(msg.toString()) for the plain text the scenarios send. */
static inline void rinfo(const char *label, const cnet_event *ev) {
  t("%s \"%.*s\" %s %s %d %zu", label, (int)ev->len, ev->data,
    ev->rinfo->address, ev->rinfo->family, ev->rinfo->port, ev->rinfo->size);
}

static inline void err(const char *label, const cnet_error *e) {
  if (!e)
    t("%s null", label);
  else
    t("%s %s | %s", label, cnet_err_name(e->code), e->message);
}

static inline const char *bs(bool v) { return v ? "true" : "false"; }

/* process.nextTick(() => t(text)) */
static inline void tick_trace_cb(void *arg) { t("%s", (const char *)arg); }
static inline void tick_trace(const char *text) {
  cnet_next_tick(cnet_default_loop(), tick_trace_cb, (void *)text);
}

/* The arg of a send whose callback prints Node's (err, bytes): cnet's
 * callback is given the error alone, and the bytes are the length the
 * scenario passed, kept here beside the label. Static storage: the
 * callback runs after the call has returned. */
typedef struct sent_arg {
  const char *label;
  size_t len;
} sent_arg;

/* A listener that prints its argument. */
static inline void say(const cnet_event *ev, void *arg) {
  (void)ev;
  t("%s", (const char *)arg);
}

/* say as a bind or close callback: Node passes the same function to
 * on('listening') and to bind(), cnet takes a listener for the one and a
 * cnet_callback for the other. */
static inline void say_cb(void *object, const cnet_error *e, void *arg) {
  (void)object;
  (void)e;
  t("%s", (const char *)arg);
}
#endif
