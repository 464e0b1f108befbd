/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* setKeepAlive(): TCP keep-alive probes on every client connection, the
 * first after 1 s without traffic, so that a peer that vanished (power
 * cut, crash: no FIN) is found out.
 *
 * Node original (seed 001, 1.3.6 "keepAlive"; seeds 000 and 004 describe
 * it too, showing only socket.setKeepAlive([enable], [initialDelay]);
 * this server puts it to use):
 *
 *   const net = require('net');
 *   const server = net.createServer(function (socket) {
 *     socket.setKeepAlive(true, 1000);
 *     console.log('keep-alive on for %s:%d', socket.remoteAddress, socket.remotePort);
 *     socket.on('end', function () {
 *       console.log('client closed');
 *     });
 *   });
 *   server.listen(8080, function () {
 *     console.log('listening on %d', server.address().port);
 *   });
 *
 * Run: build/bin/tcp_keepalive [port]   (default 8080; 0: a free port),
 * then see the probe timer with: ss -tno state established */
#include <cnet.h>
#include <stdio.h>
#include <stdlib.h>

static void on_end(const cnet_event *ev, void *arg) {
  (void)ev;
  (void)arg;
  printf("client closed\n");
}

static void on_connection(const cnet_event *ev, void *arg) {
  (void)arg;
  cnet_socket *socket = ev->object;
  cnet_socket_set_keep_alive(socket, true, 1000);
  cnet_address peer;
  if (cnet_socket_remote_address(socket, &peer) == 0)
    printf("keep-alive on for %s:%d\n", peer.address, peer.port);
  cnet_on(socket, CNET_EV_END, on_end, NULL);
}

static void on_listening(const cnet_event *ev, void *arg) {
  (void)arg;
  cnet_address a;
  if (cnet_server_address(ev->target, &a) == 0)
    printf("listening on %d\n", a.port);
}

int main(int argc, char **argv) {
  int port = argc > 1 ? atoi(argv[1]) : 8080;
  setvbuf(stdout, NULL, _IOLBF, 0);
  cnet_loop *loop = cnet_default_loop();
  cnet_server *server = NULL;
  cnet_create_server(loop, NULL, on_connection, NULL, &server);
  cnet_on(server, CNET_EV_LISTENING, on_listening, NULL);
  int r = cnet_server_listen(server, port, NULL, 0);
  if (r != 0) {
    fprintf(stderr, "listen: %s\n", cnet_err_name(r));
    return 1;
  }
  cnet_loop_run(loop, CNET_RUN_DEFAULT);
  cnet_server_free(server);
  return cnet_loop_close(loop) == 0 ? 0 : 1;
}
