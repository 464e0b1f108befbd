/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* mmsg_udp_echo: the hand-written UDP echo server of cnet's benchmarks
 * (scenario S6), the floor for cnet's dgram: one thread, level-triggered
 * epoll, datagrams read BATCH at a time with recvmmsg into buffers of
 * their own and sent back to their senders with one sendmmsg. When the
 * kernel has no room for the rest of a batch, the socket waits for
 * POLLOUT and is not read meanwhile.
 *
 *   mmsg_udp_echo [port]   port 0 (the default) picks one; prints port=N */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#define BATCH 64
#define DGRAM 65536 /* the largest datagram: none is truncated */

static char bufs[BATCH][DGRAM];
static struct sockaddr_storage from[BATCH];
static struct iovec iov[BATCH];
static struct mmsghdr mm[BATCH];

static int epfd, fd;
static int pend_off, pend_n; /* mm[pend_off, pend_n) wait for room */

static void want(uint32_t events) {
  struct epoll_event ev = {.events = events};
  epoll_ctl(epfd, EPOLL_CTL_MOD, fd, &ev);
}

/* Sends mm[pend_off, pend_n); returns 0 when the kernel had no room. */
static int send_pending(void) {
  while (pend_off < pend_n) {
    int w = sendmmsg(fd, mm + pend_off, (unsigned)(pend_n - pend_off), 0);
    if (w > 0) {
      pend_off += w;
    } else if (w < 0 && errno == EINTR) {
      continue;
    } else if (w < 0 && (errno == EAGAIN || errno == ENOBUFS)) {
      return 0;
    } else {
      pend_off++; /* this datagram cannot be sent (the sender is gone) */
    }
  }
  return 1;
}

static void readable(void) {
  for (int round = 0; round < 4; round++) { /* at most 4 batches a wake-up */
    for (int i = 0; i < BATCH; i++) {
      iov[i] = (struct iovec){bufs[i], DGRAM};
      mm[i].msg_hdr = (struct msghdr){.msg_name = &from[i],
                                      .msg_namelen = sizeof from[i],
                                      .msg_iov = &iov[i], .msg_iovlen = 1};
    }
    int n = recvmmsg(fd, mm, BATCH, MSG_DONTWAIT, NULL);
    if (n <= 0) return; /* EAGAIN, or an ICMP error left on the socket */
    /* The reply goes where the datagram came from, with its length. */
    for (int i = 0; i < n; i++) iov[i].iov_len = mm[i].msg_len;
    pend_off = 0;
    pend_n = n;
    if (!send_pending()) {
      want(EPOLLOUT);
      return;
    }
    if (n < BATCH) return;
  }
}

int main(int argc, char **argv) {
  int port = argc > 1 ? atoi(argv[1]) : 0;
  struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
  socklen_t alen = sizeof a;
  inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
  fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  epfd = epoll_create1(EPOLL_CLOEXEC);
  struct epoll_event ev = {.events = EPOLLIN};
  if (fd < 0 || epfd < 0 || bind(fd, (struct sockaddr *)&a, sizeof a) != 0 ||
      getsockname(fd, (struct sockaddr *)&a, &alen) != 0 ||
      epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev) != 0) {
    perror("mmsg_udp_echo");
    return 1;
  }
  printf("port=%d\n", ntohs(a.sin_port));
  fflush(stdout);
  for (;;) {
    struct epoll_event out;
    int n = epoll_wait(epfd, &out, 1, -1);
    if (n < 0 && errno != EINTR) return 1;
    if (n <= 0) continue;
    if (pend_off < pend_n) {
      if (send_pending()) want(EPOLLIN);
    } else {
      readable();
    }
  }
}
