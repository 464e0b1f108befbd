/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* cnet_echo: cnet's echo server in the benchmarks, through the
 * full public API as a Node program would be written, with no side door:
 *
 *   net.createServer({noDelay: true}, (s) => s.pipe(s))
 *
 * where pipe is: 'data' → write(); pause() when write() returns false,
 * resume() on 'drain' — whose listener is added the first time it is
 * needed, as Node's pipe() adds its ondrain. Errors (a client that resets)
 * end the connection; the listener only keeps them off stderr.
 *
 * With --tls the server is tls.createServer({key, cert, highWaterMark:
 * 262144}, (s) => s.pipe(s)) (S9, S10): the same pipe on each socket once
 * it is secure; a client that fails its handshake is dropped without a
 * word, as Node's server does with no 'tlsClientError' listener. The
 * mark is the hand-written server's bound (openssl_echo.c sends once
 * 256 KiB of records wait): a TLS record is 16 KiB, the default mark, so
 * with the default every record would pause the pipe until its write
 * completes (in the check phase, as Node's do), and a read's remaining
 * records would be kept aside for the resume. cnet gives a TLS server's
 * sockets net.Server's mark; Node 20's tls.Server does not, so its peer
 * cannot do the same.
 *
 *   cnet_echo [--tls CERT KEY] [port]   port 0 (the default) picks one;
 *                                       prints port=N */
#include <cnet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void on_drain(const cnet_event *ev, void *arg) {
  (void)arg;
  cnet_socket_resume(ev->target);
}

static void on_data(const cnet_event *ev, void *arg) {
  (void)arg;
  if (cnet_socket_write(ev->target, ev->data, ev->len, NULL, NULL)) return;
  cnet_socket_pause(ev->target);
  if (cnet_listener_count(ev->target, CNET_EV_DRAIN) == 0)
    cnet_on(ev->target, CNET_EV_DRAIN, on_drain, NULL);
}

static void on_error(const cnet_event *ev, void *arg) { (void)ev, (void)arg; }

static void on_connection(const cnet_event *ev, void *arg) {
  (void)arg;
  cnet_socket *s = ev->object;
  cnet_on(s, CNET_EV_DATA, on_data, NULL);
  cnet_on(s, CNET_EV_ERROR, on_error, NULL);
}

static void on_listening(const cnet_event *ev, void *arg) {
  (void)arg;
  cnet_address a;
  cnet_server_address(ev->target, &a);
  printf("port=%d\n", a.port);
  fflush(stdout);
}

int main(int argc, char **argv) {
  cnet_tls_context_options tls = {0};
  if (argc > 3 && strcmp(argv[1], "--tls") == 0) {
    tls.cert_file = argv[2];
    tls.key_file = argv[3];
    argv += 3, argc -= 3;
  }
  int port = argc > 1 ? atoi(argv[1]) : 0;
  cnet_loop *loop = cnet_default_loop();
  cnet_server_options opts = {.no_delay = true};
  cnet_server *server = NULL;
  int r;
  if (tls.cert_file) {
    opts.high_water_mark = 256 * 1024;
    cnet_tls_server_options to = {.secure = &tls, .server = &opts};
    r = cnet_tls_create_server(loop, &to, on_connection, NULL, &server);
  } else {
    r = cnet_create_server(loop, &opts, on_connection, NULL, &server);
  }
  if (r != 0) {
    fprintf(stderr, "cnet_echo: %s\n", cnet_last_error()->message);
    return 1;
  }
  cnet_on(server, CNET_EV_LISTENING, on_listening, NULL);
  r = cnet_server_listen(server, port, "127.0.0.1", 511);
  if (r != 0) {
    fprintf(stderr, "cnet_echo: listen: %s\n", cnet_err_name(r));
    return 1;
  }
  cnet_loop_run(loop, CNET_RUN_DEFAULT);
  cnet_server_free(server);
  return cnet_loop_close(loop) == 0 ? 0 : 1;
}
