/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* Twin of dgram_membership.js. */
#include "dgram.h"

static cnet_dgram *s;

static void on_listening(void *target, const cnet_error *e, void *arg) {
  const char *G = "230.185.192.108";
  tr("add", s, cnet_dgram_add_membership(s, G, "127.0.0.1"));
  tr("add twice", s, cnet_dgram_add_membership(s, G, "127.0.0.1"));
  tr("drop", s, cnet_dgram_drop_membership(s, G, "127.0.0.1"));
  tr("drop twice", s, cnet_dgram_drop_membership(s, G, "127.0.0.1"));
  tr("add empty", s, cnet_dgram_add_membership(s, "", NULL));
  tr("drop empty", s, cnet_dgram_drop_membership(s, "", NULL));
  tr("add unicast", s, cnet_dgram_add_membership(s, "1.2.3.4", "127.0.0.1"));
  tr("add name", s, cnet_dgram_add_membership(s, "nope", "127.0.0.1"));
  tr("add bad interface", s, cnet_dgram_add_membership(s, G, "xx"));
  tr("add ipv6 interface", s, cnet_dgram_add_membership(s, G, "::1"));
  tr("add ipv6 group", s, cnet_dgram_add_membership(s, "ff02::1", NULL));
  tr("add second group", s, cnet_dgram_add_membership(s, "230.185.192.109", "127.0.0.1"));
  tr("drop second group", s, cnet_dgram_drop_membership(s, "230.185.192.109", "127.0.0.1"));
  cnet_dgram_close(s, NULL, NULL);
}

int main(void) {
  trace_init();
  cnet_loop *loop = cnet_default_loop();
  cnet_dgram_create(loop, "udp4", NULL, NULL, &s);
  cnet_dgram_bind(s, 0, NULL, on_listening, NULL);
  cnet_loop_run(loop, CNET_RUN_DEFAULT);
  return cnet_loop_close(loop) == 0 ? 0 : 1;
}
