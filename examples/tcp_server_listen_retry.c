/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* EADDRINUSE, retried: when the port is taken, say so and try again a
 * second later, until the port is free.
 *
 * Node original (seed 003, 2.2 "server.listen()"; the seed shows the
 * 'error' listener only: PORT and HOST come from the arguments here, and a
 * 'listening' listener shows when a retry succeeds):
 *
 *   const net = require('net');
 *   const server = net.createServer();
 *   server.on('error', (e) => {
 *     if (e.code === 'EADDRINUSE') {
 *       console.log('Address in use, retrying...');
 *       setTimeout(() => {
 *         server.close();
 *         server.listen(PORT, HOST);
 *       }, 1000);
 *     }
 *   });
 *   server.on('listening', () => {
 *     console.log('listening on', server.address());
 *   });
 *   server.listen(PORT, HOST);
 *
 * Run: build/bin/tcp_server_listen_retry [port [host]]   (default 8080
 * 127.0.0.1) */
#include <cnet.h>
#include <stdio.h>
#include <stdlib.h>

static int port = 8080;
static const char *host = "127.0.0.1";
static cnet_server *server;
static cnet_timer retry_timer;

static void retry(cnet_timer *t, void *arg) {
  (void)t;
  (void)arg;
  /* close() on a server that is not listening: no callback, so nothing
   * to report; then listen again. */
  cnet_server_close(server, NULL, NULL);
  int r = cnet_server_listen(server, port, host, 0);
  if (r != 0) fprintf(stderr, "listen: %s\n", cnet_err_name(r));
}

static void on_error(const cnet_event *ev, void *arg) {
  (void)arg;
  if (ev->error->code == CNET_EADDRINUSE) {
    printf("Address in use, retrying...\n");
    cnet_set_timeout(&retry_timer, retry, NULL, 1000);
  }
}

static void on_listening(const cnet_event *ev, void *arg) {
  (void)arg;
  cnet_address a;
  if (cnet_server_address(ev->target, &a) == 0)
    printf("listening on { address: '%s', family: '%s', port: %d }\n",
           a.address, a.family, a.port);
}

int main(int argc, char **argv) {
  if (argc > 1) port = atoi(argv[1]);
  if (argc > 2) host = argv[2];
  setvbuf(stdout, NULL, _IOLBF, 0);
  cnet_loop *loop = cnet_default_loop();
  cnet_timer_init(loop, &retry_timer);
  cnet_create_server(loop, NULL, NULL, NULL, &server);
  cnet_on(server, CNET_EV_ERROR, on_error, NULL);
  cnet_on(server, CNET_EV_LISTENING, on_listening, NULL);
  int r = cnet_server_listen(server, port, host, 0);
  if (r != 0) {
    fprintf(stderr, "listen: %s\n", cnet_err_name(r));
    return 1;
  }
  cnet_loop_run(loop, CNET_RUN_DEFAULT);
  cnet_server_free(server);
  return cnet_loop_close(loop) == 0 ? 0 : 1;
}
