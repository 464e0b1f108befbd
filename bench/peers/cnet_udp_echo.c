/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* cnet_udp_echo: cnet's UDP echo server in the benchmarks (scenario S6),
 * through the public dgram API as the Node program is written:
 *
 *   const s = dgram.createSocket('udp4');
 *   s.on('message', (msg, rinfo) => s.send(msg, rinfo.port, rinfo.address));
 *
 *   cnet_udp_echo [port]   port 0 (the default) picks one; prints port=N */
#include <cnet.h>
#include <stdio.h>
#include <stdlib.h>

static void on_message(const cnet_event *ev, void *arg) {
  (void)arg;
  cnet_dgram_send(ev->target, ev->data, ev->len, ev->rinfo->port,
                  ev->rinfo->address, NULL, NULL);
}

static void on_listening(void *target, const cnet_error *err, void *arg) {
  (void)err;
  (void)arg;
  cnet_address a;
  cnet_dgram_address(target, &a);
  printf("port=%d\n", a.port);
  fflush(stdout);
}

int main(int argc, char **argv) {
  int port = argc > 1 ? atoi(argv[1]) : 0;
  cnet_loop *loop = cnet_default_loop();
  cnet_dgram *s = NULL;
  cnet_dgram_create(loop, "udp4", on_message, NULL, &s);
  int r = s ? cnet_dgram_bind(s, port, "127.0.0.1", on_listening, NULL) : CNET_ENOMEM;
  if (r != 0) {
    fprintf(stderr, "cnet_udp_echo: bind: %s\n", cnet_err_name(r));
    return 1;
  }
  cnet_loop_run(loop, CNET_RUN_DEFAULT);
  cnet_dgram_close(s, NULL, NULL);
  cnet_loop_run(loop, CNET_RUN_DEFAULT);
  return cnet_loop_close(loop) == 0 ? 0 : 1;
}
