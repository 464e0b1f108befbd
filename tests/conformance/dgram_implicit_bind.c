/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* Twin of dgram_implicit_bind.js. */
#include "dgram.h"

static cnet_loop *loop;
static cnet_dgram *r, *s;
static int got;

static void on_r_message(const cnet_event *ev, void *arg) {
  cnet_address a;
  cnet_dgram_address(s, &a);
  t("r message \"%.*s\" %s", (int)ev->len, ev->data, bs(ev->rinfo->port == a.port));
  if (++got == 2) {
    cnet_dgram_close(r, NULL, NULL);
    cnet_dgram_close(s, say_cb, "s close");
  }
}

static void listening1(const cnet_event *ev, void *arg) {
  t("listening 1");
  cnet_address a;
  cnet_dgram_address(s, &a);
  a.port = 0;
  addr("address", &a);
}

static void sent(void *sock, const cnet_error *e, void *arg) {
  const sent_arg *a = arg;
  t("%s cb %s %zu", a->label, e ? e->message : "null", a->len);
}

static void r_listening(void *target, const cnet_error *e, void *arg) {
  static sent_arg one = {"one", 3}, two = {"two", 3};
  cnet_address a;
  cnet_dgram_address(r, &a);
  int port = a.port;
  cnet_dgram_create(loop, "udp4", NULL, NULL, &s);
  cnet_on(s, CNET_EV_LISTENING, listening1, NULL);
  tr("send one", s, cnet_dgram_send(s, "one", 3, port, "127.0.0.1", sent, &one));
  tr("address after send", s, cnet_dgram_address(s, &a));
  cnet_on(s, CNET_EV_LISTENING, say, "listening 2");
  tr("send two", s, cnet_dgram_send(s, "two", 3, port, "127.0.0.1", sent, &two));
  tr("bind", s, cnet_dgram_bind(s, 0, NULL, NULL, NULL));
  tick_trace("tick");
}

int main(void) {
  trace_init();
  loop = cnet_default_loop();
  cnet_dgram_create(loop, "udp4", on_r_message, NULL, &r);
  cnet_dgram_bind(r, 0, "127.0.0.1", r_listening, NULL);
  cnet_loop_run(loop, CNET_RUN_DEFAULT);
  return cnet_loop_close(loop) == 0 ? 0 : 1;
}
