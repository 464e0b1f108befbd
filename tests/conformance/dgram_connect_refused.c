/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* Twin of dgram_connect_refused.js. */
#include "dgram.h"

static cnet_loop *loop;
static cnet_dgram *gone, *c;
static int port;

static void sent(void *sock, const cnet_error *e, void *arg) {
  const sent_arg *a = arg;
  t("%s %s %zu", a->label, e ? e->message : "null", a->len);
}
static void sent_again(void *sock, const cnet_error *e, void *arg) {
  sent(sock, e, arg);
  cnet_dgram_close(c, say_cb, "closed");
}
static void on_connect(void *target, const cnet_error *e, void *arg) {
  static sent_arg send_cb = {"send cb", 7};
  t("connected");
  cnet_dgram_send(c, "anyone?", 7, 0, NULL, sent, &send_cb);
}
static void on_error(const cnet_event *ev, void *arg) {
  static sent_arg send_again_cb = {"send again cb", 5};
  err("error", ev->error);
  t("fields %s %d", ev->error->syscall, ev->error->code);
  cnet_dgram_send(c, "again", 5, 0, NULL, sent_again, &send_again_cb);
}
static void on_gone_closed(void *target, const cnet_error *e, void *arg) {
  cnet_dgram_create(loop, "udp4", NULL, NULL, &c);
  cnet_dgram_connect(c, port, "127.0.0.1", on_connect, NULL);
  cnet_on(c, CNET_EV_ERROR, on_error, NULL);
}
static void on_listening(void *target, const cnet_error *e, void *arg) {
  cnet_address a;
  cnet_dgram_address(gone, &a);
  port = a.port;
  cnet_dgram_close(gone, on_gone_closed, NULL);
}

int main(void) {
  trace_init();
  loop = cnet_default_loop();
  cnet_dgram_create(loop, "udp4", NULL, NULL, &gone);
  cnet_dgram_bind(gone, 0, "127.0.0.1", on_listening, NULL);
  cnet_loop_run(loop, CNET_RUN_DEFAULT);
  return cnet_loop_close(loop) == 0 ? 0 : 1;
}
