/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* Twin of dgram_multicast_interface.js. */
#include "dgram.h"

static cnet_loop *loop;
static cnet_dgram *s, *s6;

static void on_listening6(void *target, const cnet_error *e, void *arg) {
  tr("udp6 any", s6, cnet_dgram_set_multicast_interface(s6, "::"));
  tr("udp6 ipv4", s6, cnet_dgram_set_multicast_interface(s6, "127.0.0.1"));
  cnet_dgram_close(s6, NULL, NULL);
  cnet_dgram_close(s, NULL, NULL);
}

static void on_listening(void *target, const cnet_error *e, void *arg) {
  tr("loopback", s, cnet_dgram_set_multicast_interface(s, "127.0.0.1"));
  tr("any", s, cnet_dgram_set_multicast_interface(s, "0.0.0.0"));
  tr("not an address", s, cnet_dgram_set_multicast_interface(s, "nope"));
  tr("ipv6 on udp4", s, cnet_dgram_set_multicast_interface(s, "::1"));
  tr("missing", s, cnet_dgram_set_multicast_interface(s, NULL));
  cnet_dgram_create(loop, "udp6", NULL, NULL, &s6);
  cnet_dgram_bind(s6, 0, "::", on_listening6, NULL);
}

int main(void) {
  trace_init();
  loop = cnet_default_loop();
  cnet_dgram_create(loop, "udp4", NULL, NULL, &s);
  cnet_dgram_bind(s, 0, NULL, on_listening, NULL);
  cnet_loop_run(loop, CNET_RUN_DEFAULT);
  return cnet_loop_close(loop) == 0 ? 0 : 1;
}
