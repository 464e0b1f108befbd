/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* Twin of dgram_setters_unbound.js. */
#include "dgram.h"

int main(void) {
  trace_init();
  cnet_loop *loop = cnet_default_loop();
  const char *types[] = {"udp4", "udp6"};
  for (int i = 0; i < 2; i++) {
    t("%s", types[i]);
    cnet_dgram *s = NULL;
    cnet_dgram_create(loop, types[i], NULL, NULL, &s);
    cnet_address a;
    tr("address", s, cnet_dgram_address(s, &a));
    tr("setTTL", s, cnet_dgram_set_ttl(s, 64));
    tr("setTTL 0", s, cnet_dgram_set_ttl(s, 0));
    tr("setBroadcast", s, cnet_dgram_set_broadcast(s, true));
    tr("setMulticastTTL", s, cnet_dgram_set_multicast_ttl(s, 3));
    tr("setMulticastTTL 256", s, cnet_dgram_set_multicast_ttl(s, 256));
    tr("setMulticastLoopback", s, cnet_dgram_set_multicast_loopback(s, true));
    tr("setMulticastInterface", s, cnet_dgram_set_multicast_interface(s, "127.0.0.1"));
    tr("setMulticastInterface bad", s, cnet_dgram_set_multicast_interface(s, "nope"));
    tr("getRecvBufferSize", s, cnet_dgram_get_recv_buffer_size(s));
    tr("getSendBufferSize", s, cnet_dgram_get_send_buffer_size(s));
    tr("setRecvBufferSize", s, cnet_dgram_set_recv_buffer_size(s, 1000));
    tr("setSendBufferSize", s, cnet_dgram_set_send_buffer_size(s, 1000));
    tr("setSendBufferSize -1", s, cnet_dgram_set_send_buffer_size(s, -1));
    tr("remoteAddress", s, cnet_dgram_remote_address(s, &a));
    tr("disconnect", s, cnet_dgram_disconnect(s));
    t("getSendQueueSize %zu", cnet_dgram_get_send_queue_size(s));
    t("getSendQueueCount %zu", cnet_dgram_get_send_queue_count(s));
    cnet_dgram_close(s, say_cb, i ? "udp6 closed" : "udp4 closed");
  }
  cnet_loop_run(loop, CNET_RUN_DEFAULT);
  return cnet_loop_close(loop) == 0 ? 0 : 1;
}
