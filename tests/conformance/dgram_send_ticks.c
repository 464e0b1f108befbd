/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* Twin of dgram_send_ticks.js. */
#include "dgram.h"

static cnet_loop *loop;
static cnet_dgram *r, *s, *u;
static int port;
static cnet_immediate im1, im2;

static void t21(void *arg) { t("T2.1"); }
static void t2(void *arg) {
  t("T2");
  cnet_next_tick(loop, t21, NULL);
}

static void u_listening(void *target, const cnet_error *e, void *arg) {
  cnet_dgram_send(u, "e", 1, port, "127.0.0.1", say_cb, "e cb never");
  cnet_dgram_close(u, say_cb, "u closed");
  cnet_dgram_close(s, say_cb, "s closed");
  cnet_dgram_close(r, say_cb, "r closed");
}
static void on_im2(cnet_immediate *im, void *arg) {
  cnet_dgram_create(loop, "udp4", NULL, NULL, &u);
  cnet_dgram_bind(u, 0, "127.0.0.1", u_listening, NULL);
}
static void connected(void *target, const cnet_error *e, void *arg) {
  tick_trace("C0");
  cnet_dgram_send(s, "c", 1, 0, NULL, say_cb, "c cb");
  tick_trace("C1");
  cnet_dgram_send(s, "d", 1, 0, NULL, say_cb, "d cb");
  cnet_set_immediate(loop, &im2, on_im2, NULL);
}
static void on_im1(cnet_immediate *im, void *arg) {
  t("immediate");
  cnet_dgram_connect(s, port, "127.0.0.1", connected, NULL);
}
static void s_listening(void *target, const cnet_error *e, void *arg) {
  tick_trace("T0");
  cnet_dgram_send(s, "a", 1, port, "127.0.0.1", say_cb, "a cb");
  tick_trace("T1");
  cnet_dgram_send(s, "b", 1, port, "127.0.0.1", say_cb, "b cb");
  cnet_next_tick(loop, t2, NULL);
  cnet_set_immediate(loop, &im1, on_im1, NULL);
}
static void r_listening(void *target, const cnet_error *e, void *arg) {
  cnet_address a;
  cnet_dgram_address(r, &a);
  port = a.port;
  cnet_dgram_create(loop, "udp4", NULL, NULL, &s);
  cnet_dgram_bind(s, 0, "127.0.0.1", s_listening, NULL);
}

int main(void) {
  trace_init();
  loop = cnet_default_loop();
  cnet_dgram_create(loop, "udp4", NULL, NULL, &r);
  cnet_dgram_bind(r, 0, "127.0.0.1", r_listening, NULL);
  cnet_loop_run(loop, CNET_RUN_DEFAULT);
  return cnet_loop_close(loop) == 0 ? 0 : 1;
}
