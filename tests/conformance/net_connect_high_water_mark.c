/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* net_connect_high_water_mark.js in cnet: cnet_connect's high_water_mark
 * is the new socket's writable mark. */
#include <cnet.h>

#include "trace.h"

static void on_connection(const cnet_event *ev, void *arg) {
  cnet_socket_destroy(cnet_event_socket(ev), NULL);
}

static void on_closed(void *object, const cnet_error *err, void *arg) { t("closed"); }

static void on_listening(const cnet_event *ev, void *arg) {
  cnet_address a;
  cnet_server_address(ev->target, &a);
  const struct {
    const char *name;
    size_t mark;
    bool given;
  } cases[] = {{"1234", 1234, true}, {"0", 0, true}, {"none", 0, false}};
  for (int i = 0; i < 3; i++) {
    cnet_connect_options o = {.port = a.port, .host = "127.0.0.1",
                              .high_water_mark = cases[i].mark,
                              .has_high_water_mark = cases[i].given};
    cnet_socket *c;
    if (cnet_connect(cnet_default_loop(), &o, NULL, NULL, &c) != 0) return;
    t("highWaterMark %s %zu", cases[i].name, cnet_stream_writable_high_water_mark(c));
    cnet_socket_destroy(c, NULL);
  }
  cnet_server_close(ev->target, on_closed, NULL);
}

int main(void) {
  trace_init();
  cnet_loop *loop = cnet_default_loop();
  cnet_server *server;
  if (cnet_create_server(loop, NULL, on_connection, NULL, &server) != 0) return 2;
  cnet_on(server, CNET_EV_LISTENING, on_listening, NULL);
  cnet_server_listen(server, 0, "127.0.0.1", 0);
  int rc = cnet_loop_run(loop, CNET_RUN_DEFAULT);
  cnet_server_free(server);
  cnet_loop_close(loop);
  return rc;
}
