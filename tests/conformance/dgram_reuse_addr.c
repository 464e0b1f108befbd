/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* Twin of dgram_reuse_addr.js. */
#include "dgram.h"

static cnet_loop *loop;
static cnet_dgram *a, *b, *c;
static int port;

static void c_error(const cnet_event *ev, void *arg) {
  t("c error %s", cnet_err_name(ev->error->code));
  cnet_dgram_close(c, NULL, NULL);
  cnet_dgram_close(b, NULL, NULL);
  cnet_dgram_close(a, NULL, NULL);
}

static void b_listening(void *target, const cnet_error *e, void *arg) {
  cnet_address x;
  cnet_dgram_address(b, &x);
  t("b bound to the same port %s", bs(x.port == port));
  cnet_dgram_create(loop, "udp4", NULL, NULL, &c);
  cnet_on(c, CNET_EV_ERROR, c_error, NULL);
  cnet_dgram_bind(c, port, "127.0.0.1", NULL, NULL);
}

static void a_listening(void *target, const cnet_error *e, void *arg) {
  cnet_address x;
  cnet_dgram_address(a, &x);
  port = x.port;
  cnet_dgram_options o = {.type = "udp4", .reuse_addr = true};
  cnet_dgram_create_options(loop, &o, NULL, NULL, &b);
  cnet_dgram_bind(b, port, "127.0.0.1", b_listening, NULL);
}

int main(void) {
  trace_init();
  loop = cnet_default_loop();
  cnet_dgram *never;
  cnet_dgram_options bad = {.type = "tcp"}, none = {0};
  tr("type udp5", NULL, cnet_dgram_create(loop, "udp5", NULL, NULL, &never));
  tr("options type tcp", NULL, cnet_dgram_create_options(loop, &bad, NULL, NULL, &never));
  tr("options without type", NULL,
     cnet_dgram_create_options(loop, &none, NULL, NULL, &never));
  cnet_dgram_options o = {.type = "udp4", .reuse_addr = true};
  cnet_dgram_create_options(loop, &o, NULL, NULL, &a);
  cnet_dgram_bind(a, 0, "127.0.0.1", a_listening, NULL);
  cnet_loop_run(loop, CNET_RUN_DEFAULT);
  return cnet_loop_close(loop) == 0 ? 0 : 1;
}
