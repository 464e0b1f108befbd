/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* Twin of dgram_connect.js. */
#include "dgram.h"

static cnet_loop *loop;
static cnet_dgram *server, *c;
static int port;

static int port_of(cnet_dgram *s) {
  cnet_address a;
  cnet_dgram_address(s, &a);
  return a.port;
}

static void on_server_message(const cnet_event *ev, void *arg) {
  t("server message \"%.*s\" %s", (int)ev->len, ev->data,
    bs(ev->rinfo->port == port_of(c)));
  char reply[64];
  int n = snprintf(reply, sizeof reply, "re:%.*s", (int)ev->len, ev->data);
  cnet_dgram_send(server, reply, (size_t)n, ev->rinfo->port, ev->rinfo->address,
                  NULL, NULL);
}

static void on_client_message(const cnet_event *ev, void *arg) {
  t("client message \"%.*s\" %s", (int)ev->len, ev->data, bs(ev->rinfo->port == port));
  if (ev->len == 9 && memcmp(ev->data, "re:second", 9) == 0) {
    cnet_dgram_close(c, NULL, NULL);
    cnet_dgram_close(server, NULL, NULL);
  }
}

static void sent(void *sock, const cnet_error *e, void *arg) {
  const sent_arg *a = arg;
  t("%s %s %zu", a->label, e ? e->message : "null", a->len);
}

static void connect_cb(void *target, const cnet_error *e, void *arg) {
  static sent_arg first = {"first cb", 5}, second = {"second cb", 6};
  t("connect cb");
  cnet_address r;
  cnet_dgram_remote_address(c, &r);
  t("remote %s %s %s", r.address, r.family, bs(r.port == port));
  cnet_address l;
  cnet_dgram_address(c, &l);
  l.port = 0;
  addr("local", &l);
  tick_trace("tick 1");
  tr("send", c, cnet_dgram_send(c, "first", 5, 0, NULL, sent, &first));
  tick_trace("tick 2");
  tr("send range", c, cnet_dgram_send_range(c, "xsecondx", 8, 1, 6, 0, NULL, sent, &second));
}

static void on_server_listening(void *target, const cnet_error *e, void *arg) {
  port = port_of(server);
  cnet_dgram_create(loop, "udp4", on_client_message, NULL, &c);
  cnet_on(c, CNET_EV_LISTENING, say, "listening");
  cnet_on(c, CNET_EV_CONNECT, say, "connect event");
  tr("connect", c, cnet_dgram_connect(c, port, "127.0.0.1", connect_cb, NULL));
  cnet_address r;
  tr("remoteAddress while connecting", c, cnet_dgram_remote_address(c, &r));
}

int main(void) {
  trace_init();
  loop = cnet_default_loop();
  cnet_dgram_create(loop, "udp4", on_server_message, NULL, &server);
  cnet_dgram_bind(server, 0, "127.0.0.1", on_server_listening, NULL);
  cnet_loop_run(loop, CNET_RUN_DEFAULT);
  return cnet_loop_close(loop) == 0 ? 0 : 1;
}
