/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* Sends the time to a multicast group every second, with multicast TTL 128
 * and loopback on, so that every member on the network (this host's too)
 * gets it.
 *
 * Node original (seed 000, multicast; the seed writes MulticastTTL for
 * setMulticastTTL):
 *
 *   let dgram = require('dgram');
 *   let server = dgram.createSocket('udp4');
 *   server.on('listening', function () {
 *     server.setMulticastTTL(128);
 *     server.setMulticastLoopback(true);
 *     server.addMembership('230.185.192.108');
 *   });
 *   setInterval(broadcast, 1000);
 *   function broadcast() {
 *     let buffer = Buffer.from(new Date().toLocaleString());
 *     server.send(buffer, 0, buffer.length, 8080, "230.185.192.108");
 *   }
 *
 * As in Node, the first send binds the socket; 'listening' sets the options
 * before the queued datagram goes out. The time is Node's en-US
 * toLocaleString() ("1/15/2025, 3:04:05 PM").
 *
 * Run: build/bin/udp_multicast_announcer [-g group] [-p port] [-i interface]
 *        [-t ttl] [-l 0|1] [-n count] [-m ms] [-s]
 *   -g group      230.185.192.108        -p port   8080
 *   -i address    the interface to send from and join on (its IPv4 address;
 *                 default: the kernel's choice)
 *   -t ttl        multicast TTL, 128     -l 0|1    multicast loopback, 1
 *   -n count      stop after count datagrams (default: never)
 *   -m ms         interval, 1000         -s        number the datagrams
 *                                                  ("#1 ...") */
#include <cnet.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const char *group = "230.185.192.108";
static const char *iface;
static int port = 8080, ttl = 128, count = -1, sent;
static bool loopback = true, numbered;
static cnet_timer interval;
static cnet_dgram *server;

static void fail(const char *what) {
  fprintf(stderr, "udp_multicast_announcer: %s: %s\n", what,
          cnet_last_error()->message);
}

static void on_listening(const cnet_event *ev, void *arg) {
  if (iface && cnet_dgram_set_multicast_interface(server, iface) < 0)
    fail("setMulticastInterface");
  if (cnet_dgram_set_multicast_ttl(server, ttl) < 0) fail("setMulticastTTL");
  if (cnet_dgram_set_multicast_loopback(server, loopback) < 0)
    fail("setMulticastLoopback");
  if (cnet_dgram_add_membership(server, group, iface) < 0) fail("addMembership");
}

static void on_error(const cnet_event *ev, void *arg) {
  fprintf(stderr, "udp_multicast_announcer: %s\n", ev->error->message);
}

/* new Date().toLocaleString() in Node's default en-US locale. */
static int locale_string(char *buf, size_t size) {
  time_t now = time(NULL);
  struct tm tm;
  localtime_r(&now, &tm);
  int h = tm.tm_hour % 12;
  return snprintf(buf, size, "%d/%d/%d, %d:%02d:%02d %s", tm.tm_mon + 1,
                  tm.tm_mday, tm.tm_year + 1900, h ? h : 12, tm.tm_min,
                  tm.tm_sec, tm.tm_hour < 12 ? "AM" : "PM");
}

static void on_sent(void *s, const cnet_error *err, void *arg) {
  if (err) fprintf(stderr, "udp_multicast_announcer: %s\n", err->message);
  if (count >= 0 && sent >= count) cnet_dgram_close(s, NULL, NULL);
}

static void broadcast(cnet_timer *t, void *arg) {
  char buf[128];
  int n = numbered ? snprintf(buf, sizeof buf, "#%d ", sent + 1) : 0;
  n += locale_string(buf + n, sizeof buf - (size_t)n);
  sent++;
  if (count >= 0 && sent >= count) cnet_timer_stop(&interval);
  if (cnet_dgram_send_range(server, buf, (size_t)n, 0, (size_t)n, port, group,
                            on_sent, NULL) < 0)
    fail("send");
  printf("sent %.*s\n", n, buf);
}

int main(int argc, char **argv) {
  int opt, ms = 1000;
  while ((opt = getopt(argc, argv, "g:p:i:t:l:n:m:s")) != -1) {
    switch (opt) {
      case 'g': group = optarg; break;
      case 'p': port = atoi(optarg); break;
      case 'i': iface = optarg; break;
      case 't': ttl = atoi(optarg); break;
      case 'l': loopback = atoi(optarg) != 0; break;
      case 'n': count = atoi(optarg); break;
      case 'm': ms = atoi(optarg); break;
      case 's': numbered = true; break;
      default:
        fprintf(stderr, "usage: %s [-g group] [-p port] [-i interface] [-t ttl] "
                        "[-l 0|1] [-n count] [-m ms] [-s]\n", argv[0]);
        return 2;
    }
  }
  setvbuf(stdout, NULL, _IOLBF, 0);
  cnet_loop *loop = cnet_default_loop();
  cnet_dgram_create(loop, "udp4", NULL, NULL, &server);
  cnet_on(server, CNET_EV_LISTENING, on_listening, NULL);
  cnet_on(server, CNET_EV_ERROR, on_error, NULL);
  cnet_timer_init(loop, &interval);
  if (count != 0) cnet_set_interval(&interval, broadcast, NULL, (uint64_t)ms);
  else cnet_dgram_close(server, NULL, NULL);
  cnet_loop_run(loop, CNET_RUN_DEFAULT);
  return cnet_loop_close(loop) == 0 ? 0 : 1;
}
