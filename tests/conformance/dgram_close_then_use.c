/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* Twin of dgram_close_then_use.js. */
#include "dgram.h"

static cnet_dgram *s;

static void on_listening(void *target, const cnet_error *e, void *arg) {
  cnet_address a;
  cnet_on(s, CNET_EV_CLOSE, say, "close listener");
  tr("close", s, cnet_dgram_close(s, say_cb, "close cb"));
  t("after close");
  tr("close again", s, cnet_dgram_close(s, say_cb, "second close cb"));
  tr("bind", s, cnet_dgram_bind(s, 0, NULL, NULL, NULL));
  tr("send", s, cnet_dgram_send(s, "x", 1, 1234, "127.0.0.1", NULL, NULL));
  tr("address", s, cnet_dgram_address(s, &a));
  tr("remoteAddress", s, cnet_dgram_remote_address(s, &a));
  tr("addMembership", s, cnet_dgram_add_membership(s, "230.1.2.3", NULL));
  tr("dropMembership", s, cnet_dgram_drop_membership(s, "230.1.2.3", NULL));
  tr("addSourceSpecificMembership", s,
     cnet_dgram_add_source_specific_membership(s, "127.0.0.1", "232.1.2.3", NULL));
  tr("setMulticastInterface", s, cnet_dgram_set_multicast_interface(s, "127.0.0.1"));
  cnet_dgram_ref(s);
  t("ref ok");
  cnet_dgram_unref(s);
  t("unref ok");
  tick_trace("tick");
}

int main(void) {
  trace_init();
  cnet_loop *loop = cnet_default_loop();
  cnet_dgram_create(loop, "udp4", NULL, NULL, &s);
  cnet_dgram_bind(s, 0, "127.0.0.1", on_listening, NULL);
  cnet_loop_run(loop, CNET_RUN_DEFAULT);
  return cnet_loop_close(loop) == 0 ? 0 : 1;
}
