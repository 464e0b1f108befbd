/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* Twin of dgram_ipv6.js. */
#include "dgram.h"

static cnet_loop *loop;
static cnet_dgram *s, *c, *o;
static int port;

static void o_listening(void *target, const cnet_error *e, void *arg) {
  cnet_address a;
  cnet_dgram_address(o, &a);
  a.port = 0;
  addr("ipv6Only address", &a);
  cnet_dgram_close(o, NULL, NULL);
  cnet_dgram_close(s, say_cb, "closed");
}

static void only(void) {
  cnet_dgram_options opts = {.type = "udp6", .ipv6_only = true};
  cnet_dgram_create_options(loop, &opts, NULL, NULL, &o);
  cnet_dgram_bind(o, 0, NULL, o_listening, NULL);
}

static void c_message(const cnet_event *ev, void *arg) {
  t("c message \"%.*s\" %s %s %s", (int)ev->len, ev->data, ev->rinfo->address,
    ev->rinfo->family, bs(ev->rinfo->port == port));
  cnet_dgram_close(c, NULL, NULL);
  only();
}

static void c_connected(void *target, const cnet_error *e, void *arg) {
  cnet_address r;
  cnet_dgram_remote_address(c, &r);
  t("remote %s %s %s", r.address, r.family, bs(r.port == port));
  cnet_dgram_send(c, "hello over v6", 13, 0, NULL, NULL, NULL);
}

static void s_reply(const cnet_event *ev, void *arg) {
  char reply[64];
  int n = snprintf(reply, sizeof reply, "re:%.*s", (int)ev->len, ev->data);
  cnet_dgram_send(s, reply, (size_t)n, ev->rinfo->port, ev->rinfo->address, NULL, NULL);
}

static void v4_cb(void *sock, const cnet_error *e, void *arg) {
  err("ipv4 on udp6 cb", e);
  cnet_dgram_create(loop, "udp6", c_message, NULL, &c);
  cnet_dgram_connect(c, port, "::1", c_connected, NULL);
  cnet_on(s, CNET_EV_MESSAGE, s_reply, NULL);
}

static void first_message(const cnet_event *ev, void *arg) {
  t("message \"%.*s\" %s %s %s %zu", (int)ev->len, ev->data, ev->rinfo->address,
    ev->rinfo->family, bs(ev->rinfo->port == port), ev->rinfo->size);
  cnet_dgram_send(s, "v4", 2, port, "127.0.0.1", v4_cb, NULL);
}

static void sent(void *sock, const cnet_error *e, void *arg) {
  const sent_arg *a = arg;
  t("%s %s %zu", a->label, e ? e->message : "null", a->len);
}

static void on_listening(void *target, const cnet_error *e, void *arg) {
  static sent_arg six = {"send cb", 3};
  cnet_address a;
  cnet_dgram_address(s, &a);
  port = a.port;
  a.port = 0;
  addr("address", &a);
  cnet_once(s, CNET_EV_MESSAGE, first_message, NULL);
  cnet_dgram_send(s, "six", 3, port, "::1", sent, &six);
}

int main(void) {
  trace_init();
  loop = cnet_default_loop();
  cnet_dgram_create(loop, "udp6", NULL, NULL, &s);
  t("type %s", cnet_dgram_type(s));
  cnet_dgram_bind(s, 0, "::1", on_listening, NULL);
  cnet_loop_run(loop, CNET_RUN_DEFAULT);
  return cnet_loop_close(loop) == 0 ? 0 : 1;
}
