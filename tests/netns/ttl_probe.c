/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* A plain-socket witness for the netns tests: receives datagrams on a port
 * (joining a group if asked) and prints the IP TTL each one arrived with,
 * which no cnet API shows, so that the tests can check that setTTL and
 * setMulticastTTL really went on the wire.
 *
 *   netns_ttl_probe -p port [-g group -i interface-address] [-n count]
 *                   [-T ms] [-e]
 * prints "ready", then one line per datagram: "ttl <n> <text>"; -e echoes
 * each datagram back to its sender. Exits after count datagrams or ms. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int main(int argc, char **argv) {
  int port = 0, count = -1, ms = 5000, echo = 0, opt;
  const char *group = NULL, *iface = "0.0.0.0";
  while ((opt = getopt(argc, argv, "p:g:i:n:T:e")) != -1) {
    switch (opt) {
      case 'p': port = atoi(optarg); break;
      case 'g': group = optarg; break;
      case 'i': iface = optarg; break;
      case 'n': count = atoi(optarg); break;
      case 'T': ms = atoi(optarg); break;
      case 'e': echo = 1; break;
      default: return 2;
    }
  }
  setvbuf(stdout, NULL, _IOLBF, 0);
  int fd = socket(AF_INET, SOCK_DGRAM, 0), one = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
  if (bind(fd, (struct sockaddr *)&a, sizeof a) != 0) {
    perror("netns_ttl_probe: bind");
    return 1;
  }
  if (group) {
    struct ip_mreq m;
    inet_pton(AF_INET, group, &m.imr_multiaddr);
    inet_pton(AF_INET, iface, &m.imr_interface);
    if (setsockopt(fd, IPPROTO_IP, IP_ADD_MEMBERSHIP, &m, sizeof m) != 0) {
      perror("netns_ttl_probe: IP_ADD_MEMBERSHIP");
      return 1;
    }
  }
  setsockopt(fd, IPPROTO_IP, IP_RECVTTL, &one, sizeof one);
  printf("ready\n");
  for (int got = 0; count < 0 || got < count; got++) {
    struct pollfd p = {.fd = fd, .events = POLLIN};
    if (poll(&p, 1, ms) <= 0) break;
    char buf[65536], control[256];
    struct sockaddr_in from;
    struct iovec iov = {buf, sizeof buf};
    struct msghdr mh = {.msg_name = &from, .msg_namelen = sizeof from,
                        .msg_iov = &iov, .msg_iovlen = 1,
                        .msg_control = control, .msg_controllen = sizeof control};
    ssize_t n = recvmsg(fd, &mh, 0);
    if (n < 0) {
      if (errno == EINTR) continue;
      perror("netns_ttl_probe: recvmsg");
      return 1;
    }
    int ttl = -1;
    for (struct cmsghdr *c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c))
      if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_TTL)
        memcpy(&ttl, CMSG_DATA(c), sizeof ttl);
    printf("ttl %d %.*s\n", ttl, (int)n, buf);
    if (echo) sendto(fd, buf, (size_t)n, 0, (struct sockaddr *)&from, mh.msg_namelen);
  }
  close(fd);
  return 0;
}
