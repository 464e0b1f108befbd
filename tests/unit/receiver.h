/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* The write tests' other end: a server on 127.0.0.1 that keeps every byte
 * its connection receives (rx.got, rx.len) and notes its 'end' (rx.ended,
 * when it also closes the server), so that a test checks what a writer
 * sent once the loop has run. Included by one test file each: its state
 * is the file's. */
#ifndef CNET_TEST_RECEIVER_H
#define CNET_TEST_RECEIVER_H

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <cnet.h>

#include "harness.h"

static cnet_server *server;
static struct {
  unsigned char *got;
  size_t len, cap;
  bool ended;
} rx;

static void rx_data(const cnet_event *ev, void *arg) {
  (void)arg;
  if (rx.len + ev->len > rx.cap) {
    rx.cap = (rx.len + ev->len) * 2;
    rx.got = realloc(rx.got, rx.cap);
    ASSERT_NOT_NULL(rx.got);
  }
  memcpy(rx.got + rx.len, ev->data, ev->len);
  rx.len += ev->len;
}

static void rx_end(const cnet_event *ev, void *arg) {
  (void)ev, (void)arg;
  rx.ended = true;
  cnet_server_close(server, NULL, NULL);
}

static void rx_connection(const cnet_event *ev, void *arg) {
  (void)arg;
  cnet_on(ev->object, CNET_EV_DATA, rx_data, NULL);
  cnet_on(ev->object, CNET_EV_END, rx_end, NULL);
}

/* Starts the receiving server afresh (the trace reset too); its port. */
static int receiver_start(cnet_loop *loop) {
  memset(&rx, 0, sizeof rx);
  test_trace_reset();
  cnet_create_server(loop, NULL, rx_connection, NULL, &server);
  ASSERT_NOT_NULL(server);
  return test_listen(loop, server, "127.0.0.1", 0);
}

/* A listener that traces the event's name. */
static void on_event(const cnet_event *ev, void *arg) {
  (void)arg;
  test_trace("%s", cnet_event_name((int)ev->type));
}

#endif
