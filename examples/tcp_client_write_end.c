/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* A client that says hello, prints what the server answers, and ends with
 * goodbye a while later.
 *
 * Node original (seed 004, the client of the close() server; run it
 * against tcp_server_close_refuse):
 *
 *   var net = require("net"),
 *       client = new net.Socket();
 *   client.connect(8181, "localhost", function(){
 *       console.log("connected to the server.");
 *       client.write("hello!");
 *       setTimeout(function(){
 *           client.end("goodbye!");
 *       }, 10000);
 *   });
 *   client.on("data", function(data){
 *       console.log("received data from the server: "+data);
 *   });
 *   client.on("error", function(err){
 *       console.log("an error occurred while connecting to or talking to the server, error code %s", err.code);
 *       client.destroy();
 *   });
 *
 * Run: build/bin/tcp_client_write_end [port [delay-ms]]   (default 8181
 * and 10000: the wait before end(); tests shorten it). */
#include <cnet.h>
#include <stdio.h>
#include <stdlib.h>

static cnet_socket *client;
static cnet_timer end_timer;
static unsigned delay_ms = 10000;

static void end_later(cnet_timer *t, void *arg) {
  (void)t;
  (void)arg;
  /* In Node the timer fires even if the socket has closed meanwhile, and
   * end() on a destroyed socket does nothing. cnet frees a socket after
   * its 'close', so the pointer is forgotten there. */
  if (client) cnet_socket_end(client, "goodbye!", 8, NULL, NULL);
}

static void on_connect(void *target, const cnet_error *err, void *arg) {
  (void)target;
  (void)err;
  (void)arg;
  printf("connected to the server.\n");
  cnet_socket_write(client, "hello!", 6, NULL, NULL);
  cnet_set_timeout(&end_timer, end_later, NULL, delay_ms);
}

static void on_data(const cnet_event *ev, void *arg) {
  (void)arg;
  /* The data is a Buffer; "..." + data decodes it as UTF-8. */
  printf("received data from the server: %.*s\n", (int)ev->len, ev->data);
}

static void on_error(const cnet_event *ev, void *arg) {
  (void)arg;
  printf("an error occurred while connecting to or talking to the server, "
         "error code %s\n", cnet_err_name(ev->error->code));
  cnet_socket_destroy(client, NULL);
}

static void on_close(const cnet_event *ev, void *arg) {
  (void)ev;
  (void)arg;
  client = NULL;
}

int main(int argc, char **argv) {
  int port = argc > 1 ? atoi(argv[1]) : 8181;
  if (argc > 2) delay_ms = (unsigned)atoi(argv[2]);
  setvbuf(stdout, NULL, _IOLBF, 0);
  cnet_loop *loop = cnet_default_loop();
  cnet_timer_init(loop, &end_timer);
  if (cnet_socket_new(loop, NULL, &client) < 0) return 1;
  cnet_connect_options o = {.port = port, .host = "localhost"};
  int r = cnet_socket_connect(client, &o, on_connect, NULL);
  if (r != 0) {
    fprintf(stderr, "connect: %s\n", cnet_err_name(r));
    return 1;
  }
  cnet_on(client, CNET_EV_DATA, on_data, NULL);
  cnet_on(client, CNET_EV_ERROR, on_error, NULL);
  cnet_on(client, CNET_EV_CLOSE, on_close, NULL);
  cnet_loop_run(loop, CNET_RUN_DEFAULT);
  return cnet_loop_close(loop) == 0 ? 0 : 1;
}
