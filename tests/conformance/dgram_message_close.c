/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* Twin of dgram_message_close.js. */
#include "dgram.h"

#include <stdio.h>

typedef struct rx {
  const char *name;
  int warm; /* datagrams that make it busy before a, b and c */
  int got;
  cnet_dgram *d;
  cnet_immediate im;
  char ticks[8][32]; /* "<name> tick <m>", one per datagram */
  void (*next)(void);
} rx;

static cnet_loop *loop;
static cnet_dgram *s;
/* What a receiver sends back for 'a'; its callback prints the size, as
 * Node's gets it. */
static const char reply[] = "reply";
static rx idle = {.name = "idle"}, busy = {.name = "busy", .warm = 4};

static void send_all(rx *r, const char *list) {
  cnet_address a;
  cnet_dgram_address(r->d, &a);
  for (const char *m = list; *m; m += m[1] ? 2 : 1)
    cnet_dgram_send(s, m, 1, a.port, "127.0.0.1", NULL, NULL);
}

static void sent(void *d, const cnet_error *e, void *arg) {
  rx *r = arg;
  t("%s send cb %s %zu", r->name, e ? e->message : "null", strlen(reply));
}

static void closed(void *target, const cnet_error *e, void *arg) {
  rx *r = arg;
  t("%s closed", r->name);
  r->next();
}

static void burst(cnet_immediate *im, void *arg) { send_all(arg, "a b c"); }

static void on_message(const cnet_event *ev, void *arg) {
  rx *r = arg;
  char m[2] = {ev->len ? ev->data[0] : 0, 0};
  t("%s message %s", r->name, m);
  char *text = r->ticks[r->got];
  snprintf(text, sizeof r->ticks[0], "%s tick %s", r->name, m);
  tick_trace(text);
  if (++r->got == r->warm) cnet_set_immediate(loop, &r->im, burst, r);
  if (*m == 'a')
    cnet_dgram_send(r->d, reply, strlen(reply), ev->rinfo->port,
                    ev->rinfo->address, sent, r);
  if (*m == 'b') cnet_dgram_close(r->d, closed, r);
}

static void listening(void *target, const cnet_error *e, void *arg) {
  rx *r = arg;
  send_all(r, r->warm ? "w w w w" : "a b c");
}

static void start(rx *r) {
  cnet_dgram_create(loop, "udp4", on_message, r, &r->d);
  cnet_dgram_bind(r->d, 0, "127.0.0.1", listening, r);
}

static void close_s(void) { cnet_dgram_close(s, NULL, NULL); }
static void start_busy(void) { start(&busy); }
static void s_listening(void *target, const cnet_error *e, void *arg) {
  start(&idle);
}

int main(void) {
  trace_init();
  loop = cnet_default_loop();
  idle.next = start_busy;
  busy.next = close_s;
  cnet_dgram_create(loop, "udp4", NULL, NULL, &s);
  cnet_dgram_bind(s, 0, "127.0.0.1", s_listening, NULL);
  cnet_loop_run(loop, CNET_RUN_DEFAULT);
  return cnet_loop_close(loop) == 0 ? 0 : 1;
}
