/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* epoll_echo: the hand-written epoll echo server of cnet's benchmarks, the
 * floor that cnet's convenience is measured against.
 *
 * What a careful C programmer writes without a library: one thread,
 * level-triggered epoll, one read buffer shared by all connections, the
 * echo written straight from it. Only the bytes the kernel does not take
 * at once are copied, to a buffer of that connection's own; while it is
 * not empty the connection is not read (the peer is slowed by TCP flow
 * control), as a Node pipe pauses its source.
 *
 *   epoll_echo [port]   port 0 (the default) picks one; prints port=N */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#define RBUF 65536
#define MAXEV 256

typedef struct conn {
  int fd;
  uint32_t off, len; /* unsent bytes: pending[off, len) */
  char *pending;
} conn;

static char rbuf[RBUF];
static int epfd;
static conn listener; /* its address tells the listening socket apart */

static void drop(conn *c) {
  close(c->fd); /* also removes it from the epoll set */
  free(c->pending);
  free(c);
}

static void set_events(conn *c, uint32_t events) {
  struct epoll_event ev = {.events = events, .data.ptr = c};
  epoll_ctl(epfd, EPOLL_CTL_MOD, c->fd, &ev);
}

/* Writes what is left of pending; returns -1 if the connection failed. */
static int flush_pending(conn *c) {
  while (c->off < c->len) {
    ssize_t w = send(c->fd, c->pending + c->off, c->len - c->off, MSG_NOSIGNAL);
    if (w > 0) {
      c->off += (uint32_t)w;
    } else if (w < 0 && errno == EINTR) {
      continue;
    } else if (w < 0 && errno == EAGAIN) {
      return 0;
    } else {
      return -1;
    }
  }
  free(c->pending); /* idle connections keep no buffer */
  c->pending = NULL;
  c->off = c->len = 0;
  set_events(c, EPOLLIN);
  return 0;
}

static void on_readable(conn *c) {
  for (int reads = 0; reads < 4; reads++) { /* cap: be fair to the others */
    ssize_t n = read(c->fd, rbuf, RBUF);
    if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
      drop(c);
      return;
    }
    if (n < 0) return;
    ssize_t w = send(c->fd, rbuf, (size_t)n, MSG_NOSIGNAL);
    if (w < 0 && errno != EAGAIN) {
      drop(c);
      return;
    }
    if (w < 0) w = 0;
    if (w < n) { /* the kernel is full: keep the rest, stop reading */
      c->len = (uint32_t)(n - w);
      c->pending = malloc(c->len);
      if (!c->pending) {
        drop(c);
        return;
      }
      memcpy(c->pending, rbuf + w, c->len);
      set_events(c, EPOLLOUT);
      return;
    }
    if (n < RBUF) return;
  }
}

static void on_accept(int lfd) {
  for (;;) {
    int fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) return; /* EAGAIN, or EMFILE: the backlog keeps the rest */
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    conn *c = calloc(1, sizeof *c);
    if (!c) {
      close(fd);
      continue;
    }
    c->fd = fd;
    struct epoll_event ev = {.events = EPOLLIN, .data.ptr = c};
    epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev);
  }
}

int main(int argc, char **argv) {
  int port = argc > 1 ? atoi(argv[1]) : 0;
  signal(SIGPIPE, SIG_IGN);
  int lfd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  int one = 1;
  setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t alen = sizeof a;
  if (bind(lfd, (struct sockaddr *)&a, sizeof a) != 0 || listen(lfd, 511) != 0 ||
      getsockname(lfd, (struct sockaddr *)&a, &alen) != 0) {
    perror("epoll_echo: listen");
    return 1;
  }
  printf("port=%d\n", ntohs(a.sin_port));
  fflush(stdout);
  epfd = epoll_create1(EPOLL_CLOEXEC);
  listener.fd = lfd;
  struct epoll_event lev = {.events = EPOLLIN, .data.ptr = &listener};
  epoll_ctl(epfd, EPOLL_CTL_ADD, lfd, &lev);

  struct epoll_event evs[MAXEV];
  for (;;) {
    int n = epoll_wait(epfd, evs, MAXEV, -1);
    for (int i = 0; i < n; i++) {
      conn *c = evs[i].data.ptr;
      if (c == &listener) {
        on_accept(lfd);
      } else if (c->pending) {
        if (flush_pending(c) != 0) drop(c);
      } else {
        on_readable(c);
      }
    }
  }
}
