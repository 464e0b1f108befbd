/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* Twin of dgram_send_offset.js. */
#include "dgram.h"

static cnet_dgram *r, *s;
static const char buf[] = "0123456789";

static void on_message(const cnet_event *ev, void *arg) {
  t("message \"%.*s\" %zu", (int)ev->len, ev->data, ev->rinfo->size);
  if (ev->len == 1 && ev->data[0] == '9') {
    cnet_dgram_close(r, NULL, NULL);
    cnet_dgram_close(s, NULL, NULL);
  }
}

static void sent(void *sock, const cnet_error *e, void *arg) {
  const sent_arg *a = arg;
  t("%s %s %zu", a->label, e ? e->message : "null", a->len);
}

static void on_listening(void *target, const cnet_error *e, void *arg) {
  static sent_arg cb_2_3 = {"2,3 cb", 3}, cb_10_0 = {"10,0 cb", 0};
  cnet_address a;
  cnet_dgram_address(r, &a);
  int port = a.port;
  tr("2,3", s, cnet_dgram_send_range(s, buf, 10, 2, 3, port, "127.0.0.1", sent, &cb_2_3));
  tr("0,10", s, cnet_dgram_send_range(s, buf, 10, 0, 10, port, "127.0.0.1", NULL, NULL));
  tr("10,0", s, cnet_dgram_send_range(s, buf, 10, 10, 0, port, "127.0.0.1", sent, &cb_10_0));
  tr("offset 11", s, cnet_dgram_send_range(s, buf, 10, 11, 0, port, "127.0.0.1", NULL, NULL));
  tr("length 9 from 2", s, cnet_dgram_send_range(s, buf, 10, 2, 9, port, "127.0.0.1", NULL, NULL));
  tr("offset 11 bad port", s, cnet_dgram_send_range(s, buf, 10, 11, 1, 0, "127.0.0.1", NULL, NULL));
  tr("length 11 bad port", s, cnet_dgram_send_range(s, buf, 10, 0, 11, 0, "127.0.0.1", NULL, NULL));
  tr("9,1", s, cnet_dgram_send_range(s, buf, 10, 9, 1, port, "127.0.0.1", NULL, NULL));
}

int main(void) {
  trace_init();
  cnet_loop *loop = cnet_default_loop();
  cnet_dgram_create(loop, "udp4", on_message, NULL, &r);
  cnet_dgram_create(loop, "udp4", NULL, NULL, &s);
  cnet_dgram_bind(r, 0, "127.0.0.1", on_listening, NULL);
  cnet_loop_run(loop, CNET_RUN_DEFAULT);
  return cnet_loop_close(loop) == 0 ? 0 : 1;
}
