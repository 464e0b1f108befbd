/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* uv_udp_echo: the libuv UDP echo server of cnet's benchmarks (scenario
 * S6), written as a competent libuv user would: one receive buffer for
 * every datagram (the alloc callback hands out the same static block),
 * each datagram sent back to its sender with uv_udp_try_send, and a copy
 * queued with uv_udp_send only when the kernel has no room.
 *
 *   uv_udp_echo [port]   port 0 (the default) picks one; prints port=N */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uv.h>

#define RBUF 65536

static char rbuf[RBUF];

typedef struct sreq {
  uv_udp_send_t req;
  char data[]; /* the datagram the kernel did not take at once */
} sreq;

static void alloc_cb(uv_handle_t *h, size_t suggested, uv_buf_t *buf) {
  (void)h, (void)suggested;
  *buf = uv_buf_init(rbuf, RBUF);
}

static void send_cb(uv_udp_send_t *req, int status) {
  (void)status; /* a datagram that could not be sent is lost, as UDP's are */
  free(req);
}

static void recv_cb(uv_udp_t *h, ssize_t n, const uv_buf_t *buf,
                    const struct sockaddr *from, unsigned flags) {
  (void)flags;
  if (n < 0 || !from) return; /* an error, or nothing more to read */
  uv_buf_t b = uv_buf_init(buf->base, (unsigned)n);
  int r = uv_udp_try_send(h, &b, 1, from);
  if (r != UV_EAGAIN) return;
  sreq *q = malloc(sizeof *q + (size_t)n);
  if (!q) return;
  memcpy(q->data, buf->base, (size_t)n);
  b = uv_buf_init(q->data, (unsigned)n);
  if (uv_udp_send(&q->req, h, &b, 1, from, send_cb) != 0) free(q);
}

int main(int argc, char **argv) {
  int port = argc > 1 ? atoi(argv[1]) : 0;
  uv_loop_t *loop = uv_default_loop();
  uv_udp_t sock;
  struct sockaddr_in a;
  int alen = sizeof a;
  uv_udp_init(loop, &sock);
  uv_ip4_addr("127.0.0.1", port, &a);
  int r = uv_udp_bind(&sock, (const struct sockaddr *)&a, 0);
  if (r == 0) r = uv_udp_recv_start(&sock, alloc_cb, recv_cb);
  if (r == 0) r = uv_udp_getsockname(&sock, (struct sockaddr *)&a, &alen);
  if (r != 0) {
    fprintf(stderr, "uv_udp_echo: bind: %s\n", uv_strerror(r));
    return 1;
  }
  printf("port=%d\n", ntohs(a.sin_port));
  fflush(stdout);
  return uv_run(loop, UV_RUN_DEFAULT);
}
