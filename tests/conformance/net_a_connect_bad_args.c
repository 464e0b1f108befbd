/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* Twin of net_a_connect_bad_args.js. */
#include <cnet.h>
#include <stdio.h>
#include "trace.h"

static void attempt(const char *name, const cnet_connect_options *o) {
  cnet_socket *c = NULL;
  int r = cnet_connect(cnet_default_loop(), o, NULL, NULL, &c);
  if (r == 0) {
    t("%s no throw", name);
    cnet_socket_destroy(c, NULL);
  } else {
    t("%s %s", name, cnet_err_name(r));
  }
}

static void later(cnet_immediate *im, void *arg) {
  (void)im; (void)arg;
  t("immediate");
}

int main(void) {
  trace_init();
  cnet_loop *loop = cnet_default_loop();
  attempt("port -1", &(cnet_connect_options){.port = -1, .host = "127.0.0.1"});
  attempt("port 65536", &(cnet_connect_options){.port = 65536, .host = "127.0.0.1"});
  attempt("options port 65536",
          &(cnet_connect_options){.port = 65536, .host = "127.0.0.1"});
  attempt("no arguments", NULL);
  attempt("bad localAddress", &(cnet_connect_options){
                                  .port = 80, .host = "127.0.0.1",
                                  .local_address = "foo"});
  cnet_immediate im;
  cnet_set_immediate(loop, &im, later, NULL);
  cnet_loop_run(loop, CNET_RUN_DEFAULT);
  t("exit");
  return cnet_loop_close(loop) == 0 ? 0 : 1;
}
