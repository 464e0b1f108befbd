/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* Twin of dgram_connect_errors.js. */
#include "dgram.h"

static cnet_loop *loop;
static cnet_dgram *peer, *c;
static int port;

static void connected_again(void *target, const cnet_error *e, void *arg) {
  cnet_address r;
  cnet_dgram_remote_address(c, &r);
  t("connected again %s", bs(r.port == port));
  cnet_dgram_close(c, NULL, NULL);
  /* disconnect() after close is a TypeError in Node (it reaches for the
   * closed handle); cnet returns ERR_SOCKET_DGRAM_NOT_RUNNING. */
  tr("remoteAddress after close", c, cnet_dgram_remote_address(c, &r));
  cnet_dgram_close(peer, NULL, NULL);
}

static void on_connect(const cnet_event *ev, void *arg) {
  t("connect");
  cnet_address r;
  tr("connect when connected", c, cnet_dgram_connect(c, port, "127.0.0.1", NULL, NULL));
  tr("send range with port", c, cnet_dgram_send_range(c, "abc", 3, 0, 3, port, NULL, NULL, NULL));
  tr("send range with port and address", c,
     cnet_dgram_send_range(c, "abc", 3, 0, 3, port, "127.0.0.1", NULL, NULL));
  tr("send range out of bounds", c, cnet_dgram_send_range(c, "abc", 3, 4, 1, port, NULL, NULL, NULL));
  tr("disconnect", c, cnet_dgram_disconnect(c));
  tr("remoteAddress after disconnect", c, cnet_dgram_remote_address(c, &r));
  tr("disconnect again", c, cnet_dgram_disconnect(c));
  tr("send without port after disconnect", c, cnet_dgram_send(c, "x", 1, 0, NULL, NULL, NULL));
  tr("connect again", c, cnet_dgram_connect(c, port, "127.0.0.1", connected_again, NULL));
}

static void on_peer_listening(void *target, const cnet_error *e, void *arg) {
  cnet_address a;
  cnet_dgram_address(peer, &a);
  port = a.port;
  cnet_dgram_create(loop, "udp4", NULL, NULL, &c);
  tr("connect port 0", c, cnet_dgram_connect(c, 0, "127.0.0.1", NULL, NULL));
  tr("connect port 65536", c, cnet_dgram_connect(c, 65536, NULL, NULL, NULL));
  tr("connect port -1", c, cnet_dgram_connect(c, -1, NULL, NULL, NULL));
  tr("disconnect before", c, cnet_dgram_disconnect(c));
  tr("remoteAddress before", c, cnet_dgram_remote_address(c, &a));
  tr("connect", c, cnet_dgram_connect(c, port, "127.0.0.1", NULL, NULL));
  tr("connect while connecting", c, cnet_dgram_connect(c, port, "127.0.0.1", NULL, NULL));
  tr("disconnect while connecting", c, cnet_dgram_disconnect(c));
  tr("remoteAddress while connecting", c, cnet_dgram_remote_address(c, &a));
  tr("send without port while connecting", c, cnet_dgram_send(c, "x", 1, 0, NULL, NULL, NULL));
  cnet_once(c, CNET_EV_CONNECT, on_connect, NULL);
}

int main(void) {
  trace_init();
  loop = cnet_default_loop();
  cnet_dgram_create(loop, "udp4", NULL, NULL, &peer);
  cnet_dgram_bind(peer, 0, "127.0.0.1", on_peer_listening, NULL);
  cnet_loop_run(loop, CNET_RUN_DEFAULT);
  return cnet_loop_close(loop) == 0 ? 0 : 1;
}
