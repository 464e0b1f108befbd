/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* Twin of dgram_message_ticks.js. */
#include "dgram.h"

#include <stdio.h>

static cnet_loop *loop;
static cnet_dgram *r, *s;
static int got;
static cnet_immediate im;
static char text[8][2];

static int port_of(cnet_dgram *d) {
  cnet_address a;
  cnet_dgram_address(d, &a);
  return a.port;
}

static void burst(const char *list) {
  t("send %s", list);
  for (const char *m = list; *m; m += m[1] ? 2 : 1)
    cnet_dgram_send(s, m, 1, port_of(r), "127.0.0.1", NULL, NULL);
}

static void nested(void *arg) { t("tick %s nested", (const char *)arg); }
static void tick(void *arg) {
  t("tick %s", (const char *)arg);
  cnet_next_tick(loop, nested, arg);
}

static void second_burst(cnet_immediate *i, void *arg) { burst("f g h"); }

static void on_message(const cnet_event *ev, void *arg) {
  char *m = text[got];
  snprintf(m, sizeof text[got], "%.*s", (int)ev->len, ev->data);
  t("message %s", m);
  cnet_next_tick(loop, tick, m);
  if (++got == 5) cnet_set_immediate(loop, &im, second_burst, NULL);
  if (got == 8) {
    cnet_dgram_close(s, NULL, NULL);
    cnet_dgram_close(r, say_cb, "closed");
  }
}

static void s_listening(void *target, const cnet_error *e, void *arg) {
  burst("a b c d e");
}
static void r_listening(void *target, const cnet_error *e, void *arg) {
  cnet_dgram_bind(s, 0, "127.0.0.1", s_listening, NULL);
}

int main(void) {
  trace_init();
  loop = cnet_default_loop();
  cnet_dgram_create(loop, "udp4", on_message, NULL, &r);
  cnet_dgram_create(loop, "udp4", NULL, NULL, &s);
  cnet_dgram_bind(r, 0, "127.0.0.1", r_listening, NULL);
  cnet_loop_run(loop, CNET_RUN_DEFAULT);
  return cnet_loop_close(loop) == 0 ? 0 : 1;
}
