/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* Twin of dgram_send_connected_errors.js. */
#include "dgram.h"

static cnet_dgram *server, *c;
static char big[65508];

static void on_server_message(const cnet_event *ev, void *arg) {
  t("server message %zu", ev->len);
  cnet_dgram_close(c, NULL, NULL);
  cnet_dgram_close(server, NULL, NULL);
}

static void small_cb(void *sock, const cnet_error *e, void *arg) {
  const sent_arg *a = arg;
  t("%s %s %zu", a->label, e ? e->message : "null", a->len);
}

static void big_cb(void *sock, const cnet_error *e, void *arg) {
  static sent_arg small = {"small cb", 1};
  err("big cb", e);
  /* An empty address and port 0 are Node's undefined; the byte count is
   * undefined on error too. */
  t("fields %d %s %s %s undefined", e->code, e->syscall,
    e->address[0] ? e->address : "undefined", e->port ? "?" : "undefined");
  tr("small", c, cnet_dgram_send(c, "x", 1, 0, NULL, small_cb, &small));
}

static void on_connect(void *target, const cnet_error *e, void *arg) {
  tr("big", c, cnet_dgram_send(c, big, sizeof big, 0, NULL, big_cb, NULL));
}

static void on_listening(void *target, const cnet_error *e, void *arg) {
  cnet_address a;
  cnet_dgram_address(server, &a);
  tr("connect", c, cnet_dgram_connect(c, a.port, "127.0.0.1", on_connect, NULL));
}

int main(void) {
  trace_init();
  cnet_loop *loop = cnet_default_loop();
  cnet_dgram_create(loop, "udp4", on_server_message, NULL, &server);
  cnet_dgram_create(loop, "udp4", NULL, NULL, &c);
  cnet_dgram_bind(server, 0, "127.0.0.1", on_listening, NULL);
  cnet_loop_run(loop, CNET_RUN_DEFAULT);
  return cnet_loop_close(loop) == 0 ? 0 : 1;
}
