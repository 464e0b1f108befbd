/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* Twin of net_a_unix_not_a_socket.js. */
#include <cnet.h>
#include <stdio.h>
#include "trace.h"

static void unexpected(const cnet_event *ev, void *arg) {
  (void)ev; (void)arg;
  t("unexpected connect");
}
static void on_error(const cnet_event *ev, void *arg) {
  (void)arg;
  const cnet_error *e = ev->error;
  t("error %s %s %s %s", cnet_err_name(e->code), e->syscall, e->address, e->message);
}
static void on_close(const cnet_event *ev, void *arg) {
  (void)arg;
  char buf[64] = "";
  FILE *f = fopen("plain.sock", "r");
  if (f) {
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = '\0';
    fclose(f);
  }
  t("close %s %s", ev->had_error ? "true" : "false", buf);
}

int main(void) {
  trace_init();
  FILE *f = fopen("plain.sock", "w");
  fputs("not a socket", f);
  fclose(f);
  cnet_loop *loop = cnet_default_loop();
  cnet_socket *c;
  cnet_connect_options o = {.path = "plain.sock"};
  int r = cnet_connect(loop, &o, NULL, NULL, &c);
  if (r) {
    t("connect returned %s", cnet_err_name(r));
  } else {
    cnet_on(c, CNET_EV_CONNECT, unexpected, NULL);
    cnet_on(c, CNET_EV_ERROR, on_error, NULL);
    cnet_on(c, CNET_EV_CLOSE, on_close, NULL);
  }
  cnet_loop_run(loop, CNET_RUN_DEFAULT);
  return cnet_loop_close(loop) == 0 ? 0 : 1;
}
