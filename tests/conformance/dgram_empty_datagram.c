/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* Twin of dgram_empty_datagram.js. */
#include "dgram.h"

static cnet_dgram *r, *s;
static int n;

static void on_message(const cnet_event *ev, void *arg) {
  t("message \"%.*s\" %s %s 0 %zu", (int)ev->len, ev->data, ev->rinfo->address,
    ev->rinfo->family, ev->rinfo->size);
  if (++n == 4) {
    cnet_dgram_close(r, NULL, NULL);
    cnet_dgram_close(s, say_cb, "closed");
  }
}

static void sent(void *sock, const cnet_error *e, void *arg) {
  const sent_arg *a = arg;
  t("%s %s %zu", a->label, e ? e->message : "null", a->len);
}

static void on_listening(void *target, const cnet_error *e, void *arg) {
  static sent_arg empty_string = {"empty string cb", 0},
                  empty_buffer = {"empty buffer cb", 0}, x = {"x cb", 1},
                  empty_list = {"empty list cb", 0};
  cnet_address a;
  cnet_dgram_address(r, &a);
  cnet_dgram_send(s, "", 0, a.port, "127.0.0.1", sent, &empty_string);
  cnet_dgram_send(s, NULL, 0, a.port, "127.0.0.1", sent, &empty_buffer);
  cnet_dgram_send(s, "x", 1, a.port, "127.0.0.1", sent, &x);
  cnet_dgram_send_list(s, NULL, 0, a.port, "127.0.0.1", sent, &empty_list);
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
