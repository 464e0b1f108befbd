/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* Twin of dgram_ref_unref.js: the loop returns when only unref'd sockets
 * are left ("exit"); the program then closes them. */
#include "dgram.h"

static cnet_loop *loop;
static cnet_dgram *a, *b, *c;
static cnet_timer timer;

static void c_listening(void *target, const cnet_error *e, void *arg) {
  t("c listening");
  cnet_dgram_unref(c);
}

static void on_timer(cnet_timer *tm, void *arg) {
  t("timer");
  cnet_dgram_unref(b);
  cnet_dgram_create(loop, "udp4", NULL, NULL, &c);
  cnet_dgram_unref(c);
  cnet_dgram_ref(c);
  cnet_dgram_bind(c, 0, "127.0.0.1", c_listening, NULL);
}

static void b_listening(void *target, const cnet_error *e, void *arg) {
  t("b listening");
  cnet_dgram_unref(b);
  cnet_dgram_ref(b);
  cnet_timer_init(loop, &timer);
  cnet_set_timeout(&timer, on_timer, NULL, 20);
}

static void a_listening(void *target, const cnet_error *e, void *arg) {
  t("a listening");
  cnet_dgram_create(loop, "udp4", NULL, NULL, &b);
  cnet_dgram_bind(b, 0, "127.0.0.1", b_listening, NULL);
}

int main(void) {
  trace_init();
  loop = cnet_default_loop();
  cnet_dgram_create(loop, "udp4", NULL, NULL, &a);
  cnet_dgram_unref(a);
  t("unref before bind true");
  cnet_dgram_bind(a, 0, "127.0.0.1", a_listening, NULL);
  cnet_loop_run(loop, CNET_RUN_DEFAULT);
  t("exit");
  cnet_dgram_close(a, NULL, NULL);
  cnet_dgram_close(b, NULL, NULL);
  cnet_dgram_close(c, NULL, NULL);
  cnet_loop_run(loop, CNET_RUN_DEFAULT);
  return cnet_loop_close(loop) == 0 ? 0 : 1;
}
