/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* Twin of dgram_send_rinfo.js. */
#include "dgram.h"

static cnet_loop *loop;
static cnet_dgram *server, *client;

static void sent(void *sock, const cnet_error *e, void *arg) {
  const sent_arg *a = arg;
  t("%s %s %zu", a->label, e ? e->message : "null", a->len);
}

static int port_of(cnet_dgram *s) {
  cnet_address a;
  cnet_dgram_address(s, &a);
  return a.port;
}

static void on_server_message(const cnet_event *ev, void *arg) {
  static sent_arg echo = {"echo cb", 0};
  echo.len = ev->len;
  rinfo("server message", ev);
  t("from client port %s", bs(ev->rinfo->port == port_of(client)));
  cnet_dgram_send_range(server, ev->data, ev->len, 0, ev->len, ev->rinfo->port,
                        ev->rinfo->address, sent, &echo);
}

static void on_client_message(const cnet_event *ev, void *arg) {
  rinfo("client message", ev);
  t("from server port %s", bs(ev->rinfo->port == port_of(server)));
  cnet_dgram_close(client, NULL, NULL);
  cnet_dgram_close(server, say_cb, "closed");
}

static void on_listening(void *target, const cnet_error *e, void *arg) {
  static sent_arg hello = {"send cb", 5};
  cnet_dgram_create(loop, "udp4", on_client_message, NULL, &client);
  cnet_dgram_send(client, "hello", 5, port_of(server), "127.0.0.1", sent, &hello);
}

int main(void) {
  trace_init();
  loop = cnet_default_loop();
  cnet_dgram_create(loop, "udp4", NULL, NULL, &server);
  cnet_on(server, CNET_EV_MESSAGE, on_server_message, NULL);
  cnet_dgram_bind(server, 0, "127.0.0.1", on_listening, NULL);
  cnet_loop_run(loop, CNET_RUN_DEFAULT);
  return cnet_loop_close(loop) == 0 ? 0 : 1;
}
