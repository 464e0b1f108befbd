/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* Twin of dgram_connect_fail.js. */
#include "dgram.h"

static cnet_dgram *c;

static void connected(void *target, const cnet_error *e, void *arg) {
  cnet_address r;
  cnet_dgram_remote_address(c, &r);
  t("connected %s", r.address);
  cnet_dgram_close(c, NULL, NULL);
}
static void on_error(const cnet_event *ev, void *arg) {
  err("error event", ev->error);
  t("fields %s %s %d", ev->error->syscall, ev->error->address, ev->error->port);
  tr("connect again", c, cnet_dgram_connect(c, 9, NULL, connected, NULL));
}
static void connect_cb(void *target, const cnet_error *e, void *arg) {
  err("connect cb", e);
  t("listeners %d", cnet_listener_count(c, CNET_EV_CONNECT));
  tr("connect without cb", c, cnet_dgram_connect(c, 9, "::1", NULL, NULL));
}

int main(void) {
  trace_init();
  cnet_loop *loop = cnet_default_loop();
  cnet_dgram_create(loop, "udp4", NULL, NULL, &c);
  cnet_on(c, CNET_EV_ERROR, on_error, NULL);
  cnet_on(c, CNET_EV_CONNECT, say, "connect event");
  tr("connect with cb", c, cnet_dgram_connect(c, 9, "::1", connect_cb, NULL));
  tick_trace("tick");
  cnet_loop_run(loop, CNET_RUN_DEFAULT);
  return cnet_loop_close(loop) == 0 ? 0 : 1;
}
