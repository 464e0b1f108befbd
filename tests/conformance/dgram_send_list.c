/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* Twin of dgram_send_list.js. */
#include "dgram.h"

static cnet_dgram *r, *s;

static void on_message(const cnet_event *ev, void *arg) {
  t("message \"%.*s\" %zu", (int)ev->len, ev->data, ev->rinfo->size);
  if (ev->len == 3 && memcmp(ev->data, "end", 3) == 0) {
    cnet_dgram_close(r, NULL, NULL);
    cnet_dgram_close(s, NULL, NULL);
  }
}

static void sent(void *sock, const cnet_error *e, void *arg) {
  const sent_arg *a = arg;
  t("%s %s %zu", a->label, e ? e->message : "null", a->len);
}

static void on_listening(void *target, const cnet_error *e, void *arg) {
  static sent_arg list_cb = {"list cb", 17}, one_cb = {"one-element list cb", 3};
  cnet_address a;
  cnet_dgram_address(r, &a);
  cnet_dgram_buf list[] = {{"Hello ", 6}, {"", 0}, {"dgram ", 6}, {"world", 5}};
  cnet_dgram_send_list(s, list, 4, a.port, "127.0.0.1", sent, &list_cb);
  cnet_dgram_buf one[] = {{"one", 3}};
  cnet_dgram_send_list(s, one, 1, a.port, NULL, sent, &one_cb);
  cnet_dgram_buf end[] = {{"end", 3}};
  cnet_dgram_send_list(s, end, 1, a.port, "127.0.0.1", NULL, NULL);
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
