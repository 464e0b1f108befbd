/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* Twin of dgram_bind_twice.js. */
#include "dgram.h"

static cnet_dgram *s;

static void on_listening(const cnet_event *ev, void *arg) {
  t("listening");
  tr("bind when bound", s, cnet_dgram_bind(s, 0, NULL, say_cb, "third cb"));
  tr("close", s, cnet_dgram_close(s, NULL, NULL));
  tr("bind after close", s, cnet_dgram_bind(s, 0, NULL, NULL, NULL));
  tr("close again", s, cnet_dgram_close(s, NULL, NULL));
}

int main(void) {
  trace_init();
  cnet_loop *loop = cnet_default_loop();
  cnet_dgram_create(loop, "udp4", NULL, NULL, &s);
  cnet_on(s, CNET_EV_LISTENING, on_listening, NULL);
  cnet_on(s, CNET_EV_CLOSE, say, "close");
  tr("bind", s, cnet_dgram_bind(s, 0, "127.0.0.1", say_cb, "first cb"));
  tr("bind while binding", s, cnet_dgram_bind(s, 0, "127.0.0.1", say_cb, "second cb"));
  cnet_loop_run(loop, CNET_RUN_DEFAULT);
  return cnet_loop_close(loop) == 0 ? 0 : 1;
}
