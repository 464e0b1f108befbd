/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* Twin of dgram_bind_address.js. */
#include "dgram.h"

static cnet_dgram *s;

static void bind_cb(void *target, const cnet_error *e, void *arg) {
  t("bind cb");
  cnet_address a;
  cnet_dgram_address(s, &a);
  addr("address", &a);
  tr("close", s, cnet_dgram_close(s, say_cb, "close cb"));
  t("after close");
}

int main(void) {
  trace_init();
  cnet_loop *loop = cnet_default_loop();
  cnet_dgram_create(loop, "udp4", NULL, NULL, &s);
  t("type %s", cnet_dgram_type(s));
  cnet_address a;
  tr("address before bind", s, cnet_dgram_address(s, &a));
  tr("bind", s, cnet_dgram_bind(s, 0, "127.0.0.1", bind_cb, NULL));
  cnet_on(s, CNET_EV_LISTENING, say, "listening");
  cnet_on(s, CNET_EV_CLOSE, say, "close");
  tr("address while binding", s, cnet_dgram_address(s, &a));
  tick_trace("tick");
  t("end of script");
  cnet_loop_run(loop, CNET_RUN_DEFAULT);
  return cnet_loop_close(loop) == 0 ? 0 : 1;
}
