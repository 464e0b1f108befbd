/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* Twin of dgram_send_lookup.js. */
#include "dgram.h"

static cnet_loop *loop;
static cnet_dgram *r, *s;
static int port;

static void connected(void *target, const cnet_error *e, void *arg) {
  cnet_address a;
  cnet_dgram_remote_address(s, &a);
  t("connected %s", a.address);
  cnet_dgram_send(s, "connected", 9, 0, NULL, NULL, NULL);
}

static void on_message(const cnet_event *ev, void *arg) {
  t("message \"%.*s\" %s", (int)ev->len, ev->data, ev->rinfo->address);
  if (ev->len == 7 && memcmp(ev->data, "by name", 7) == 0) {
    cnet_dgram_connect(s, port, "localhost", connected, NULL);
  } else {
    cnet_dgram_close(r, NULL, NULL);
    cnet_dgram_close(s, NULL, NULL);
  }
}

static void sent(void *sock, const cnet_error *e, void *arg) {
  const sent_arg *a = arg;
  t("%s %s %zu", a->label, e ? e->message : "null", a->len);
}

static void bound(void *target, const cnet_error *e, void *arg) {
  static sent_arg by_name = {"send cb", 7};
  cnet_address a;
  cnet_dgram_address(r, &a);
  t("bound %s", a.address);
  port = a.port;
  cnet_dgram_create(loop, "udp4", NULL, NULL, &s);
  cnet_dgram_send(s, "by name", 7, port, "localhost", sent, &by_name);
}

int main(void) {
  trace_init();
  loop = cnet_default_loop();
  cnet_dgram_create(loop, "udp4", on_message, NULL, &r);
  cnet_dgram_bind(r, 0, "localhost", bound, NULL);
  cnet_loop_run(loop, CNET_RUN_DEFAULT);
  return cnet_loop_close(loop) == 0 ? 0 : 1;
}
