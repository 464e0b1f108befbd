/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* Twin of dgram_buffer_sizes.js. */
#include "dgram.h"

static cnet_dgram *s;

static void on_listening(void *target, const cnet_error *e, void *arg) {
  t("from options %d %d", cnet_dgram_get_recv_buffer_size(s), cnet_dgram_get_send_buffer_size(s));
  tr("setRecvBufferSize 10000", s, cnet_dgram_set_recv_buffer_size(s, 10000));
  tr("setSendBufferSize 10000", s, cnet_dgram_set_send_buffer_size(s, 10000));
  t("after set %d %d", cnet_dgram_get_recv_buffer_size(s), cnet_dgram_get_send_buffer_size(s));
  tr("setRecvBufferSize 0", s, cnet_dgram_set_recv_buffer_size(s, 0));
  t("after 0 %d", cnet_dgram_get_recv_buffer_size(s));
  tr("setRecvBufferSize -1", s, cnet_dgram_set_recv_buffer_size(s, -1));
  tr("setSendBufferSize 2^32", s, cnet_dgram_set_send_buffer_size(s, 4294967296LL));
  tr("setRecvBufferSize 2^32-1", s, cnet_dgram_set_recv_buffer_size(s, 4294967295LL));
  tr("setSendBufferSize 2^31", s, cnet_dgram_set_send_buffer_size(s, 2147483648LL));
  t("unchanged %d %d", cnet_dgram_get_recv_buffer_size(s), cnet_dgram_get_send_buffer_size(s));
  tr("setRecvBufferSize 65536", s, cnet_dgram_set_recv_buffer_size(s, 65536));
  t("after 65536 %d", cnet_dgram_get_recv_buffer_size(s));
  cnet_dgram_close(s, NULL, NULL);
}

int main(void) {
  trace_init();
  cnet_loop *loop = cnet_default_loop();
  cnet_dgram_options o = {.type = "udp4", .recv_buffer_size = 10000, .send_buffer_size = 12000};
  cnet_dgram_create_options(loop, &o, NULL, NULL, &s);
  cnet_dgram_bind(s, 0, "127.0.0.1", on_listening, NULL);
  cnet_loop_run(loop, CNET_RUN_DEFAULT);
  return cnet_loop_close(loop) == 0 ? 0 : 1;
}
