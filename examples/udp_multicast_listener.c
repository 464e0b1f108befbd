/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* Joins a multicast group and prints what arrives.
 *
 * Node original (seed 000, multicast):
 *
 *   let dgram = require('dgram');
 *   let client = dgram.createSocket('udp4');
 *   client.on('listening', function () {
 *     client.addMembership('230.185.192.108');
 *   });
 *   client.on('message', function (message, remote) {
 *     console.log(message.toString());
 *   });
 *   client.bind(8080, '192.168.1.103');
 *
 * Difference, and why: Linux delivers a datagram sent to a group only to
 * sockets bound to the wildcard address (or to the group), never to one
 * bound to a unicast address as the seed's is; this listener binds 0.0.0.0
 * unless told otherwise and joins on the interface given with -i.
 *
 * Run: build/bin/udp_multicast_listener [-g group] [-p port] [-b address]
 *        [-i interface] [-r] [-j] [-v] [-d count] [-n count] [-T ms]
 *   -g group      230.185.192.108        -p port      8080
 *   -b address    bind address, 0.0.0.0  -i address   join on this interface
 *   -r            reuseAddr (several listeners on one host share the port)
 *   -j            do not join (a non-member, to see that nothing arrives)
 *   -v            print where each datagram came from
 *   -d count      dropMembership after count datagrams (and keep listening)
 *   -n count      leave after count datagrams
 *   -T ms         leave after ms milliseconds */
#include <cnet.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static const char *group = "230.185.192.108";
static const char *iface;
static bool join = true, verbose;
static int drop_after = -1, exit_after = -1, received;
static cnet_timer deadline;
static cnet_dgram *client;

static void leave(void) {
  cnet_timer_stop(&deadline);
  cnet_dgram_close(client, NULL, NULL);
}

static void on_listening(const cnet_event *ev, void *arg) {
  cnet_address a;
  cnet_dgram_address(client, &a);
  if (join && cnet_dgram_add_membership(client, group, iface) < 0) {
    fprintf(stderr, "udp_multicast_listener: %s\n",
            cnet_last_error()->message);
    leave();
    return;
  }
  printf("listening on %s:%d%s\n", a.address, a.port, join ? ", joined" : "");
}

static void on_message(const cnet_event *ev, void *arg) {
  if (verbose)
    printf("%.*s from %s:%d\n", (int)ev->len, ev->data, ev->rinfo->address,
           ev->rinfo->port);
  else
    printf("%.*s\n", (int)ev->len, ev->data);
  received++;
  if (received == drop_after) {
    if (cnet_dgram_drop_membership(client, group, iface) < 0)
      fprintf(stderr, "udp_multicast_listener: %s\n",
              cnet_last_error()->message);
    else
      printf("dropped membership\n");
  }
  if (received == exit_after) leave();
}

static void on_error(const cnet_event *ev, void *arg) {
  fprintf(stderr, "udp_multicast_listener: %s\n", ev->error->message);
  leave();
}

static void on_deadline(cnet_timer *t, void *arg) { leave(); }

int main(int argc, char **argv) {
  const char *address = "0.0.0.0";
  int port = 8080, opt, ms = 0;
  cnet_dgram_options o = {.type = "udp4"};
  while ((opt = getopt(argc, argv, "g:p:b:i:rjvd:n:T:")) != -1) {
    switch (opt) {
      case 'g': group = optarg; break;
      case 'p': port = atoi(optarg); break;
      case 'b': address = optarg; break;
      case 'i': iface = optarg; break;
      case 'r': o.reuse_addr = true; break;
      case 'j': join = false; break;
      case 'v': verbose = true; break;
      case 'd': drop_after = atoi(optarg); break;
      case 'n': exit_after = atoi(optarg); break;
      case 'T': ms = atoi(optarg); break;
      default:
        fprintf(stderr, "usage: %s [-g group] [-p port] [-b address] [-i interface] "
                        "[-r] [-j] [-v] [-d count] [-n count] [-T ms]\n", argv[0]);
        return 2;
    }
  }
  setvbuf(stdout, NULL, _IOLBF, 0);
  cnet_loop *loop = cnet_default_loop();
  cnet_dgram_create_options(loop, &o, on_message, NULL, &client);
  cnet_on(client, CNET_EV_LISTENING, on_listening, NULL);
  cnet_on(client, CNET_EV_ERROR, on_error, NULL);
  cnet_timer_init(loop, &deadline);
  if (ms > 0) cnet_set_timeout(&deadline, on_deadline, NULL, (uint64_t)ms);
  cnet_dgram_bind(client, port, address, NULL, NULL);
  cnet_loop_run(loop, CNET_RUN_DEFAULT);
  return cnet_loop_close(loop) == 0 ? 0 : 1;
}
