/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* Twin of net_api_thrown.js. */
#include <cnet.h>
#include <stdio.h>
#include "trace.h"

static void thrown(const char *label, int rc) {
  if (rc >= 0) {
    t("%s no throw", label);
    return;
  }
  const cnet_error *e = cnet_last_error();
  t("%s %s %s %s", label, cnet_err_name(rc), cnet_error_class(rc), e->message);
}

int main(void) {
  trace_init();
  cnet_loop *loop = cnet_default_loop();
  cnet_socket *c;
  thrown("connect {}", cnet_connect(loop, &(cnet_connect_options){0}, NULL, NULL, &c));
  thrown("connect host only",
         cnet_connect(loop, &(cnet_connect_options){.host = "127.0.0.1"}, NULL, NULL, &c));
  thrown("connect port 70000",
         cnet_connect(loop, &(cnet_connect_options){.port = 70000}, NULL, NULL, &c));
  thrown("connect bad localAddress",
         cnet_connect(loop, &(cnet_connect_options){.port = 80, .local_address = "x"},
                      NULL, NULL, &c));
  cnet_socket *s;
  if (cnet_socket_new(loop, NULL, &s) != 0) return 1;
  thrown("setEncoding", cnet_socket_set_encoding(s, "utf-9"));
  thrown("write encoding", cnet_socket_write_string(s, "x", "utf-9", NULL, NULL));
  cnet_socket_destroy(s, NULL);
  cnet_server *srv;
  if (cnet_create_server(loop, NULL, NULL, NULL, &srv) != 0) return 1;
  thrown("listen 70000",
         cnet_server_listen_options(srv, &(cnet_listen_options){.port = 70000}));
  thrown("listen path empty",
         cnet_server_listen_options(srv, &(cnet_listen_options){.path = ""}));
  cnet_dgram *u;
  thrown("createSocket udp5", cnet_dgram_create(loop, "udp5", NULL, NULL, &u));
  if (cnet_dgram_create(loop, "udp4", NULL, NULL, &u) != 0) return 1;
  thrown("setTTL unbound", cnet_dgram_set_ttl(u, 1));
  cnet_dgram_close(u, NULL, NULL);
  thrown("send after close", cnet_dgram_send(u, "x", 1, 9, "127.0.0.1", NULL, NULL));
  cnet_loop_run(loop, CNET_RUN_DEFAULT);
  cnet_server_free(srv);
  cnet_loop_run(loop, CNET_RUN_DEFAULT);
  return cnet_loop_close(loop) == 0 ? 0 : 1;
}
