/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* Twin of dgram_close_while_binding.js. */
#include "dgram.h"

static cnet_loop *loop;
static cnet_dgram *s, *b;

static void s_close(const cnet_event *ev, void *arg) {
  t("s close");
  cnet_dgram_create(loop, "udp4", NULL, NULL, &b);
  cnet_on(b, CNET_EV_LISTENING, say, "b listening never");
  cnet_dgram_bind(b, 0, "127.0.0.1", say_cb, "b bind cb never");
  tr("b close", b, cnet_dgram_close(b, say_cb, "b close cb"));
  cnet_address a;
  tr("b address", b, cnet_dgram_address(b, &a));
}

int main(void) {
  trace_init();
  loop = cnet_default_loop();
  cnet_dgram_create(loop, "udp4", NULL, NULL, &s);
  cnet_on(s, CNET_EV_LISTENING, say, "s listening");
  cnet_dgram_send(s, "one", 3, 9, "127.0.0.1", say_cb, "one cb never");
  cnet_dgram_send(s, "two", 3, 9, "127.0.0.1", say_cb, "two cb never");
  tr("close", s, cnet_dgram_close(s, say_cb, "s close cb"));
  cnet_on(s, CNET_EV_CLOSE, s_close, NULL);
  tick_trace("tick");
  cnet_loop_run(loop, CNET_RUN_DEFAULT);
  return cnet_loop_close(loop) == 0 ? 0 : 1;
}
