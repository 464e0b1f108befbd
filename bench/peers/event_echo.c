/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* event_echo: the libevent echo server of cnet's benchmarks,
 * with bufferevents as libevent's own samples write it: the read callback
 * moves the input buffer to the output buffer (no copy: the chains move).
 * Reading is disabled while 64 KiB or more wait to be written and enabled
 * again when the output has drained, as a Node pipe pauses its source. The
 * mark is higher than Node's 16 KiB because a bufferevent writes on the
 * next turn of the loop, never from inside the read callback: every read
 * (up to 16 KiB) sits in the output buffer first, and a 16 KiB mark would
 * stop and restart reading after each one.
 *
 *   event_echo [port]   port 0 (the default) picks one; prints port=N */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/listener.h>

#define HIGH_WATER (64 * 1024)

static void read_cb(struct bufferevent *bev, void *arg) {
  (void)arg;
  struct evbuffer *out = bufferevent_get_output(bev);
  evbuffer_add_buffer(out, bufferevent_get_input(bev));
  if (evbuffer_get_length(out) >= HIGH_WATER) bufferevent_disable(bev, EV_READ);
}

/* Called when the output has drained (write low-water mark 0). */
static void write_cb(struct bufferevent *bev, void *arg) {
  (void)arg;
  if (!(bufferevent_get_enabled(bev) & EV_READ)) bufferevent_enable(bev, EV_READ);
}

static void event_cb(struct bufferevent *bev, short what, void *arg) {
  (void)arg;
  if (what & (BEV_EVENT_EOF | BEV_EVENT_ERROR)) bufferevent_free(bev);
}

static void on_accept(struct evconnlistener *l, evutil_socket_t fd,
                      struct sockaddr *sa, int salen, void *arg) {
  (void)sa, (void)salen, (void)arg;
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  struct event_base *base = evconnlistener_get_base(l);
  struct bufferevent *bev = bufferevent_socket_new(base, fd, BEV_OPT_CLOSE_ON_FREE);
  if (!bev) {
    evutil_closesocket(fd);
    return;
  }
  bufferevent_setcb(bev, read_cb, write_cb, event_cb, NULL);
  bufferevent_enable(bev, EV_READ | EV_WRITE);
}

int main(int argc, char **argv) {
  int port = argc > 1 ? atoi(argv[1]) : 0;
  signal(SIGPIPE, SIG_IGN);
  struct event_base *base = event_base_new();
  struct sockaddr_in a;
  memset(&a, 0, sizeof a);
  a.sin_family = AF_INET;
  a.sin_port = htons((unsigned short)port);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  struct evconnlistener *l = evconnlistener_new_bind(
      base, on_accept, NULL, LEV_OPT_CLOSE_ON_FREE | LEV_OPT_REUSEABLE, 511,
      (struct sockaddr *)&a, sizeof a);
  socklen_t alen = sizeof a;
  if (!base || !l ||
      getsockname(evconnlistener_get_fd(l), (struct sockaddr *)&a, &alen) != 0) {
    perror("event_echo: listen");
    return 1;
  }
  printf("port=%d\n", ntohs(a.sin_port));
  fflush(stdout);
  event_base_dispatch(base);
  evconnlistener_free(l);
  event_base_free(base);
  return 0;
}
