/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* Twin of dgram_source_membership.js. */
#include "dgram.h"

static cnet_dgram *s;

static void on_listening(void *target, const cnet_error *e, void *arg) {
  tr("add", s, cnet_dgram_add_source_specific_membership(s, "127.0.0.1", "232.1.1.1", "127.0.0.1"));
  tr("add twice", s, cnet_dgram_add_source_specific_membership(s, "127.0.0.1", "232.1.1.1", "127.0.0.1"));
  tr("add other source", s, cnet_dgram_add_source_specific_membership(s, "127.0.0.2", "232.1.1.1", "127.0.0.1"));
  tr("drop", s, cnet_dgram_drop_source_specific_membership(s, "127.0.0.1", "232.1.1.1", "127.0.0.1"));
  tr("drop other source", s, cnet_dgram_drop_source_specific_membership(s, "127.0.0.2", "232.1.1.1", "127.0.0.1"));
  tr("drop twice", s, cnet_dgram_drop_source_specific_membership(s, "127.0.0.1", "232.1.1.1", "127.0.0.1"));
  tr("bad source", s, cnet_dgram_add_source_specific_membership(s, "x", "232.1.1.1", NULL));
  tr("bad group", s, cnet_dgram_add_source_specific_membership(s, "127.0.0.1", "y", NULL));
  tr("ipv6 source ipv4 group", s, cnet_dgram_add_source_specific_membership(s, "::1", "232.1.1.1", NULL));
  tr("bad interface", s, cnet_dgram_add_source_specific_membership(s, "127.0.0.1", "232.1.1.1", "zz"));
  tr("missing source", s, cnet_dgram_add_source_specific_membership(s, NULL, "232.1.1.1", NULL));
  tr("missing group", s, cnet_dgram_drop_source_specific_membership(s, "127.0.0.1", NULL, NULL));
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
