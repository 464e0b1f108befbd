/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* Twin of dgram_send_errors.js. */
#include "dgram.h"

static cnet_dgram *s;
static char big[65508];
static int port;

static void big_cb(void *sock, const cnet_error *e, void *arg) {
  err("big cb", e);
  t("bytes undefined");
}
static void errcb(void *sock, const cnet_error *e, void *arg) {
  err(arg, e);
}
static void ipv6_cb(void *sock, const cnet_error *e, void *arg) {
  err("ipv6 cb", e);
  t("ipv6 fields %s %s %s", e->syscall, e->address, bs(e->port == port));
}
static void biggest_cb(void *sock, const cnet_error *e, void *arg) {
  const sent_arg *a = arg;
  t("%s %s %zu", a->label, e ? e->message : "null", a->len);
}
static void on_message(const cnet_event *ev, void *arg) {
  t("message %zu", ev->len);
  cnet_dgram_close(s, NULL, NULL);
}

static void on_listening(void *target, const cnet_error *e, void *arg) {
  static sent_arg biggest = {"biggest cb", 65507};
  cnet_address a;
  cnet_dgram_address(s, &a);
  port = a.port;
  tr("big", s, cnet_dgram_send(s, big, sizeof big, port, "127.0.0.1", big_cb, NULL));
  tr("big no address", s, cnet_dgram_send(s, big, sizeof big, port, NULL, errcb, "big no address cb"));
  tr("big no callback", s, cnet_dgram_send(s, big, sizeof big, port, "127.0.0.1", NULL, NULL));
  tr("ipv6 on udp4", s, cnet_dgram_send(s, "x", 1, port, "::1", ipv6_cb, NULL));
  tr("ipv6 no callback", s, cnet_dgram_send(s, "x", 1, port, "::1", NULL, NULL));
  tr("biggest", s, cnet_dgram_send(s, big, 65507, port, "127.0.0.1", biggest_cb, &biggest));
  cnet_on(s, CNET_EV_MESSAGE, on_message, NULL);
}

int main(void) {
  trace_init();
  cnet_loop *loop = cnet_default_loop();
  cnet_dgram_create(loop, "udp4", NULL, NULL, &s);
  tr("port 0", s, cnet_dgram_send(s, "x", 1, 0, "127.0.0.1", NULL, NULL));
  tr("port 65536", s, cnet_dgram_send(s, "x", 1, 65536, "127.0.0.1", NULL, NULL));
  tr("port -1", s, cnet_dgram_send(s, "x", 1, -1, "127.0.0.1", NULL, NULL));
  cnet_dgram_bind(s, 0, "127.0.0.1", on_listening, NULL);
  cnet_loop_run(loop, CNET_RUN_DEFAULT);
  return cnet_loop_close(loop) == 0 ? 0 : 1;
}
