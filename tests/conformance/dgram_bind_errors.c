/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* Twin of dgram_bind_errors.js. */
#include "dgram.h"

static cnet_loop *loop;
static cnet_dgram *a, *b, *c, *d;
static int port;

static void next(void);
static void last(void);

static void b_listening(void *target, const cnet_error *e, void *arg) {
  cnet_address x;
  cnet_dgram_address(b, &x);
  t("b listening %s", bs(x.port != port));
  cnet_dgram_close(b, NULL, NULL);
  next();
}

static void b_error(const cnet_event *ev, void *arg) {
  const cnet_error *e = ev->error;
  t("b error %s | %s | %s %s %s", cnet_err_name(e->code), e->message, e->syscall,
    e->address, bs(e->port == port));
  cnet_address x;
  cnet_dgram_address(b, &x);
  addr("b address after error", &x);
  tr("b bind again", b, cnet_dgram_bind(b, 0, "127.0.0.1", b_listening, NULL));
}

static void a_listening(void *target, const cnet_error *e, void *arg) {
  cnet_address x;
  cnet_dgram_address(a, &x);
  port = x.port;
  cnet_dgram_create(loop, "udp4", NULL, NULL, &b);
  cnet_on(b, CNET_EV_ERROR, b_error, NULL);
  cnet_dgram_bind(b, port, "127.0.0.1", say_cb, "never");
}

static void c_error(const cnet_event *ev, void *arg) {
  const cnet_error *e = ev->error;
  /* Node prints an error without a port as undefined. */
  t("c error %s | %s | %s %s undefined", cnet_err_name(e->code), e->message,
    e->syscall, e->address);
  cnet_address x;
  tr("c address after error", c, cnet_dgram_address(c, &x));
  cnet_dgram_close(c, NULL, NULL);
  last();
}

static void next(void) {
  cnet_dgram_create(loop, "udp4", NULL, NULL, &c);
  cnet_on(c, CNET_EV_ERROR, c_error, NULL);
  cnet_dgram_bind(c, 0, "::1", NULL, NULL);
}

static void d_error(const cnet_event *ev, void *arg) {
  t("d error %s | %s", cnet_err_name(ev->error->code), ev->error->message);
  cnet_dgram_close(d, NULL, NULL);
  cnet_dgram_close(a, say_cb, "done");
}

static void last(void) {
  cnet_dgram_options o = {.type = "udp4", .ipv6_only = true};
  cnet_dgram_create_options(loop, &o, NULL, NULL, &d);
  cnet_on(d, CNET_EV_ERROR, d_error, NULL);
  cnet_dgram_bind(d, 0, NULL, NULL, NULL);
}

int main(void) {
  trace_init();
  loop = cnet_default_loop();
  cnet_dgram_create(loop, "udp4", NULL, NULL, &a);
  cnet_dgram_bind(a, 0, "127.0.0.1", a_listening, NULL);
  cnet_loop_run(loop, CNET_RUN_DEFAULT);
  return cnet_loop_close(loop) == 0 ? 0 : 1;
}
